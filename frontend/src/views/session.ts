// One session (/sessions/{id}): what it was (device, target, times, close reason, bytes, recording),
// who took part in which role, the recording's exports, and a replay player. Admins may end a live
// session here.

import { ApiError, describeError } from '../api/http';
import * as sessionsApi from '../api/sessions';
import type { RecordingFormat, RecordingPolicy, Session } from '../api/types';
import { confirmDialog } from '../components/confirm';
import { terminalPath } from '../components/deviceBits';
import { errorNotice } from '../components/notice';
import { bytes, duration, sessionStateBadge, timeCell } from '../components/sessionBits';
import { append, h, replace } from '../dom';
import type { View, ViewContext } from '../router';
import { CastError, parseCast } from '../replay/cast';
import * as session from '../session';

export const NO_RECORDING = "No recording: the device group's recording policy was off";
export const NO_REPLAY_RIGHT = 'You do not have the right to replay sessions of this device';

/** After End session: how often (and how many times) the page re-reads the session until it has ended. */
const ENDED_READ_MS = 250;
const ENDED_READS = 20;

const POLICY_LABELS: Record<RecordingPolicy, string> = {
  off: 'off',
  output: 'output only',
  all: 'output and input',
};

const EXPORTS: { format: RecordingFormat; label: string; extension: string }[] = [
  { format: 'raw', label: 'Download raw', extension: 'raw' },
  { format: 'cast', label: 'Download cast', extension: 'cast' },
  { format: 'text', label: 'Download transcript', extension: 'txt' },
];

export function sessionView(context: ViewContext): View {
  const id = Number(context.params.id);
  const element = h('section', { class: 'session' }, h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading session…'));
  const error = errorNotice();
  let disposed = false;
  let disposePlayer: (() => void) | null = null;
  const view: View = {
    title: 'Session',
    element,
    dispose() {
      disposed = true;
      disposePlayer?.();
    },
  };

  const show = (s: Session) => {
    disposePlayer?.(); // a re-read (after End session) replaces the page, its replay player too
    disposePlayer = null;
    document.title = `Session ${s.id} · ${s.device.name}/${s.target} · Tether`;
    replace(
      element,
      h('p', { class: 'crumbs' }, h('a', { attrs: { href: '/sessions' } }, 'Sessions')),
      h('div', { class: 'title-row title-start' }, h('h1', null, `Session ${s.id}`), sessionStateBadge(s.state)),
      error.element,
      facts(s),
      actions(s),
      participants(s),
      recording(s),
    );
  };

  const load = async () => {
    try {
      const s = await sessionsApi.get(id);
      if (!disposed) show(s);
    } catch (e) {
      if (disposed) return;
      if (e instanceof ApiError && e.status === 404) {
        replace(element, notFound());
      } else {
        error.error(e);
        replace(element, h('h1', null, 'Session'), error.element);
      }
    }
  };

  // DELETE answers once the end is under way and the portal writes the session's end a moment
  // later: a GET right after may still say live, so re-read briefly until it says ended
  const showEnded = async () => {
    for (let reads = 1; !disposed; reads++) {
      const s = await sessionsApi.get(id);
      if (disposed) return;
      if (s.state !== 'live' || reads >= ENDED_READS) {
        show(s);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, ENDED_READ_MS));
    }
  };

  const actions = (s: Session) => {
    if (s.state !== 'live') return null;
    const end = session.isAdmin()
      ? h(
          'button',
          {
            class: 'btn btn-danger',
            attrs: { type: 'button' },
            on: {
              click: async () => {
                const ok = await confirmDialog({
                  title: `End session ${s.id} on ${s.device.name}/${s.target}?`,
                  message: 'Everyone in it is disconnected at once; it closes as ended-by-admin.',
                  confirmLabel: 'End the session',
                });
                if (!ok) return;
                error.clear();
                try {
                  await sessionsApi.end(s.id);
                  await showEnded();
                } catch (e) {
                  error.error(e);
                }
              },
            },
          },
          'End session',
        )
      : null;
    return h(
      'div',
      { class: 'actions' },
      h('a', { class: 'btn btn-plain', attrs: { href: terminalPath(s.device.id, s.target) } }, 'Join the live session'),
      end,
    );
  };

  const recording = (s: Session) => {
    const section = h('section', { attrs: { 'aria-labelledby': 'recording-title' } }, h('h2', { attrs: { id: 'recording-title' } }, 'Recording'));
    if (s.recording?.policy === 'off') {
      section.append(h('p', { class: 'muted' }, NO_RECORDING));
      return section;
    }
    const links = h(
      'div',
      { class: 'actions', attrs: { role: 'group', 'aria-label': 'Export' } },
      EXPORTS.map((x) =>
        h('a', { class: 'btn btn-plain', attrs: { href: sessionsApi.recordingUrl(s.id, x.format), download: `session-${s.id}.${x.extension}` } }, x.label),
      ),
    );
    const status = h('p', { class: 'muted recording-status', attrs: { role: 'status' } }, 'Loading the recording…');
    const stage = h('div', { class: 'replay-stage' });
    append(
      section,
      s.state === 'live' ? h('p', { class: 'hint' }, 'The session is still live: this is the recording so far.') : null,
      links,
      status,
      stage,
    );
    void loadReplay(s, links, status, stage);
    return section;
  };

  const loadReplay = async (s: Session, links: HTMLElement, status: HTMLElement, stage: HTMLElement) => {
    try {
      const text = await sessionsApi.recordingText(s.id, 'cast');
      const cast = parseCast(text);
      const { replayPlayer } = await import('../replay/player');
      if (disposed) return;
      const player = replayPlayer(cast);
      disposePlayer = () => player.dispose();
      status.textContent = cast.events.length === 0 ? 'The recording holds no output yet.' : '';
      status.hidden = cast.events.length > 0;
      stage.append(player.element);
      player.mount();
    } catch (e) {
      if (disposed) return;
      status.className = 'notice notice-error recording-status';
      status.setAttribute('role', 'alert');
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) {
        status.textContent = e.status === 404 ? NO_RECORDING : NO_REPLAY_RIGHT;
        links.hidden = true;
      } else if (e instanceof CastError) {
        status.textContent = `The recording cannot be replayed: ${e.message}.`;
      } else {
        status.textContent = `The recording could not be loaded: ${describeError(e)}`;
      }
    }
  };

  if (!Number.isInteger(id) || id <= 0) {
    replace(element, notFound());
  } else {
    void load();
  }
  return view;
}

