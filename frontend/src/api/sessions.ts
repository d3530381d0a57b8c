// Sessions and their recordings (docs/api.md "Sessions"): GET /api/sessions (paged, newest first),
// GET/DELETE /api/sessions/{id}, GET /api/sessions/{id}/recording?format=raw|cast|text.

import { http, type Query, withQuery } from './http';
import type { Page, RecordingFormat, Session, SessionFilter } from './types';

export const SESSION_PAGE_SIZE = 50;

/** The query of GET /api/sessions: empty filters are left out, `live` only when asked for. */
export function sessionQuery(filter: SessionFilter, cursor?: string | null, limit = SESSION_PAGE_SIZE): Query {
  const device = typeof filter.device === 'string' ? filter.device.trim() : filter.device;
  return {
    live: filter.live ? true : undefined,
    device,
    user: filter.user?.trim(),
    from: filter.from,
    to: filter.to,
    limit,
    cursor,
  };
}

export function list(filter: SessionFilter, cursor?: string | null, limit = SESSION_PAGE_SIZE): Promise<Page<Session>> {
  return http.get<Page<Session>>('/api/sessions', sessionQuery(filter, cursor, limit));
}

/** The newest sessions of one device, all targets (the device page's "Recent sessions"). */
export function recentOfDevice(deviceId: number, limit = 10): Promise<Page<Session>> {
  return list({ device: deviceId }, null, limit);
}

export function sessionPath(id: number | string): string {
  return `/api/sessions/${encodeURIComponent(String(id))}`;
}

export function get(id: number | string): Promise<Session> {
  return http.get<Session>(sessionPath(id));
}

/** Ends a live session for everyone in it (admin): it closes with `ended-by-admin`; 409 if it already ended. */
export function end(id: number | string): Promise<void> {
  return http.delete(sessionPath(id));
}

/** A link that downloads the recording (a plain GET: the session cookie suffices). */
export function recordingUrl(id: number | string, format: RecordingFormat): string {
  return withQuery(`${sessionPath(id)}/recording`, { format });
}

/** The recording as text (cast or transcript); 404 when the policy recorded nothing, 403 without the replay right. */
export function recordingText(id: number | string, format: Exclude<RecordingFormat, 'raw'>): Promise<string> {
  return http.text(`${sessionPath(id)}/recording`, { format });
}

/** The app's own page of a session. */
export function sessionPagePath(id: number | string): string {
  return `/sessions/${encodeURIComponent(String(id))}`;
}
