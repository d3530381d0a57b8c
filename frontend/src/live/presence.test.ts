import { describe, expect, it } from 'vitest';
import type { Device } from '../api/types';
import { applyPresence, ManualPresenceSource, noPresence } from './presence';

const device: Device = {
  id: 1,
  name: 'plc-7',
  description: null,
  group: 'default',
  tags: [],
  mode: null,
  online: false,
  lastSeen: null,
  remoteAddress: null,
  agentVersion: null,
  targets: [],
  createdAt: '2026-11-25T10:00:00Z',
};

describe('presence', () => {
  it('applies an event to its device and keeps fields it does not mention', () => {
    const after = applyPresence(device, { deviceId: 1, online: true, lastSeen: '2026-11-25T11:00:00Z' });
    expect(after).toMatchObject({ online: true, lastSeen: '2026-11-25T11:00:00Z', name: 'plc-7', targets: [] });
    expect(device.online).toBe(false);
  });

  it('leaves other devices untouched', () => {
    expect(applyPresence(device, { deviceId: 2, online: true })).toBe(device);
  });

  it('replaces targets when the event carries them', () => {
    const targets = [{ name: 'console', kind: 'serial', description: null, status: 'busy' }];
    expect(applyPresence(device, { deviceId: 1, online: true, targets }).targets).toEqual(targets);
  });

  it('delivers to subscribers until they unsubscribe', () => {
    const source = new ManualPresenceSource();
    const seen: number[] = [];
    const stop = source.subscribe((e) => seen.push(e.deviceId));
    source.emit({ deviceId: 5, online: true });
    stop();
    source.emit({ deviceId: 6, online: true });
    expect(seen).toEqual([5]);
    expect(source.listenerCount).toBe(0);
  });

  it('has a no-op source until the portal streams presence', () => {
    const stop = noPresence.subscribe(() => {
      throw new Error('no events expected');
    });
    expect(typeof stop).toBe('function');
    stop();
  });
});
