// The request bodies of raw devices (device servers that dial the portal in TCP-client mode), built
// from what an admin typed. Pure: the forms in devices.ts and manageIngress.ts show the outcome.

import type { DeviceMode, DevicePatch, IngressSettings, NewDevice } from '../../api/types';
import { parseAddressList, parseTags } from '../../format';

/** The portal's limit (RawDevices.MAX_CONNECT_SECRET): device servers allow short strings. */
export const MAX_CONNECT_SECRET = 64;

/** Said under every "Allowed source addresses" of a raw device. */
export const ALLOWED_SOURCES_HINT =
  'Mandatory for a raw device: plain TCP carries no credentials, so only these sources may connect. One address or CIDR per line or separated by commas (e.g. 203.0.113.7 or 198.51.100.0/24). Empty admits nobody.';

/** The makes the portal words settings for, in the order they are shown. */
export const MAKES: { key: keyof IngressSettings; label: string }[] = [
  { key: 'tibbo', label: 'Tibbo' },
  { key: 'lantronix', label: 'Lantronix' },
  { key: 'moxa', label: 'Moxa' },
  { key: 'generic', label: 'Other device servers' },
];

/** A body ready to send, or what is wrong and which JSON property (as the portal's `field`) it is about. */
export type Checked<T> = { ok: true; body: T } | { ok: false; field: string; error: string };

export interface NewDeviceInput {
  name: string;
  description: string;
  group: string;
  tags: string;
  mode: DeviceMode;
  /** Raw devices: the allowed source addresses as typed. */
  addresses: string;
  /** Raw devices: the optional connect string, exactly as typed (it is compared byte for byte). */
  connectString: string;
}

/** Why a connect string would be refused (1-64 Latin-1 characters), or null when it is fine. */
export function connectStringProblem(value: string): string | null {
  // Latin-1 is one byte per character, so the length in characters is the length the unit sends.
  // Beyond Latin-1 is any UTF-16 unit above U+00FF (a character outside the BMP is two surrogates there).
  if (value.length === 0 || value.length > MAX_CONNECT_SECRET || /[\u0100-\uffff]/.test(value)) {
    return `A connect string is 1-${MAX_CONNECT_SECRET} Latin-1 characters.`;
  }
  return null;
}

/** POST /api/devices: an agent device as before, or a raw one with its allowlist (always sent, maybe empty). */
export function newDeviceBody(input: NewDeviceInput): Checked<NewDevice> {
  const body: NewDevice = {
    name: input.name.trim(),
    description: input.description || undefined,
    group: input.group || undefined,
    tags: parseTags(input.tags),
  };
  if (input.mode !== 'raw') {
    return { ok: true, body };
  }
  body.mode = 'raw';
  body.allowCidrs = parseAddressList(input.addresses);
  if (input.connectString !== '') {
    const problem = connectStringProblem(input.connectString);
    if (problem) return { ok: false, field: 'connectSecret', error: problem };
    body.connectSecret = input.connectString;
  }
  return { ok: true, body };
}

/**
 * PATCH /api/devices/{id} of a raw device's ingress: the allowlist (always), a new connect string
 * when one was typed, `""` to remove it, nothing to keep it.
 */
export function ingressPatch(addresses: string, connectString: string, removeConnectString: boolean): Checked<DevicePatch> {
  const body: DevicePatch = { allowCidrs: parseAddressList(addresses) };
  if (removeConnectString) {
    if (connectString !== '') {
      return { ok: false, field: 'connectSecret', error: 'Either type a new connect string or remove it, not both.' };
    }
    body.connectSecret = '';
  } else if (connectString !== '') {
    const problem = connectStringProblem(connectString);
    if (problem) return { ok: false, field: 'connectSecret', error: problem };
    body.connectSecret = connectString;
  }
  return { ok: true, body };
}
