// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { LogItem } from '../api/types';
import { emptyText, logList, markerKind, pageSummary } from './consoleLogLines';

const items: LogItem[] = [
  { at: '2026-12-05T09:00:00Z', text: null, marker: 'logging started' },
  { at: '2026-12-05T09:00:01Z', text: '<img src=x onerror=alert(1)>', marker: null },
  { at: '2026-12-05T09:30:00Z', text: null, marker: 'logging resumed: nothing was logged since 2026-12-05T09:10:00Z' },
  { at: '2026-12-05T09:30:01Z', text: null, marker: '4096 bytes not logged: the log store could not keep up' },
  { at: '2026-12-05T09:40:00Z', text: null, marker: 'logging stopped: device-offline' },
];

describe('console log lines', () => {
  it('tells gaps from starts and stops by the marker words', () => {
    expect(items.slice(2).map((i) => markerKind(i.marker!))).toEqual(['gap', 'gap', 'stop']);
    expect(markerKind('logging started')).toBe('start');
    expect(markerKind('something new')).toBe('note');
  });

  it('shows markers apart from lines, named by kind, and every line as text with its time', () => {
    const list = logList(items);
    const rows = [...list.children] as HTMLElement[];
    expect(rows.map((r) => r.className)).toEqual(['log-marker log-marker-start', 'log-line', 'log-marker log-marker-gap', 'log-marker log-marker-gap', 'log-marker log-marker-stop']);
    expect(rows[2].querySelector('.log-marker-text')!.textContent).toBe('Gap: logging resumed: nothing was logged since 2026-12-05T09:10:00Z');
    expect(rows[4].textContent).toContain('Stopped: logging stopped: device-offline');
    expect(rows[1].querySelector('.log-text')!.textContent).toBe('<img src=x onerror=alert(1)>');
    expect(list.querySelector('img')).toBeNull();
    const time = rows[1].querySelector('time')!;
    expect(time.getAttribute('datetime')).toBe('2026-12-05T09:00:01Z');
    expect(time.title).toBe('2026-12-05 09:00:01 UTC');
    expect(time.textContent).toMatch(/^2026-12-0[45] \d\d:\d\d:01$/);
  });

  it('sums up a page: lines, markers, and whether newer ones follow', () => {
    expect(pageSummary({ items: items.slice(0, 2), next: null }, 1)).toBe('1 line and 1 marker');
    expect(pageSummary({ items: [items[1], items[1]], next: '4.0' }, 1)).toBe('2 lines, page 1; newer lines follow');
    expect(pageSummary({ items: [items[1]], next: null }, 3)).toBe('1 line, page 3');
  });

  it('says why a page is empty', () => {
    expect(emptyText(true, true)).toBe('No line in this time range matches the search.');
    expect(emptyText(false, true)).toBe('Nothing was logged in this time range.');
    expect(emptyText(false, false)).toContain('this target is not logged now');
  });
});
