// Admin: the portal's nodes (GET /api/nodes), re-read every few seconds while the page is open.
// Rows are kept per node id and changed in place, so a refresh neither flickers nor drops a text
// selection; a failed refresh says so above the table and the last list stays.

import { describeError } from '../../api/http';
import * as nodesApi from '../../api/nodes';
import type { PortalNode } from '../../api/types';
import { copyText } from '../../components/secret';
import { errorNotice } from '../../components/notice';
import { h } from '../../dom';
import { exact } from '../../format';
import type { View } from '../../router';
import { heartbeatAgo, NODE_REFRESH_MS, shortNodeId, sortNodes, stateBadgeClass } from './nodeList';

export function nodesView(): View {
  const error = errorNotice();
  const summary = h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading nodes…');
  const body = h('tbody');
  const rows = new Map<string, NodeRow>();
  let lastRead: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const load = async () => {
    try {
      const nodes = sortNodes(await nodesApi.list());
      if (disposed) return;
      show(body, rows, nodes, new Date());
      lastRead = new Date().toISOString();
      error.clear();
      const live = nodes.filter((n) => n.state === 'live').length;
      summary.textContent = `${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${live} live. Refreshed every ${NODE_REFRESH_MS / 1000} s.`;
    } catch (e) {
      if (disposed) return;
      error.show(`Refresh failed: ${describeError(e)}.${lastRead ? ` Showing the list as read at ${exact(lastRead)}.` : ''}`);
    }
    // the next read is timed from this answer, so a slow portal never gets overlapping requests
    if (!disposed) timer = setTimeout(() => void load(), NODE_REFRESH_MS);
  };
  void load();

  return {
    title: 'Nodes',
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
    element: h(
      'section',
      null,
      h('h1', null, 'Nodes'),
      h('p', { class: 'hint' }, 'The portal processes sharing this database. A single portal is one node, without an internal URL, epoch or heartbeat.'),
      error.element,
      summary,
      h(
        'table',
        { class: 'list nodes' },
        h('caption', { class: 'visually-hidden' }, 'Nodes'),
        h('thead', null, h('tr', null, ['Node', 'Internal URL', 'State', 'Devices', 'Epoch', 'Last heartbeat'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
        body,
      ),
    ),
  };
}

/** The parts of one node's row that a refresh changes. */
interface NodeRow {
  tr: HTMLTableRowElement;
  url: HTMLElement;
  state: HTMLElement;
  devices: HTMLElement;
  epoch: HTMLElement;
  heartbeat: HTMLTimeElement;
}

/** Brings {@code body} to {@code nodes} (already in order): new rows added, gone ones removed, the rest changed in place. */
function show(body: HTMLElement, rows: Map<string, NodeRow>, nodes: PortalNode[], now: Date): void {
  const seen = new Set(nodes.map((n) => n.id));
  for (const [id, row] of rows) {
    if (!seen.has(id)) {
      row.tr.remove();
      rows.delete(id);
    }
  }
  nodes.forEach((node, i) => {
    let row = rows.get(node.id);
    if (!row) {
      row = nodeRow(node.id);
      rows.set(node.id, row);
    }
    update(row, node, now);
    if (body.children[i] !== row.tr) body.insertBefore(row.tr, body.children[i] ?? null);
  });
}

function nodeRow(id: string): NodeRow {
  const short = shortNodeId(id);
  const copied = h('span', { class: 'copy-result', attrs: { role: 'status' } });
  const copy = h(
    'button',
    {
      class: 'btn btn-plain btn-small',
      attrs: { type: 'button', 'aria-label': `Copy node id ${short}`, title: 'Copy the full node id' },
      on: {
        click: async () => {
          copied.textContent = (await copyText(id)) ? 'Copied' : '';
        },
      },
    },
    'Copy',
  );
  const row: NodeRow = {
    tr: h('tr', { attrs: { 'data-node': id } }),
    url: h('td', { class: 'mono' }),
    state: h('span'),
    devices: h('td'),
    epoch: h('td'),
    heartbeat: h('time'),
  };
  row.tr.append(
    h('th', { attrs: { scope: 'row' } }, h('code', { attrs: { title: id } }, short), ' ', copy, copied),
    row.url,
    h('td', null, row.state),
    row.devices,
    row.epoch,
    h('td', null, row.heartbeat),
  );
  return row;
}

function update(row: NodeRow, node: PortalNode, now: Date): void {
  setText(row.url, node.url ?? '—');
  setText(row.state, node.state);
  if (row.state.className !== stateBadgeClass(node.state)) row.state.className = stateBadgeClass(node.state);
  setText(row.devices, String(node.devices));
  setText(row.epoch, node.epoch === null ? '—' : String(node.epoch));
  setText(row.heartbeat, heartbeatAgo(node.lastHeartbeat, now));
  setAttr(row.heartbeat, 'datetime', node.lastHeartbeat);
  setAttr(row.heartbeat, 'title', node.lastHeartbeat ? exact(node.lastHeartbeat) : null);
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

function setAttr(el: HTMLElement, name: string, value: string | null): void {
  if (value === null) el.removeAttribute(name);
  else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
