// How a console log reads on the page: each line with its local time, and markers (logging started,
// stopped, or a gap where nothing was logged) set apart so a gap is never mistaken for a quiet
// device. Lines come decoded from the portal and go in as text.

import type { LogItem, LogPage } from '../api/types';
import { h } from '../dom';
import { exact, localTime } from '../format';

/** What a marker says about the log around it. */
export type MarkerKind = 'start' | 'gap' | 'stop' | 'note';

/** The marker's kind from its words (docs/console-log.md lists them). */
export function markerKind(marker: string): MarkerKind {
  if (marker.startsWith('logging started')) return 'start';
  if (marker.startsWith('logging resumed') || marker.includes('not logged')) return 'gap';
  if (marker.startsWith('logging stopped')) return 'stop';
  return 'note';
}

/** The word shown before a marker (and read out first). */
export const MARKER_LABELS: Record<MarkerKind, string> = {
  start: 'Logging',
  gap: 'Gap',
  stop: 'Stopped',
  note: 'Note',
};

function time(iso: string): HTMLElement {
  return h('time', { class: 'log-time', attrs: { datetime: iso, title: exact(iso) } }, localTime(iso));
}

export function logItem(item: LogItem): HTMLLIElement {
  if (item.text === null) {
    const kind = markerKind(item.marker ?? '');
    return h(
      'li',
      { class: `log-marker log-marker-${kind}` },
      time(item.at),
      h('span', { class: 'log-marker-text' }, h('strong', null, `${MARKER_LABELS[kind]}: `), item.marker ?? ''),
    );
  }
  return h('li', { class: 'log-line' }, time(item.at), h('span', { class: 'log-text' }, item.text));
}

/** The items in order, as a list a screen reader can count. */
export function logList(items: LogItem[]): HTMLOListElement {
  return h('ol', { class: 'log-lines', attrs: { 'aria-label': 'Console log lines' } }, items.map(logItem));
}

/** "12 lines and 1 marker, page 2; newer lines follow": what the shown page holds. */
export function pageSummary(page: Pick<LogPage, 'items' | 'next'>, pageNumber: number): string {
  const lines = page.items.filter((i) => i.text !== null).length;
  const markers = page.items.length - lines;
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const parts = [count(lines, 'line'), markers > 0 ? ` and ${count(markers, 'marker')}` : ''];
  const where = pageNumber > 1 || page.next ? `, page ${pageNumber}${page.next ? '; newer lines follow' : ''}` : '';
  return `${parts.join('')}${where}`;
}

/** What an empty page says: nothing in the range, nothing found, or a target that is not logged. */
export function emptyText(searching: boolean, logging: boolean): string {
  if (searching) return 'No line in this time range matches the search.';
  return logging ? 'Nothing was logged in this time range.' : 'Nothing was logged in this time range, and this target is not logged now.';
}
