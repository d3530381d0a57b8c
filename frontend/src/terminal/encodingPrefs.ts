// The display encoding chosen for each device, kept in this browser's localStorage (the API has no
// field for it yet). UTF-8 unless the user picked another.

import { type DeviceEncoding, parseEncoding } from './decoder';

export const DEFAULT_ENCODING: DeviceEncoding = 'utf-8';

export const ENCODING_LABELS: Record<DeviceEncoding, string> = {
  'utf-8': 'UTF-8',
  'latin-1': 'Latin-1 (ISO-8859-1)',
  cp437: 'CP437 (IBM PC)',
};

/** The part of Storage used here (tests pass a Map-backed one). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function encodingKey(deviceId: number): string {
  return `tether.encoding.device.${deviceId}`;
}

function defaultStore(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled (privacy settings): the choice lasts for this page only
  }
}

export function loadEncoding(deviceId: number, store: KeyValueStore | null = defaultStore()): DeviceEncoding {
  try {
    return parseEncoding(store?.getItem(encodingKey(deviceId))) ?? DEFAULT_ENCODING;
  } catch {
    return DEFAULT_ENCODING;
  }
}

export function saveEncoding(deviceId: number, encoding: DeviceEncoding, store: KeyValueStore | null = defaultStore()): void {
  try {
    store?.setItem(encodingKey(deviceId), encoding);
  } catch {
    // quota or disabled storage: the choice still applies to the open terminals
  }
}
