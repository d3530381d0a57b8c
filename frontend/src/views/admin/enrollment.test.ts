// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EnrollmentToken } from '../../api/types';
import { enrollmentView } from './enrollment';

const SECRET = 'ten_0123456789ab_s3cr3t-value';

const token = (over: Partial<EnrollmentToken> = {}): EnrollmentToken => ({
  id: 3,
  prefix: 'ten_0123456789ab',
  group: 'lab',
  tags: ['hall-3'],
  autoApprove: false,
  uses: 2,
  used: 0,
  description: '<i>hall 3</i>',
  state: 'active',
  createdBy: 'admin',
  createdAt: '2026-12-05T07:00:00Z',
  expiresAt: '2026-12-06T07:00:00Z',
  revokedAt: null,
  ...over,
});

function portal(tokens: () => EnrollmentToken[]) {
  const calls: { method: string; url: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ method: String(init.method), url, body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (url.startsWith('/api/groups')) return new Response(JSON.stringify({ items: [{ id: 1, name: 'default' }, { id: 2, name: 'lab' }], next: null }), { status: 200 });
      if (init.method === 'POST') return new Response(JSON.stringify({ id: 3, token: SECRET, view: token() }), { status: 201 });
      if (init.method === 'DELETE') return new Response(null, { status: 204 });
      return new Response(JSON.stringify({ items: tokens(), next: null }), { status: 200 });
    }),
  );
  return calls;
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const field = (root: HTMLElement, name: string) => root.querySelector<HTMLInputElement & HTMLSelectElement>(`[name="${name}"]`)!;

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('enrollment view', () => {
  it('creates a token and shows it once with a command line that reads it from a file', async () => {
    let listed: EnrollmentToken[] = [];
    const calls = portal(() => listed);
    const view = enrollmentView();
    document.body.append(view.element);
    await settle();
    field(view.element, 'group').value = 'lab';
    field(view.element, 'expiresIn').value = '7d';
    field(view.element, 'uses').value = '2';
    field(view.element, 'tags').value = 'hall-3';
    listed = [token()];
    view.element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    await settle();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ group: 'lab', expiresIn: '7d', uses: 2, tags: ['hall-3'], autoApprove: false });
    const once = view.element.querySelector<HTMLElement>('[aria-label="New enrollment token"]')!;
    const boxes = [...once.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')].map((b) => b.value);
    expect(boxes[0]).toBe(SECRET);
    const command = boxes.find((b) => b.includes('--portal'))!;
    expect(command).toContain('--enroll-token-file /etc/tether/enroll.token');
    expect(command).not.toContain(SECRET);
    expect(command).toContain(`--portal ws://${location.host}/tunnel`);
    const row = view.element.querySelector('tr[data-token-id="3"]')!;
    expect(row.querySelector('i')).toBeNull();
    for (const text of ['ten_0123456789ab', '<i>hall 3</i>', 'lab', '0 of 2 used', 'active', 'admin']) expect(row.textContent).toContain(text);
    expect(row.textContent).not.toContain(SECRET);
  });

  it('refuses a use count out of range before asking the portal, marking the field', async () => {
    const calls = portal(() => []);
    const view = enrollmentView();
    document.body.append(view.element);
    await settle();
    field(view.element, 'uses').value = '0';
    view.element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);
    expect(view.element.querySelector('[role=alert]')!.textContent).toBe('Uses is a whole number from 1 to 10000.');
    expect(field(view.element, 'uses').getAttribute('aria-invalid')).toBe('true');
  });

  it('revokes an active token after confirming, and offers no Revoke for the others', async () => {
    let listed = [token(), token({ id: 2, prefix: 'ten_aaaaaaaaaaaa', state: 'used-up', used: 2 })];
    const calls = portal(() => listed);
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.open = true;
    };
    const view = enrollmentView();
    document.body.append(view.element);
    await settle();
    expect(view.element.querySelector('button[aria-label="Revoke ten_aaaaaaaaaaaa"]')).toBeNull();
    view.element.querySelector<HTMLButtonElement>('button[aria-label="Revoke ten_0123456789ab"]')!.click();
    listed = [token({ state: 'revoked', revokedAt: '2026-12-05T08:00:00Z' }), listed[1]];
    [...document.querySelector('dialog')!.querySelectorAll('button')].find((b) => b.textContent === 'Revoke')!.click();
    await settle();
    await settle();
    expect(calls.filter((c) => c.method === 'DELETE').map((c) => c.url)).toEqual(['/api/enrollment-tokens/3']);
    expect(view.element.querySelector('tr[data-token-id="3"] .badge')!.textContent).toBe('revoked');
    expect(view.element.querySelector('[role=status]')!.textContent).toBe('Enrollment token ten_0123456789ab revoked.');
  });
});
