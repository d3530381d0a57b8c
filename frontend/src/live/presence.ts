// Live device presence, pushed by the portal. The fleet and device views subscribe here and never
// poll. The portal's event stream is not built yet: until it is, the source is a no-op, and a real
// one (server-sent events or a WebSocket) is plugged in with setPresenceSource() at start-up.

import type { Device, DeviceTarget } from '../api/types';

/** One change of a device's presence. Fields left out did not change. */
export interface PresenceEvent {
  deviceId: number;
  online: boolean;
  lastSeen?: string | null;
  remoteAddress?: string | null;
  agentVersion?: string | null;
  targets?: DeviceTarget[];
}

export type PresenceListener = (event: PresenceEvent) => void;

export interface PresenceSource {
  /** Starts delivering events to {@code listener}; the returned function stops it. */
  subscribe(listener: PresenceListener): () => void;
}

/** Delivers nothing: the portal has no presence stream yet. */
export const noPresence: PresenceSource = {
  subscribe: () => () => {},
};

let source: PresenceSource = noPresence;

export function presenceSource(): PresenceSource {
  return source;
}

export function setPresenceSource(next: PresenceSource): void {
  source = next;
}

/** The device after {@code event}; the same object when the event is about another device. */
export function applyPresence(device: Device, event: PresenceEvent): Device {
  if (device.id !== event.deviceId) {
    return device;
  }
  return {
    ...device,
    online: event.online,
    lastSeen: event.lastSeen !== undefined ? event.lastSeen : device.lastSeen,
    remoteAddress: event.remoteAddress !== undefined ? event.remoteAddress : device.remoteAddress,
    agentVersion: event.agentVersion !== undefined ? event.agentVersion : device.agentVersion,
    targets: event.targets ?? device.targets,
  };
}

/** A source fed by hand: for tests, and the shape a real stream adapter takes. */
export class ManualPresenceSource implements PresenceSource {
  private readonly listeners = new Set<PresenceListener>();

  subscribe(listener: PresenceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: PresenceEvent): void {
    for (const listener of [...this.listeners]) {
      listener(event);
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
