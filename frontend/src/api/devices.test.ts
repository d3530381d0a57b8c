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
    expect(urls[0]).toBe('/api/devices?group=lab&online=false&seen=never&sort=lastSeen&limit=50');
    expect(urls[1]).toBe('/api/devices?online=true&limit=50');
  });
});
