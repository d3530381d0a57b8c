// A device target's console log (/devices/{id}/targets/{target}/log): what the device printed, with
// or without anyone connected, each line with its local time and the log's markers (gaps) set
// apart. A time range (a preset or from–to), a search the portal runs (plain text or a regular
// expression), older and newer pages with the portal's cursor, and downloads of the range as text
// (and raw bytes for admins). The range and search live in the URL.

import * as logApi from '../api/consoleLog';
import * as devicesApi from '../api/devices';
import type { Device, LogPage } from '../api/types';
import { consoleLogPath, openTerminalLink } from '../components/deviceBits';
import { checkbox, input, markInvalid, problemField, select } from '../components/form';
import { errorNotice } from '../components/notice';
import { h, replace } from '../dom';
import { isoToLocalInput, localInputToIso, localZone } from '../format';
import type { View, ViewContext } from '../router';
import * as session from '../session';
import { emptyText, logList, pageSummary } from './consoleLogLines';
import { LOG_PAGE_LINES, LOG_RANGES, type LogFilter, LogPager, type LogRange, logFilterFromQuery, logFilterToQuery, logQuery } from './consoleLogQuery';

export function consoleLogView(context: ViewContext): View {
  const id = Number(context.params.id);
  const target = context.params.target ?? '';
  const initial = logFilterFromQuery(context.query);
  const range = select('Time range', 'range', LOG_RANGES, initial.range);
  const from = input({ label: 'From', name: 'from', type: 'datetime-local', value: isoToLocalInput(initial.from) });
  const to = input({ label: 'To', name: 'to', type: 'datetime-local', value: isoToLocalInput(initial.to) });
  const search = input({ label: 'Search', name: 'q', type: 'search', value: initial.q ?? '', hint: 'Plain text ignores case.' });
  const regex = checkbox('Regular expression', 'regex', initial.regex === true);
  const error = errorNotice();
  const status = h('p', { class: 'log-status' });
  const summary = h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading the log…');
  const lines = h('div', { class: 'log-view' });
  const older = h('button', { class: 'btn btn-plain', attrs: { type: 'button' } }, '← Older lines');
  const newer = h('button', { class: 'btn btn-plain', attrs: { type: 'button' } }, 'Newer lines →');
  const refresh = h('button', { class: 'btn btn-plain', attrs: { type: 'button' } }, 'Refresh');
  const download = h('a', { class: 'btn btn-plain', attrs: { download: '' } }, 'Download');
  const downloadRaw = session.isAdmin() ? h('a', { class: 'btn btn-plain', attrs: { download: '' } }, 'Download raw') : null;
  const terminal = h('span');
  const title = h('h1', null, 'Console log');
  const crumbs = h('p', { class: 'crumbs' }, h('a', { attrs: { href: '/devices' } }, 'Devices'));
  const pager = new LogPager();
  let filter: LogFilter = initial;
  let generation = 0;
  let disposed = false;

  const showCustom = () => {
    const custom = range.control.value === 'custom';
    from.row.hidden = !custom;
    to.row.hidden = !custom;
  };
  range.control.addEventListener('change', showCustom);
  showCustom();

  const readFilter = (): LogFilter => {
    const chosen = range.control.value as LogRange;
    const q = search.control.value || undefined;
    return {
      range: chosen,
      from: chosen === 'custom' ? localInputToIso(from.control.value) : undefined,
      to: chosen === 'custom' ? localInputToIso(to.control.value) : undefined,
      q,
      regex: q !== undefined && regex.control.checked ? true : undefined,
    };
  };

  const show = (page: LogPage) => {
    pager.loaded(page.next);
    older.hidden = !pager.hasOlder;
    newer.hidden = !pager.hasNewer;
    replace(
      status,
      h('span', { class: `badge ${page.logging ? 'badge-live' : 'badge-offline'}` }, page.logging ? 'logging' : 'not logging'),
      ' ',
      page.logging ? 'Everything the device prints is kept, whether anyone is connected or not.' : 'This target is not logged now: the log holds what was kept before.',
    );
    const searching = filter.q !== undefined;
    summary.textContent = page.items.length === 0 ? emptyText(searching, page.logging) : pageSummary(page, pager.number);
    replace(lines, page.items.length === 0 ? null : logList(page.items));
  };

  /** Loads the pager's page of the current filter; a newer load wins over one still in flight. */
  const load = async () => {
    const mine = ++generation;
    error.clear();
    markInvalid({ q: search.control }, null);
    summary.textContent = 'Loading the log…';
    const query = { ...logQuery(filter), limit: LOG_PAGE_LINES, cursor: pager.cursor };
    download.setAttribute('href', logApi.downloadUrl(id, target, query, 'text'));
    downloadRaw?.setAttribute('href', logApi.downloadUrl(id, target, query, 'raw'));
    try {
      const page = await logApi.page(id, target, query);
      if (mine === generation && !disposed) show(page);
    } catch (e) {
      if (mine !== generation || disposed) return;
      summary.textContent = 'The log could not be read.';
      replace(lines);
      error.error(e);
      if (problemField(e) === 'q') markInvalid({ q: search.control }, 'q');
    }
  };

  const apply = () => {
    filter = readFilter();
    history.replaceState(null, '', `${consoleLogPath(id, target)}${logFilterToQuery(filter)}`);
    pager.restart();
    void load();
  };
  older.addEventListener('click', () => pager.older() && void load());
  newer.addEventListener('click', () => pager.newer() && void load());
  refresh.addEventListener('click', () => void load());

  const named = (device: Device | null) => {
    const label = `${device?.name ?? `Device ${id}`}/${target}`;
    replace(title, `Console log of ${label}`);
    document.title = `Console log · ${label} · Tether`;
    if (device) {
      crumbs.append(' › ', h('a', { attrs: { href: `/devices/${id}` } }, device.name));
      const operable = session.canOperate(device.group) && device.state !== 'pending' && device.targets.some((t) => t.name === target);
      const open = operable ? openTerminalLink(device, target) : null;
      if (open) open.className = 'btn btn-plain'; // as tall as its neighbours here, not a table's small button
      replace(terminal, open);
    }
  };

  const element = h(
    'section',
    { class: 'console-log' },
    crumbs,
    title,
    status,
    h(
      'form',
      {
        class: 'filters',
        attrs: { role: 'search', 'aria-label': 'Time range and search of the log' },
        on: {
          submit: (event) => {
            event.preventDefault();
            apply();
          },
        },
      },
      range.row,
      from.row,
      to.row,
      search.row,
      regex.row,
      h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Show')),
    ),
    h('p', { class: 'hint' }, `Times are this browser's local time (${localZone()}); hover one for UTC.`),
    h('div', { class: 'actions', attrs: { role: 'group', 'aria-label': 'Log actions' } }, download, downloadRaw, refresh, terminal),
    error.element,
    summary,
    lines,
    h('nav', { class: 'actions log-pages', attrs: { 'aria-label': 'Pages of the log' } }, older, newer),
  );

  if (!Number.isInteger(id) || id <= 0 || !target) {
    replace(element, h('h1', null, 'No such console log'), h('p', null, h('a', { attrs: { href: '/devices' } }, 'Back to the devices')));
  } else {
    named(null);
    devicesApi
      .get(id)
      .then((device) => !disposed && named(device))
      .catch(() => {
        // the log's own answer says what went wrong (404, 403); the device's name is a nicety
      });
    pager.restart();
    void load();
  }
  return {
    title: 'Console log',
    element,
    dispose() {
      disposed = true;
    },
  };
}