function facts(s: Session): HTMLElement {
  const item = (term: string, value: Node | string) => [h('dt', null, term), h('dd', null, value)];
  const rec = s.recording;
  return h(
    'dl',
    { class: 'facts', attrs: { 'aria-label': 'Session details' } },
    item('Device', h('a', { attrs: { href: `/devices/${s.device.id}` } }, s.device.name)),
    item('Target', s.target),
    item('State', sessionStateBadge(s.state)),
    item('Started', timeCell(s.startedAt)),
    item('Ended', timeCell(s.endedAt)),
    item('Duration', duration(s.startedAt, s.endedAt)),
    item('Close reason', s.closeReason ?? '—'),
    item('To the device', bytes(s.bytesIn)),
    item('From the device', bytes(s.bytesOut)),
    item(
      'Recording',
      rec ? `${POLICY_LABELS[rec.policy] ?? rec.policy}${rec.policy === 'off' ? '' : `, ${bytes(rec.bytes)}${rec.gaps > 0 ? `, ${rec.gaps} gap${rec.gaps === 1 ? '' : 's'}` : ''}`}` : '—',
    ),
  );
}

function participants(s: Session): HTMLElement {
  return h(
    'section',
    { attrs: { 'aria-labelledby': 'participants-title' } },
    h('h2', { attrs: { id: 'participants-title' } }, 'Participants'),
    s.participants.length === 0
      ? h('p', { class: 'muted' }, 'Nobody took part.')
      : h(
          'table',
          { class: 'list' },
          h('caption', { class: 'visually-hidden' }, 'Participants, one row per span in one role'),
          h('thead', null, h('tr', null, ['Username', 'Role', 'Via', 'Joined', 'Left'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
          h(
            'tbody',
            null,
            s.participants.map((p) =>
              h(
                'tr',
                null,
                h('th', { attrs: { scope: 'row' } }, p.username),
                h('td', null, p.role),
                h('td', null, p.via ?? ''),
                h('td', null, timeCell(p.joinedAt)),
                h('td', null, p.leftAt ? timeCell(p.leftAt) : s.state === 'live' ? 'still here' : '—'),
              ),
            ),
          ),
        ),
  );
}

function notFound(): HTMLElement {
  return h(
    'div',
    null,
    h('h1', null, 'No such session'),
    h('p', null, 'This session does not exist, or it was on a device you may not see.'),
    h('p', null, h('a', { attrs: { href: '/sessions' } }, 'Back to the sessions')),
  );
}
