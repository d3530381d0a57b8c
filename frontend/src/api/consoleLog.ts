// A device target's console log (GET /api/devices/{id}/targets/{target}/log, docs/console-log.md):
// pages of lines and markers by time, searched on the server, its last lines for a terminal's
// scrollback, and the download links.

import { type Query, http, withQuery } from './http';
import type { LogPage } from './types';

/** What to read: a time range, a search, and where the page starts. */
export interface LogQuery {
  /** ISO-8601; absent: from the beginning. */
  from?: string;
  /** ISO-8601; absent: up to now. */
  to?: string;
  /** Plain text (any case), or with {@code regex} a regular expression (RE2). */
  q?: string;
  regex?: boolean;
  /** Lines per page (1-10000; the portal's default is 1000). */
  limit?: number;
  /** The `next` of the previous page. */
  cursor?: string | null;
}

export type LogFormat = 'text' | 'raw';

export function logPath(deviceId: number, target: string): string {
  return `/api/devices/${deviceId}/targets/${encodeURIComponent(target)}/log`;
}

/** The query string's values: a search only when there is one, `regex` only with it. */
export function logQueryParams(query: LogQuery): Query {
  const q = query.q ?? '';
  return {
    from: query.from,
    to: query.to,
    q,
    regex: q && query.regex ? true : undefined,
    limit: query.limit,
    cursor: query.cursor,
  };
}

export function page(deviceId: number, target: string, query: LogQuery): Promise<LogPage> {
  return http.get<LogPage>(logPath(deviceId, target), logQueryParams(query));
}

/** The last {@code lines} lines (and markers) of the log: a terminal's scrollback. */
export function tail(deviceId: number, target: string, lines: number): Promise<LogPage> {
  return http.get<LogPage>(logPath(deviceId, target), { tail: lines });
}

/** Where the browser downloads the log (the range and search of {@code query}, every page of it). */
export function downloadUrl(deviceId: number, target: string, query: LogQuery, format: LogFormat): string {
  const { from, to, q, regex } = logQueryParams(query);
  return withQuery(logPath(deviceId, target), { format, from, to, ...(format === 'text' ? { q, regex } : {}) });
}
