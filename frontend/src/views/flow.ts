// View data flow (/devices/{id}/flow/{target}): a live, read-only tail of a device target's traffic
// without taking part in a session. One row per chunk: arrival time, direction, hex and printable
// ASCII. The newest rows are kept (a bounded number); Pause holds new rows back, Clear empties.

import * as devicesApi from '../api/devices';
import { ApiError } from '../api/http';
import { sessionPagePath } from '../api/sessions';
import type { Device } from '../api/types';
import { errorNotice } from '../components/notice';
import { h, replace } from '../dom';
import { clockTime, DIRECTION_LABELS, type FlowChunk, formatDump } from '../flow/dump';
import { ChunkLog, type FlowState, FlowTail, flowUrl, inputNotice } from '../flow/tail';
import type { View, ViewContext } from '../router';

/** Rows kept on screen: enough to scroll back through a boot log, bounded so the page stays fast. */
export const MAX_ROWS = 2000;

interface Row {
  at: Date;
  chunk: FlowChunk;
}

export function flowView(context: ViewContext): View {
  const id = Number(context.params.id);
  const target = context.params.target ?? '';
  const element = h('section', { class: 'flow' }, h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading…'));
  let tail: FlowTail | null = null;
  let disposed = false;
  const view: View = {
    title: 'Data flow',
    element,
    dispose() {
      disposed = true;
      tail?.close();
    },
  };

  if (!Number.isInteger(id) || id <= 0 || !target) {
    replace(element, notFound());
    return view;
  }
  devicesApi
    .get(id)
    .then((device) => {
      if (disposed) return;
      tail = show(element, device, target);
    })
    .catch((e) => {
      if (disposed) return;
      if (e instanceof ApiError && e.status === 404) {
        replace(element, notFound());
      } else {
        const error = errorNotice();
        error.error(e);
        replace(element, h('h1', null, 'Data flow'), error.element);
      }
    });
  return view;
}

function show(element: HTMLElement, device: Device, target: string): FlowTail {
  const label = `${device.name}/${target}`;
  document.title = `Data flow · ${label} · Tether`;
  const status = h('p', { class: 'flow-status', attrs: { role: 'status' } });
  // said by the portal once connected: typed input is only for the replay right (docs/api.md)
  const input = h('p', { class: 'flow-input', attrs: { role: 'note', hidden: true } });
  const counter = h('span', { class: 'muted flow-count' });
  const body = h('tbody');
  const scroller = h(
    'div',
    { class: 'flow-dump', attrs: { tabindex: '0', role: 'region', 'aria-label': `Traffic of ${label}` } },
    h(
      'table',
      { class: 'list flow-table' },
      h('caption', { class: 'visually-hidden' }, `Traffic of ${label}, oldest first`),
      h('thead', null, h('tr', null, ['Time', 'Direction', 'Hex', 'ASCII'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
      body,
    ),
  );
  const reconnect = h('button', { class: 'btn btn-primary', attrs: { type: 'button', hidden: true } }, 'Reconnect');
  const pauseButton = h('button', { class: 'btn btn-plain', attrs: { type: 'button' } }, 'Pause');
  const clearButton = h('button', { class: 'btn btn-plain', attrs: { type: 'button' } }, 'Clear');

  const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 24;
  const log = new ChunkLog<Row>(
    MAX_ROWS,
    (rows) => {
      const follow = atBottom();
      body.append(...rows.map(rowFor));
      if (follow) scroller.scrollTop = scroller.scrollHeight;
    },
    (keep) => {
      while (body.childElementCount > keep) body.firstElementChild?.remove();
    },
  );
  const count = () => {
    const shown = body.childElementCount;
    const text = `${shown} chunk${shown === 1 ? '' : 's'} shown`;
    counter.textContent = log.paused ? `${text}; paused: ${log.pending} waiting${log.skipped ? ` (${log.skipped} older dropped)` : ''}` : text;
  };

  const tail = new FlowTail(flowUrl(location, device.id, target), {
    state: (state) => {
      describe(status, state, label);
      reconnect.hidden = state.kind !== 'closed';
    },
    chunk: (chunk) => {
      log.add({ at: new Date(), chunk });
      count();
    },
    input: (visibility) => {
      input.textContent = inputNotice(visibility);
      input.classList.toggle('flow-input-hidden', !visibility.shown);
      input.hidden = false;
    },
  });
  reconnect.addEventListener('click', () => tail.connect());
  pauseButton.addEventListener('click', () => {
    if (log.paused) log.resume();
    else log.pause();
    pauseButton.textContent = log.paused ? 'Resume' : 'Pause';
    count();
  });
  clearButton.addEventListener('click', () => {
    log.clear();
    replace(body);
    count();
  });

  replace(
    element,
    h('p', { class: 'crumbs' }, h('a', { attrs: { href: '/devices' } }, 'Devices'), ' / ', h('a', { attrs: { href: `/devices/${device.id}` } }, device.name)),
    h('h1', null, `Data flow of ${label}`),
    h(
      'p',
      { class: 'hint' },
      "A read-only tail of the traffic of whatever session is live on this target. Watching does not open the device or take part in the session, but the session's participants see you listed as a watcher.",
    ),
    h('div', { class: 'flow-bar' }, status, reconnect),
    input,
    h('div', { class: 'actions', attrs: { role: 'toolbar', 'aria-label': 'Data flow' } }, pauseButton, clearButton, counter),
    scroller,
  );
  count();
  tail.connect();
  return tail;
}

function describe(status: HTMLElement, state: FlowState, label: string): void {
  switch (state.kind) {
    case 'connecting':
      replace(status, h('span', { class: 'badge' }, 'connecting'), ` Connecting to ${label}…`);
      break;
    case 'idle':
      replace(status, h('span', { class: 'badge badge-offline' }, 'idle'), ` No session is live on ${label}: traffic shows here once one starts.`);
      break;
    case 'live':
      replace(
        status,
        h('span', { class: 'badge badge-live' }, 'live'),
        ' A session is live on ',
        label,
        state.session === null ? '.' : [': ', h('a', { attrs: { href: sessionPagePath(state.session) } }, `session ${state.session}`), '.'],
      );
      break;
    case 'closed':
      replace(status, h('span', { class: 'badge badge-offline' }, 'closed'), ` The data flow closed: ${state.reason.replace(/[.\s]+$/, '')}.`);
      break;
  }
}

function rowFor(row: Row): HTMLTableRowElement {
  const dump = formatDump(row.chunk.bytes);
  const more = dump.omitted > 0 ? `… ${dump.omitted} more bytes` : null;
  return h(
    'tr',
    { class: `flow-${row.chunk.direction}` },
    h('td', { class: 'mono' }, h('time', { attrs: { datetime: row.at.toISOString() } }, clockTime(row.at))),
    h('td', null, DIRECTION_LABELS[row.chunk.direction]),
    h('td', null, h('pre', { class: 'flow-hex' }, dump.hex.join('\n'), more ? `\n${more}` : null)),
    h('td', null, h('pre', { class: 'flow-ascii' }, dump.ascii.join('\n'))),
  );
}

function notFound(): HTMLElement {
  return h(
    'div',
    null,
    h('h1', null, 'No such device'),
    h('p', null, 'This device does not exist, was deleted, or you may not see it.'),
    h('p', null, h('a', { attrs: { href: '/devices' } }, 'Back to the devices')),
  );
}
