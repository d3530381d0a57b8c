import { afterEach, describe, expect, it, vi } from 'vitest';
import { respond } from '../testing/fakePortal';
import { downloadUrl, logPath, logQueryParams, page, tail } from './consoleLog';
import { withQuery } from './http';

afterEach(() => vi.unstubAllGlobals());

describe('console log API', () => {
  it('names the target in the path encoded, so a target name cannot reach another resource', () => {
    expect(logPath(7, 'console')).toBe('/api/devices/7/targets/console/log');
    expect(logPath(7, 'a/../b c')).toBe('/api/devices/7/targets/a%2F..%2Fb%20c/log');
  });

  it('sends regex=true only with a search, and leaves empty values out', () => {
    expect(withQuery('/l', logQueryParams({ regex: true }))).toBe('/l');
    expect(withQuery('/l', logQueryParams({ q: '', regex: true }))).toBe('/l');
    expect(withQuery('/l', logQueryParams({ q: 'panic', regex: false }))).toBe('/l?q=panic');
    expect(withQuery('/l', logQueryParams({ from: '2026-12-05T09:00:00.000Z', q: 'err(or)?', regex: true, limit: 500, cursor: '12.3' }))).toBe(
      '/l?from=2026-12-05T09%3A00%3A00.000Z&q=err%28or%29%3F&regex=true&limit=500&cursor=12.3',
    );
  });

  it('downloads the range and search as text, the range only as raw bytes, never a page or a cursor', () => {
    const query = { from: '2026-12-05T09:00:00.000Z', to: '2026-12-05T10:00:00.000Z', q: 'Boot', regex: true, limit: 500, cursor: '4.0' };
    expect(downloadUrl(7, 'console', query, 'text')).toBe(
      '/api/devices/7/targets/console/log?format=text&from=2026-12-05T09%3A00%3A00.000Z&to=2026-12-05T10%3A00%3A00.000Z&q=Boot&regex=true',
    );
    expect(downloadUrl(7, 'console', query, 'raw')).toBe(
      '/api/devices/7/targets/console/log?format=raw&from=2026-12-05T09%3A00%3A00.000Z&to=2026-12-05T10%3A00%3A00.000Z',
    );
  });

  it('asks for a page with its cursor, and for a tail with tail=N only', async () => {
    const calls = respond({ '/api/devices/7/targets/console/log': { items: [], next: null } });
    await page(7, 'console', { limit: 500, cursor: '9.2' });
    await tail(7, 'console', 200);
    expect(calls.map((c) => c.url)).toEqual(['/api/devices/7/targets/console/log?limit=500&cursor=9.2', '/api/devices/7/targets/console/log?tail=200']);
  });
});
