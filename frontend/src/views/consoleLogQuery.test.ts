import { describe, expect, it } from 'vitest';
import { DEFAULT_RANGE, LogPager, logFilterFromQuery, logFilterToQuery, logQuery } from './consoleLogQuery';

const now = new Date('2026-12-05T10:00:00Z');

describe('console log filter', () => {
  it('opens on the last day without anything in the URL', () => {
    expect(logFilterFromQuery(new URLSearchParams(''))).toEqual({ range: DEFAULT_RANGE, from: undefined, to: undefined, q: undefined, regex: undefined });
    expect(logFilterToQuery({ range: DEFAULT_RANGE })).toBe('');
  });

  it('keeps range, times and search in the URL and reads them back', () => {
    const filter = { range: 'custom' as const, from: '2026-12-05T08:00:00.000Z', to: '2026-12-05T09:00:00.000Z', q: ' panic', regex: true };
    const url = logFilterToQuery(filter);
    expect(url).toBe('?range=custom&from=2026-12-05T08%3A00%3A00.000Z&to=2026-12-05T09%3A00%3A00.000Z&q=+panic&regex=true');
    expect(logFilterFromQuery(new URLSearchParams(url))).toEqual(filter);
  });

  it('drops regex without a search and times outside a custom range', () => {
    expect(logFilterToQuery({ range: 'hour', from: '2026-12-05T08:00:00Z', regex: true })).toBe('?range=hour');
    expect(logFilterFromQuery(new URLSearchParams('range=hour&from=x&regex=true'))).toEqual({ range: 'hour', from: undefined, to: undefined, q: undefined, regex: undefined });
  });

  it('takes times without a range as a custom range, and an unknown range as the default', () => {
    expect(logFilterFromQuery(new URLSearchParams('from=2026-12-05T08:00:00Z')).range).toBe('custom');
    expect(logFilterFromQuery(new URLSearchParams('range=year')).range).toBe(DEFAULT_RANGE);
  });

  it('turns a preset into an open-ended range back from now, so new lines count', () => {
    expect(logQuery({ range: 'hour', q: 'x' }, now)).toEqual({ from: '2026-12-05T09:00:00.000Z', q: 'x', regex: undefined });
    expect(logQuery({ range: 'day' }, now).from).toBe('2026-12-04T10:00:00.000Z');
    expect(logQuery({ range: 'week' }, now).from).toBe('2026-11-28T10:00:00.000Z');
    expect(logQuery({ range: 'all' }, now)).toEqual({ q: undefined, regex: undefined });
    expect(logQuery({ range: 'custom', from: 'a', to: 'b' }, now)).toEqual({ from: 'a', to: 'b', q: undefined, regex: undefined });
  });
});

describe('console log pages', () => {
  it('goes newer with the portal cursor and back older to the cursors it used', () => {
    const pager = new LogPager();
    expect(pager.cursor).toBeNull();
    expect(pager.newer()).toBe(false);
    pager.loaded('5.0');
    expect(pager.hasNewer).toBe(true);
    expect(pager.hasOlder).toBe(false);
    expect(pager.newer()).toBe(true);
    expect(pager.cursor).toBe('5.0');
    expect(pager.number).toBe(2);
    expect(pager.hasNewer).toBe(false); // until the page says
    pager.loaded('9.12');
    pager.newer();
    pager.loaded(null);
    expect([pager.cursor, pager.number, pager.hasNewer, pager.hasOlder]).toEqual(['9.12', 3, false, true]);
    expect(pager.older()).toBe(true);
    expect(pager.cursor).toBe('5.0');
    expect(pager.older()).toBe(true);
    expect(pager.cursor).toBeNull();
    expect(pager.older()).toBe(false);
  });

  it('starts a new query on its first page', () => {
    const pager = new LogPager();
    pager.loaded('5.0');
    pager.newer();
    pager.restart();
    expect([pager.cursor, pager.number, pager.hasOlder, pager.hasNewer]).toEqual([null, 1, false, false]);
  });
});
