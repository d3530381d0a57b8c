// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleRuleBody, consoleRules, cooldownLabel } from './consoleRules';

const settle = () => new Promise((r) => setTimeout(r, 0));

const json = (body: unknown, status = 200) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

const rule = { id: 4, name: 'kernel panic', pattern: 'Kernel panic', severity: 'critical', cooldownSeconds: 300, createdAt: '2026-12-08T03:00:00Z' };

function field(root: HTMLElement, label: string): HTMLInputElement | HTMLSelectElement {
  const l = [...root.querySelectorAll('label')].find((x) => x.textContent === label)!;
  return root.querySelector(`#${l.getAttribute('for')}`)!;
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe('console rule form', () => {
  it('sends the name trimmed, the pattern as typed, and the default cool-down when it is empty', () => {
    expect(consoleRuleBody(' panic ', ' Kernel panic', 'critical', '')).toEqual({ ok: true, rule: { name: 'panic', pattern: ' Kernel panic', severity: 'critical', cooldownSeconds: 300 } });
    expect(consoleRuleBody('oops', 'Oops', 'info', '0')).toMatchObject({ ok: true, rule: { cooldownSeconds: 0 } });
  });

  it('names the field of each problem it can see before sending', () => {
    expect(consoleRuleBody('', 'x', 'info', '')).toMatchObject({ ok: false, field: 'name' });
    expect(consoleRuleBody('n'.repeat(65), 'x', 'info', '')).toMatchObject({ ok: false, field: 'name' });
    expect(consoleRuleBody('n', '', 'info', '')).toMatchObject({ ok: false, field: 'pattern' });
    expect(consoleRuleBody('n', 'x'.repeat(513), 'info', '')).toMatchObject({ ok: false, field: 'pattern' });
    expect(consoleRuleBody('n', 'x', 'fatal', '')).toMatchObject({ ok: false, field: 'severity' });
    expect(consoleRuleBody('n', 'x', 'info', '86401')).toMatchObject({ ok: false, field: 'cooldownSeconds' });
    expect(consoleRuleBody('n', 'x', 'info', '1.5')).toMatchObject({ ok: false, field: 'cooldownSeconds' });
  });

  it('words a cool-down as people read it', () => {
    expect(cooldownLabel(0)).toBe('none');
    expect(cooldownLabel(300)).toBe('5 min');
    expect(cooldownLabel(5445)).toBe('1 h 30 min 45 s');
  });
});

describe('console rules card', () => {
  it("lists the group's rules and deletes one", async () => {
    const fetch = vi.fn(async (_url: string, init?: RequestInit) => (init?.method === 'DELETE' ? json(null, 204) : json({ items: fetch.mock.calls.length > 1 ? [] : [rule], next: null })));
    vi.stubGlobal('fetch', fetch);
    const element = consoleRules('hall-3');
    document.body.append(element);
    await settle();
    await settle();
    expect(element.querySelector('tr[data-rule-id="4"]')!.textContent).toBe('kernel panicKernel paniccritical5 minDelete');
    element.querySelector<HTMLButtonElement>('button[aria-label="Delete console rule kernel panic of hall-3"]')!.click();
    await settle();
    await settle();
    await settle();
    expect(fetch.mock.calls[1][0]).toBe('/api/groups/hall-3/console-rules/4');
    expect((fetch.mock.calls[1][1] as RequestInit).method).toBe('DELETE');
    expect(element.textContent).toContain('Console rule kernel panic deleted.');
    expect(element.textContent).toContain('No console rules.');
  });

  it("shows the portal's reason for a bad pattern next to the pattern field", async () => {
    const detail = 'pattern: error parsing regexp: missing closing ): `Kernel (panic`';
    const fetch = vi.fn(async (_url: string, init?: RequestInit) =>
      init?.method === 'POST' ? json({ type: 'about:blank', title: 'Bad Request', status: 400, detail, field: 'pattern' }, 400) : json({ items: [], next: null }),
    );
    vi.stubGlobal('fetch', fetch);
    const element = consoleRules('hall-3');
    document.body.append(element);
    await settle();
    field(element, 'Rule name').value = 'panic';
    field(element, 'Pattern').value = 'Kernel (panic';
    field(element, 'Severity').value = 'critical';
    element.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    await settle();
    const post = fetch.mock.calls.find((c) => c[1]?.method === 'POST')!;
    const body: unknown = JSON.parse(String(post[1]?.body));
    expect(body).toEqual({ name: 'panic', pattern: 'Kernel (panic', severity: 'critical', cooldownSeconds: 300 });
    const pattern = field(element, 'Pattern');
    expect(pattern.getAttribute('aria-invalid')).toBe('true');
    const error = pattern.closest('.field')!.querySelector('.field-error')!;
    expect(error.textContent).toBe(detail);
    expect(pattern.getAttribute('aria-describedby')).toContain(error.id);
    expect(document.activeElement).toBe(pattern);
    expect(field(element, 'Rule name').getAttribute('aria-invalid')).toBeNull();
  });
});
