import { afterEach, describe, expect, it, vi } from 'vitest';
import { http, withQuery } from './http';
import * as sessionsApi from './sessions';

afterEach(() => {
  vi.unstubAllGlobals();
  http.setCsrfToken(null);
});

describe('sessions API', () => {
  it('builds the list query from the filters, leaving out what is empty', () => {
    const path = (filter: Parameters<typeof sessionsApi.sessionQuery>[0], cursor?: string | null, limit?: number) =>
      withQuery('/api/sessions', sessionsApi.sessionQuery(filter, cursor, limit));
    expect(path({})).toBe('/api/sessions?limit=50');
    expect(path({ live: false, device: ' ', user: '  ' })).toBe('/api/sessions?limit=50');
    expect(path({ live: true, device: 7, user: ' alice ', from: '2026-11-01T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }, 'c2', 20)).toBe(
      '/api/sessions?live=true&device=7&user=alice&from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-30T00%3A00%3A00.000Z&limit=20&cursor=c2',
    );
  });

  it('has the recording export URLs', () => {
    expect(sessionsApi.recordingUrl(41, 'raw')).toBe('/api/sessions/41/recording?format=raw');
    expect(sessionsApi.recordingUrl(41, 'cast')).toBe('/api/sessions/41/recording?format=cast');
    expect(sessionsApi.recordingUrl(41, 'text')).toBe('/api/sessions/41/recording?format=text');
    expect(sessionsApi.sessionPagePath(41)).toBe('/sessions/41');
  });

  it('ends a session with DELETE and the CSRF header, and reads a recording as text', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return url.includes('/recording') ? new Response('{"version": 2}\n', { status: 200 }) : new Response(null, { status: 204 });
      }),
    );
    http.setCsrfToken('csrf-9');
    await sessionsApi.end(41);
    expect(calls[0].url).toBe('/api/sessions/41');
    expect(calls[0].init.method).toBe('DELETE');
    expect(new Headers(calls[0].init.headers).get('X-CSRF-Token')).toBe('csrf-9');
    expect(await sessionsApi.recordingText(41, 'cast')).toBe('{"version": 2}\n');
    expect(calls[1].url).toBe('/api/sessions/41/recording?format=cast');
  });

  it('turns a refused recording into an ApiError with its status', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify({ status: 403, title: 'Forbidden', detail: 'no replay right' }), { status: 403 })));
    await expect(sessionsApi.recordingText(41, 'cast')).rejects.toMatchObject({ status: 403, detail: 'no replay right' });
  });
});
