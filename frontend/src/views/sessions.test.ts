// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { Grant, Session } from '../api/types';
import type { ViewContext } from '../router';
import { groupDefaultsPatch, groupPatch, groupsView } from './admin/groups';
import { userView } from './admin/user';
import { deviceView } from './device';
import { NO_RECORDING, NO_REPLAY_RIGHT, sessionView } from './session';
import { sessionFilterFromQuery, sessionFilterToQuery, sessionsView } from './sessions';
import { cleanUpAfterEachTest, respond, sampleDevice as device, settle, signInAs } from '../testing/fakePortal';

const context = (params: Record<string, string> = {}, query = ''): ViewContext => ({ params, query: new URLSearchParams(query), navigate: vi.fn() });

const liveSession = (over: Partial<Session> = {}): Session => ({
  id: 41,
  device: { id: 7, name: 'plc-7' },
  target: 'console',
  state: 'live',
  startedAt: '2026-11-25T10:00:00Z',
  endedAt: null,
  closeReason: null,
  bytesIn: 12,
  bytesOut: 2048,
  recording: { policy: 'output', bytes: 2048, gaps: 0 },
  participants: [
    { userId: 1, username: 'alice', role: 'controller', via: 'web', joinedAt: '2026-11-25T10:00:00Z', leftAt: null },
    { userId: 2, username: '<img src=x onerror=alert(1)>', role: 'observer', via: 'web', joinedAt: '2026-11-25T10:01:00Z', leftAt: '2026-11-25T10:02:00Z' },
  ],
  ...over,
});

const endedSession = liveSession({ id: 40, state: 'ended', endedAt: '2026-11-25T09:00:00Z', closeReason: 'ended-by-admin: by root' });


const labelled = (root: ParentNode, text: string) => {
  const label = [...root.querySelectorAll('label')].find((l) => l.textContent === text);
  return label ? root.querySelector(`#${label.getAttribute('for')}`) : null;
};
const buttonNamed = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent) === name);
const linkNamed = (root: ParentNode, name: string) => [...root.querySelectorAll('a')].find((a) => (a.getAttribute('aria-label') ?? a.textContent) === name);

cleanUpAfterEachTest();

