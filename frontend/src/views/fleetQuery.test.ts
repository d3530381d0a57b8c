import { describe, expect, it } from 'vitest';
import type { Device } from '../api/types';
import { fleetLink, fleetQueryFrom, fleetQueryString, keepDevice, presenceOf, sortDevices } from './fleetQuery';

const device = (name: string, online: boolean, lastSeen: string | null) => ({ id: name.length, name, online, lastSeen }) as unknown as Device;

const a = device('alpha', false, '2026-12-01T10:00:00Z');
const b = device('bravo', true, '2026-11-01T10:00:00Z');
const c = device('charlie', false, null);
const d = device('delta', false, '2026-12-03T10:00:00Z');

describe('fleet order', () => {
  it('sorts by status: online, then offline, then never seen, by name within each', () => {
    expect(sortDevices([c, d, a, b], 'status').map((x) => x.name)).toEqual(['bravo', 'alpha', 'delta', 'charlie']);
  });

  it('sorts by last seen: connected now first, then most recent, never seen last', () => {
    expect(sortDevices([c, a, d, b], 'seen').map((x) => x.name)).toEqual(['bravo', 'delta', 'alpha', 'charlie']);
  });

  it('sorts by name by default and leaves the input as it was', () => {
    const input = [d, c, b, a];
    expect(sortDevices(input, 'name').map((x) => x.name)).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
    expect(input[0]).toBe(d);
  });

  it('tells never seen from offline', () => {
    expect([a, b, c].map(presenceOf)).toEqual(['offline', 'online', 'never']);
    expect([a, b, c].filter((x) => keepDevice(x, { neverSeen: true }))).toEqual([c]);
  });

  it('keeps only outdated agents under agent=outdated, so an upgraded row leaves the list', () => {
    const old = { ...a, agentOutdated: true } as Device;
    const upgraded = { ...b, agentOutdated: false } as Device;
    expect([old, upgraded, c].filter((x) => keepDevice(x, { agentOutdated: true }))).toEqual([old]);
    expect([old, upgraded, c].filter((x) => keepDevice(x, {}))).toEqual([old, upgraded, c]);
  });
});

describe('fleet filters in the URL', () => {
  it('round-trips filters and order', () => {
    const q = { name: 'plc', tag: 'x', group: 'lab', online: true, neverSeen: undefined, agentOutdated: true, sort: 'seen' as const };
    expect(fleetQueryFrom(new URLSearchParams(fleetQueryString(q)))).toEqual(q);
  });

  it('writes never seen as offline plus seen=never, so the server filters what it can', () => {
    expect(fleetLink({ group: 'lab', neverSeen: true })).toBe('/devices?group=lab&online=false&seen=never');
    expect(fleetQueryFrom(new URLSearchParams('seen=never'))).toMatchObject({ online: false, neverSeen: true });
  });

  it('links the outdated-agent list as agent=outdated, the filter GET /api/devices offers', () => {
    expect(fleetLink({ agentOutdated: true })).toBe('/devices?agent=outdated');
    expect(fleetQueryFrom(new URLSearchParams('agent=newest')).agentOutdated).toBeUndefined();
  });

  it('leaves the default order and empty filters out, and ignores unknown sorts', () => {
    expect(fleetLink({ sort: 'name' })).toBe('/devices');
    expect(fleetQueryFrom(new URLSearchParams('sort=random&online=maybe'))).toMatchObject({ sort: 'name', online: undefined });
  });
});
