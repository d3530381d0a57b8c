import { afterEach, describe, expect, it, vi } from 'vitest';
import * as devicesApi from './devices';

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('devices API', () => {
  it('asks the portal for never-seen devices (the filter is the server\'s, on every page)', async () => {
    const urls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        urls.push(url);
        return new Response(JSON.stringify({ items: [], next: null }), { status: 200 });
      }),
    );
    await devicesApi.list({ group: 'lab', online: false, neverSeen: true }, null, 50, 'lastSeen');
    await devicesApi.list({ online: true });
    await devicesApi.list({ agentOutdated: true });
    expect(urls[0]).toBe('/api/devices?group=lab&online=false&seen=never&sort=lastSeen&limit=50');
    expect(urls[1]).toBe('/api/devices?online=true&limit=50');
    expect(urls[2]).toBe('/api/devices?agent=outdated&limit=50');
  });

  it('lists pending devices with state=pending and approves or rejects one with a POST', async () => {
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push(`${init.method} ${url}`);
        if (url.endsWith('/reject')) return new Response(null, { status: 204 });
        if (url.endsWith('/approve')) return new Response(JSON.stringify({ id: 7, state: 'active' }), { status: 200 });
        return new Response(JSON.stringify({ items: [{ id: 7, state: 'pending' }], next: null }), { status: 200 });
      }),
    );
    expect((await devicesApi.pending()).map((d) => d.id)).toEqual([7]);
    expect((await devicesApi.approve(7)).state).toBe('active');
    expect(await devicesApi.reject(8)).toBeUndefined();
    expect(calls).toEqual(['GET /api/devices?state=pending&limit=200', 'POST /api/devices/7/approve', 'POST /api/devices/8/reject']);
  });
});
