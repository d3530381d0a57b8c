// What the console-log page shows, as data: the time range (a preset or from–to), the search, their
// place in the URL, and the pages walked with the portal's cursor. Pure, so it is unit-tested.

import type { LogQuery } from '../api/consoleLog';

/** The time ranges offered; `custom` takes the page's from and to. */
export type LogRange = 'hour' | 'day' | 'week' | 'all' | 'custom';

export const LOG_RANGES: { value: LogRange; label: string }[] = [
  { value: 'hour', label: 'Last hour' },
  { value: 'day', label: 'Last 24 hours' },
  { value: 'week', label: 'Last 7 days' },
  { value: 'all', label: 'Everything kept' },
  { value: 'custom', label: 'From … to …' },
];

/** What the page opens with: a day is what a user coming in the morning asks about. */
export const DEFAULT_RANGE: LogRange = 'day';

/** Lines per page: enough to read a boot, few enough for a phone to lay out at once. */
export const LOG_PAGE_LINES = 500;

const SPAN_MS: Record<'hour' | 'day' | 'week', number> = {
  hour: 3_600_000,
  day: 86_400_000,
  week: 7 * 86_400_000,
};

/** The page's state as the URL keeps it (times ISO-8601). */
export interface LogFilter {
  range: LogRange;
  from?: string;
  to?: string;
  q?: string;
  regex?: boolean;
}

export function logFilterFromQuery(query: URLSearchParams): LogFilter {
  const text = (key: string) => query.get(key)?.trim() || undefined;
  const asked = query.get('range');
  const range = LOG_RANGES.some((r) => r.value === asked) ? (asked as LogRange) : text('from') || text('to') ? 'custom' : DEFAULT_RANGE;
  const q = query.get('q') || undefined; // kept as typed: leading spaces may be what is searched
  return {
    range,
    from: range === 'custom' ? text('from') : undefined,
    to: range === 'custom' ? text('to') : undefined,
    q,
    regex: q !== undefined && query.get('regex') === 'true' ? true : undefined,
  };
}

export function logFilterToQuery(filter: LogFilter): string {
  const params = new URLSearchParams();
  if (filter.range !== DEFAULT_RANGE) params.set('range', filter.range);
  if (filter.range === 'custom') {
    if (filter.from) params.set('from', filter.from);
    if (filter.to) params.set('to', filter.to);
  }
  if (filter.q) {
    params.set('q', filter.q);
    if (filter.regex) params.set('regex', 'true');
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The API query of {@code filter} at {@code now}: a preset ends now (open-ended, new lines count). */
export function logQuery(filter: LogFilter, now: Date = new Date()): LogQuery {
  const search = { q: filter.q, regex: filter.regex };
  switch (filter.range) {
    case 'hour':
    case 'day':
    case 'week':
      return { from: new Date(now.getTime() - SPAN_MS[filter.range]).toISOString(), ...search };
    case 'all':
      return search;
    case 'custom':
      return { from: filter.from, to: filter.to, ...search };
  }
}

/**
 * The pages of one query, oldest first as the portal gives them. The portal's cursor only goes
 * forward (newer); going back (older) returns to a cursor already used, so the cursors of the pages
 * before the shown one are kept.
 */
export class LogPager {
  private before: (string | null)[] = [];
  private shown: string | null = null;
  private following: string | null = null;

  /** The cursor of the page to load (null: the first page). */
  get cursor(): string | null {
    return this.shown;
  }

  /** 1 for the first page. */
  get number(): number {
    return this.before.length + 1;
  }

  get hasOlder(): boolean {
    return this.before.length > 0;
  }

  get hasNewer(): boolean {
    return this.following !== null;
  }

  /** A new query: back to its first page. */
  restart(): void {
    this.before = [];
    this.shown = null;
    this.following = null;
  }

  /** The shown page came, with the portal's `next`. */
  loaded(next: string | null): void {
    this.following = next;
  }

  /** Moves to the newer page; false when there is none. */
  newer(): boolean {
    if (this.following === null) return false;
    this.before.push(this.shown);
    this.shown = this.following;
    this.following = null;
    return true;
  }

  /** Moves to the older page; false on the first. */
  older(): boolean {
    if (this.before.length === 0) return false;
    this.shown = this.before.pop() ?? null;
    this.following = null;
    return true;
  }
}
