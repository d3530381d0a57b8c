// The display encoding of each device: the device's own setting (admins set it on the device page,
// API field "encoding"), unless this browser picked another for it (kept in localStorage).

import { defaultStore, type KeyValueStore, readPref, writePref } from '../prefs/store';
import { type DeviceEncoding, parseEncoding } from './decoder';

export type { KeyValueStore } from '../prefs/store';

export const DEFAULT_ENCODING: DeviceEncoding = 'utf-8';

export const ENCODING_LABELS: Record<DeviceEncoding, string> = {
  'utf-8': 'UTF-8',
  'latin-1': 'Latin-1 (ISO-8859-1)',
  cp437: 'CP437 (IBM PC)',
};

export function encodingKey(deviceId: number): string {
  return `tether.encoding.device.${deviceId}`;
}

export function loadEncoding(deviceId: number, store: KeyValueStore | null = defaultStore()): DeviceEncoding {
  return parseEncoding(readPref(encodingKey(deviceId), store)) ?? DEFAULT_ENCODING;
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
  return parseEncoding(readPref(encodingKey(deviceId), store)) ?? parseEncoding(deviceSetting) ?? DEFAULT_ENCODING;
}

export function saveEncoding(deviceId: number, encoding: DeviceEncoding, store: KeyValueStore | null = defaultStore()): void {
  writePref(encodingKey(deviceId), encoding, store);
}