describe('sessions view', () => {
  it('lists sessions with device, target, state, times, close reason and participants, as text', async () => {
    respond({ '/api/sessions': { items: [liveSession(), endedSession], next: null } });
    const view = sessionsView(context());
    await settle();
    const rows = [...view.element.querySelectorAll('tbody tr')];
    expect(rows.length).toBe(2);
    expect(rows[0].querySelector('img')).toBeNull();
    expect(rows[0].textContent).toContain('<img src=x onerror=alert(1)> (observer)');
    expect(rows[0].textContent).toContain('alice (controller)');
    expect(rows[0].querySelector('.badge')!.textContent).toBe('live');
    expect(rows[1].textContent).toContain('ended-by-admin: by root');
    expect(linkNamed(rows[0], 'Session 41 on plc-7/console')!.getAttribute('href')).toBe('/sessions/41');
    expect(view.element.querySelector('[role=status]')!.textContent).toBe('2 sessions, 1 live');
    view.dispose?.();
  });

  it('sends the filters from the URL and pages with the next cursor', async () => {
    const calls = respond({ '/api/sessions': { items: [liveSession()], next: 'c2' } });
    const view = sessionsView(context({}, 'live=true&device=7&user=alice'));
    await settle();
    expect((labelled(view.element, 'Live only') as HTMLInputElement).checked).toBe(true);
    expect((labelled(view.element, 'Device id') as HTMLInputElement).value).toBe('7');
    expect(calls[0].url).toBe('/api/sessions?live=true&device=7&user=alice&limit=50');
    const more = buttonNamed(view.element, 'Load older sessions')!;
    expect(more.hidden).toBe(false);
    more.click();
    await settle();
    expect(calls.at(-1)!.url).toBe('/api/sessions?live=true&device=7&user=alice&limit=50&cursor=c2');
    expect(view.element.querySelectorAll('tbody tr').length).toBe(2);
    view.dispose?.();
  });

  it('round-trips filters through the URL', () => {
    const filter = { live: true, device: '7', user: 'alice', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z' };
    expect(sessionFilterFromQuery(new URLSearchParams(sessionFilterToQuery(filter).slice(1)))).toEqual(filter);
    expect(sessionFilterToQuery({})).toBe('');
  });
});

describe('session view', () => {
  const CAST = [JSON.stringify({ version: 2, width: 80, height: 24, timestamp: 1764064800, title: 'plc-7/console' }), '[0.5, "o", "login: "]', '[1.0, "m", "gap: 3 s not recorded"]', ''].join('\n');

  it('shows the details, the participant spans and the export links', async () => {
    respond({ '/api/sessions/41/recording': { status: 404, detail: 'no recording' }, '/api/sessions/41': liveSession() });
    const view = sessionView(context({ id: '41' }));
    document.body.append(view.element);
    await settle();
    expect(view.element.querySelector('h1')!.textContent).toBe('Session 41');
    const facts = view.element.querySelector('[aria-label="Session details"]')!;
    expect(facts.textContent).toContain('plc-7');
    expect(facts.textContent).toContain('2.0 KiB');
    const spans = [...view.element.querySelectorAll('section[aria-labelledby="participants-title"] tbody tr')];
    expect(spans.map((r) => [...r.children].map((c) => c.textContent))).toEqual([
      ['alice', 'controller', 'web', '2026-11-25 10:00:00 UTC', 'still here'],
      ['<img src=x onerror=alert(1)>', 'observer', 'web', '2026-11-25 10:01:00 UTC', '2026-11-25 10:02:00 UTC'],
    ]);
    expect(linkNamed(view.element, 'Join the live session')!.getAttribute('href')).toBe('/devices/7/terminal/console');
    expect(buttonNamed(view.element, 'End session')).toBeUndefined(); // not an admin
    view.dispose?.();
  });

  it('says there is no recording when the recording answers 404, and hides the exports', async () => {
    respond({ '/api/sessions/41/recording': { status: 404, detail: 'no recording' }, '/api/sessions/41': liveSession() });
    const view = sessionView(context({ id: '41' }));
    document.body.append(view.element);
    await settle();
    expect(view.element.querySelector('.recording-status[role=alert]')!.textContent).toBe(NO_RECORDING);
    expect(view.element.querySelector('[aria-label="Export"]')!.hasAttribute('hidden')).toBe(true);
    view.dispose?.();
  });

  it('says the user may not replay when the recording answers 403', async () => {
    respond({ '/api/sessions/41/recording': { status: 403, detail: 'forbidden' }, '/api/sessions/41': liveSession() });
    const view = sessionView(context({ id: '41' }));
    document.body.append(view.element);
    await settle();
    expect(view.element.querySelector('.recording-status[role=alert]')!.textContent).toBe(NO_REPLAY_RIGHT);
    view.dispose?.();
  });

  it('does not ask for the recording of a session recorded with the policy off', async () => {
    const calls = respond({ '/api/sessions/40': { ...endedSession, recording: { policy: 'off', bytes: 0, gaps: 0 } } });
    const view = sessionView(context({ id: '40' }));
    await settle();
    expect(view.element.textContent).toContain(NO_RECORDING);
    expect(calls.some((c) => c.url.includes('/recording'))).toBe(false);
    expect(linkNamed(view.element, 'Join the live session')).toBeUndefined();
    view.dispose?.();
  });

  it('offers the downloads and a replay player with Play, Position, Speed and the time', async () => {
    respond({ '/api/sessions/40/recording': CAST, '/api/sessions/40': endedSession });
    const view = sessionView(context({ id: '40' }));
    document.body.append(view.element);
    await settle(10);
    expect(['Download raw', 'Download cast', 'Download transcript'].map((n) => linkNamed(view.element, n)?.getAttribute('href'))).toEqual([
      '/api/sessions/40/recording?format=raw',
      '/api/sessions/40/recording?format=cast',
      '/api/sessions/40/recording?format=text',
    ]);
    await vi.waitFor(() => expect(buttonNamed(view.element, 'Play')).toBeTruthy(), { timeout: 3000 });
    const position = labelled(view.element, 'Position') as HTMLInputElement;
    expect(position.type).toBe('range');
    expect(position.max).toBe('1000'); // the idle gap before the marker is kept (under 2 s)
    const speed = labelled(view.element, 'Speed') as HTMLSelectElement;
    expect([...speed.options].map((o) => o.textContent)).toEqual(['0.5×', '1×', '2×', '4×', '8×']);
    expect(speed.value).toBe('1');
    expect(view.element.querySelector('.replay-clock')!.textContent).toBe('0:00 / 0:01');
    expect(view.element.textContent).toContain('gap: 3 s not recorded');
    buttonNamed(view.element, 'Play')!.click();
    expect(buttonNamed(view.element, 'Pause')).toBeTruthy();
    buttonNamed(view.element, 'Pause')!.click();
    view.dispose?.();
  });

  it('lets an admin end a live session after confirming', async () => {
    await signInAs(true, 'operator');
    const calls = respond({
      'DELETE /api/sessions/41': { status: 204 },
      '/api/sessions/41/recording': { status: 404 },
      '/api/sessions/41': liveSession(),
    });
    const view = sessionView(context({ id: '41' }));
    document.body.append(view.element);
    await settle();
    buttonNamed(view.element, 'End session')!.click();
    await settle(1);
    buttonNamed(document.body.querySelector('dialog')!, 'End the session')!.click();
    await settle();
    const del = calls.find((c) => c.method === 'DELETE')!;
    expect(del.url).toBe('/api/sessions/41');
    expect(del.csrf).toBe('csrf-1');
    view.dispose?.();
  });

  it('shows the session ended after End session, re-reading while the portal still says live', async () => {
    await signInAs(true, 'operator');
    const routes: Record<string, unknown> = {
      'DELETE /api/sessions/41': { status: 204 },
      '/api/sessions/41/recording': { status: 404 },
      '/api/sessions/41': liveSession(),
    };
    const calls = respond(routes);
    const view = sessionView(context({ id: '41' }));
    document.body.append(view.element);
    await settle();
    buttonNamed(view.element, 'End session')!.click();
    await settle(1);
    buttonNamed(document.body.querySelector('dialog')!, 'End the session')!.click();
    await settle(); // the DELETE, then a re-read that still says live (the end is not written yet)
    const reads = () => calls.filter((c) => c.method === 'GET' && c.url === '/api/sessions/41').length;
    expect(reads()).toBe(2);
    routes['/api/sessions/41'] = liveSession({ state: 'ended', endedAt: '2026-11-25T10:05:00Z', closeReason: 'ended-by-admin: ended by admin root' });
    await vi.waitFor(() => expect(view.element.querySelector('.title-row .badge')!.textContent).toBe('ended'));
    expect(reads()).toBe(3);
    expect(buttonNamed(view.element, 'End session')).toBeUndefined();
    expect(view.element.textContent).toContain('ended-by-admin: ended by admin root');
    view.dispose?.();
  });
});

describe('device view: recent sessions and data flow', () => {
  it('lists the last 10 sessions of the device, live ones marked, and links each target to its data flow', async () => {
    const calls = respond({ '/api/devices/7': device(), '/api/sessions': { items: [liveSession(), endedSession], next: null } });
    const view = deviceView(context({ id: '7' }));
    await settle();
    expect(calls.some((c) => c.url === '/api/sessions?device=7&limit=10')).toBe(true);
    const section = view.element.querySelector('section[aria-labelledby="recent-sessions-title"]')!;
    expect(section.querySelector('h2')!.textContent).toBe('Recent sessions');
    expect(section.querySelector('tr[data-live="true"]')!.getAttribute('data-session-id')).toBe('41');
    expect(linkNamed(section, 'Session 40 on plc-7/console')!.getAttribute('href')).toBe('/sessions/40');
    expect(linkNamed(section, 'All sessions of this device')!.getAttribute('href')).toBe('/sessions?device=7');
    const flow = linkNamed(view.element, 'View data flow of plc-7/console')!;
    expect(flow.getAttribute('href')).toBe('/devices/7/flow/console');
    expect(flow.textContent).toBe('View data flow');
    view.dispose?.();
  });
});

describe('groups admin: recording', () => {
  it('saves a group recording policy and retention with PATCH', async () => {
    await signInAs(true, 'operator');
    const calls = respond({
      '/api/groups': { items: [{ id: 3, name: 'lab', recording: 'output', retentionDays: null }], next: null },
      'PATCH /api/groups/3': { id: 3, name: 'lab', recording: 'all', retentionDays: 30 },
    });
    const view = groupsView();
    document.body.append(view.element);
    await settle();
    const form = view.element.querySelector<HTMLFormElement>('form[aria-label="Recording of lab"]')!;
    const recording = labelled(form, 'Recording') as HTMLSelectElement;
    expect(recording.value).toBe('output');
    expect([...recording.options].map((o) => o.textContent)).toEqual(['Off', 'Output only', 'Output and input']);
    recording.value = 'all';
    recording.dispatchEvent(new Event('change'));
    expect(form.querySelector('.warning')!.hasAttribute('hidden')).toBe(false);
    expect(form.querySelector('.warning')!.textContent).toContain('passwords');
    (labelled(form, 'Retention (days)') as HTMLInputElement).value = '30';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url).toBe('/api/groups/3');
    expect(patch.body).toEqual({ recording: 'all', retentionDays: 30 });
    expect(patch.csrf).toBe('csrf-1');
    expect(form.querySelector('[role=status]')!.textContent).toBe('Saved: output and input, kept 30 days.');
  });

  it('sends an empty retention as null (the deployment default) and refuses nonsense', () => {
    expect(groupPatch('output', ' ')).toEqual({ ok: true, patch: { recording: 'output', defaultRetention: true } });
    expect(groupPatch('off', '7')).toEqual({ ok: true, patch: { recording: 'off', retentionDays: 7 } });
    expect(groupPatch('output', '0').ok).toBe(false);
    expect(groupPatch('output', '1.5').ok).toBe(false);
    expect(groupPatch('output', '36500')).toEqual({ ok: true, patch: { recording: 'output', retentionDays: 36500 } });
    expect(groupPatch('output', '36501').ok).toBe(false);
    expect(groupPatch('output', '2147483647').ok).toBe(false);
    expect(groupPatch('everything', '').ok).toBe(false);
  });
});

