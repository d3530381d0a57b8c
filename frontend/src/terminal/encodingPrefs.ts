// The display encoding of each device: the device's own setting (admins set it on the device page,
// API field "encoding"), unless this browser picked another for it (kept in localStorage).

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

/**
 * The encoding a terminal starts with: this browser's own choice for the device if it made one,
 * else the device's setting (GET /api/devices/{id} "encoding"), else UTF-8.
 */
export function initialEncoding(
  deviceId: number,
  deviceSetting: string | null | undefined,
  store: KeyValueStore | null = defaultStore(),
): DeviceEncoding {
  let local: string | null;
  try {
    local = store?.getItem(encodingKey(deviceId)) ?? null;
  } catch {
    local = null;
  }
  return parseEncoding(local) ?? parseEncoding(deviceSetting) ?? DEFAULT_ENCODING;
}

export function saveEncoding(deviceId: number, encoding: DeviceEncoding, store: KeyValueStore | null = defaultStore()): void {
  try {
    store?.setItem(encodingKey(deviceId), encoding);
  } catch {
    // quota or disabled storage: the choice still applies to the open terminals
  }
}
