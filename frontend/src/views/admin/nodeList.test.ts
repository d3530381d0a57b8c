import { describe, expect, it } from 'vitest';
import type { PortalNode } from '../../api/types';
import { heartbeatAgo, shortNodeId, sortNodes, stateBadgeClass } from './nodeList';

const node = (id: string, state: string): PortalNode => ({ id, url: null, epoch: null, state, devices: 0, lastHeartbeat: null });

describe('node list', () => {
  it('gives each state its badge colour', () => {
    expect(stateBadgeClass('live')).toBe('badge badge-online');
    expect(stateBadgeClass('draining')).toBe('badge badge-warn');
    expect(stateBadgeClass('silent')).toBe('badge badge-warn');
    expect(stateBadgeClass('dead')).toBe('badge badge-danger');
    expect(stateBadgeClass('stopped')).toBe('badge badge-offline');
    expect(stateBadgeClass('something-new')).toBe('badge');
  });

  it('orders live first, then silent, draining, stopped, dead, unknown; then by id', () => {
    const nodes = [node('c', 'dead'), node('b', 'live'), node('e', 'odd'), node('d', 'stopped'), node('f', 'draining'), node('a', 'live'), node('g', 'silent')];
    expect(sortNodes(nodes).map((n) => `${n.state}:${n.id}`)).toEqual(['live:a', 'live:b', 'silent:g', 'draining:f', 'stopped:d', 'dead:c', 'odd:e']);
    expect(nodes[0].id).toBe('c'); // the input is left as it was
  });

  it('shortens a UUID to its first 8 characters and leaves other ids alone', () => {
    expect(shortNodeId('2a98c65f-1b2c-4d5e-8f90-123456789abc')).toBe('2a98c65f');
    expect(shortNodeId('node-a')).toBe('node-a');
  });

  it('tells a heartbeat\'s age in seconds, then minutes, then coarser', () => {
    const now = new Date('2026-12-04T16:06:00Z');
    expect(heartbeatAgo(null, now)).toBe('—');
    expect(heartbeatAgo('2026-12-04T16:05:57.729Z', now)).toBe('2 s ago');
    expect(heartbeatAgo('2026-12-04T16:05:03Z', now)).toBe('57 s ago');
    expect(heartbeatAgo('2026-12-04T16:01:12Z', now)).toBe('4 min ago');
    expect(heartbeatAgo('2026-12-04T13:06:00Z', now)).toBe('3 h ago');
    expect(heartbeatAgo('2026-12-04T16:06:01Z', now)).toBe('0 s ago');
    expect(heartbeatAgo('nonsense', now)).toBe('nonsense');
  });
});