describe('groups admin: defaults of new devices', () => {
  it('saves the default encoding and tags with PATCH and says what new devices get', async () => {
    await signInAs(true, 'operator');
    const calls = respond({
      '/api/groups': { items: [{ id: 3, name: 'lab', recording: 'output', retentionDays: null, defaultEncoding: 'utf-8', defaultTags: ['old'] }], next: null },
      'PATCH /api/groups/3': { id: 3, name: 'lab', recording: 'output', retentionDays: null, defaultEncoding: 'cp437', defaultTags: ['site-a', 'rack-2'] },
    });
    const view = groupsView();
    document.body.append(view.element);
    await settle();
    const form = view.element.querySelector<HTMLFormElement>('form[aria-label="New devices in lab"]')!;
    const encoding = labelled(form, 'Default encoding') as HTMLSelectElement;
    const tags = labelled(form, 'Default tags') as HTMLInputElement;
    expect(encoding.value).toBe('utf-8');
    expect(tags.value).toBe('old');
    encoding.value = 'cp437';
    tags.value = 'site-a, rack-2 site-a';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.body).toEqual({ defaultEncoding: 'cp437', defaultTags: ['site-a', 'rack-2'] });
    expect(form.querySelector('[role=status]')!.textContent).toBe('Saved: new devices get CP437 (IBM PC), tags site-a rack-2.');
  });

  it('refuses an unknown encoding, a bad tag and too many tags before sending', () => {
    expect(groupDefaultsPatch('latin-1', '')).toEqual({ ok: true, patch: { defaultEncoding: 'latin-1', defaultTags: [] } });
    expect(groupDefaultsPatch('ebcdic', '').ok).toBe(false);
    const bad = groupDefaultsPatch('utf-8', 'ok bad/tag');
    expect(bad.ok ? null : bad.error).toContain('"bad/tag"');
    expect(groupDefaultsPatch('utf-8', Array.from({ length: 33 }, (_, i) => `t${i}`).join(' ')).ok).toBe(false);
  });
});

