// The request body of a new link port and where host software connects to one. Pure: the device
// page's "Link ports" section shows the outcome.

import type { NewLink } from '../api/types';
import { parseAddressList } from '../format';
import type { Checked } from './admin/rawSetup';

export interface NewLinkInput {
  target: string;
  /** The allowed source addresses as typed. */
  addresses: string;
  /** Empty: the first free port of the pool. */
  port: string;
  takeOver: boolean;
}

/** POST /api/devices/{id}/links: the allowlist is always sent (empty admits nobody), the port only when typed. */
export function newLinkBody(input: NewLinkInput): Checked<NewLink> {
  const target = input.target.trim();
  if (target === '') {
    return { ok: false, field: 'target', error: 'Pick the target the link port leads to.' };
  }
  const body: NewLink = { target, allowCidrs: parseAddressList(input.addresses), takeOver: input.takeOver };
  const port = input.port.trim();
  if (port !== '') {
    if (!/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      return { ok: false, field: 'port', error: 'A port is a whole number from 1 to 65535, or empty for the first free one.' };
    }
    body.port = Number(port);
  }
  return { ok: true, body };
}

/** "portal.example.com:20001": where host software connects (the host this page was loaded from). */
export function linkAddress(hostname: string, port: number): string {
  // location.hostname keeps an IPv6 literal's brackets; a bare one gets them so the port stays apart
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  return `${host}:${port}`;
}

/** The hint shown with each link port. */
export function hostSoftwareHint(hostname: string, port: number): string {
  return `Point host software at ${linkAddress(hostname, port)}`;
}