describe('user admin: replay grants', () => {
  it('adds a grant with "May replay sessions" and shows it in the grants list', async () => {
    await signInAs(true, 'operator');
    const grants: Grant[] = [{ id: 5, userId: 9, group: 'default', role: 'viewer', replay: true }];
    const calls = respond({
      '/api/users/9/grants': { items: grants, next: null },
      'POST /api/users/9/grants': { id: 6, userId: 9, group: 'lab', role: 'operator', replay: true },
      '/api/users/9': { id: 9, username: 'vic', admin: false, disabled: false, createdAt: '2026-11-25T10:00:00Z' },
      '/api/groups': { items: [{ id: 1, name: 'default' }, { id: 3, name: 'lab' }], next: null },
    });
    const view = userView(context({ id: '9' }));
    document.body.append(view.element);
    await settle();
    const row = [...view.element.querySelectorAll('tbody tr')].find((r) => r.textContent?.includes('default'))!;
    expect(row.textContent).toContain('may replay');
    const form = view.element.querySelector<HTMLFormElement>('form[aria-label="Add grant"]')!;
    (labelled(form, 'Group') as HTMLSelectElement).value = 'lab';
    (labelled(form, 'Role') as HTMLSelectElement).value = 'operator';
    (labelled(form, 'May replay sessions') as HTMLInputElement).checked = true;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await settle();
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ group: 'lab', role: 'operator', replay: true });
  });
});
