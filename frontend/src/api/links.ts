// Link ports of a device (GET/POST/DELETE /api/devices/{id}/links).

import { withFreshFactor } from './freshFactor';
import { http } from './http';
import type { Link, NewLink, Page } from './types';

const base = (deviceId: number) => `/api/devices/${deviceId}/links`;

/** Every link port of the device (the portal answers them in one page). */
export async function list(deviceId: number): Promise<Link[]> {
  return (await http.get<Page<Link>>(base(deviceId))).items;
}

/** {@code code}: a current code of the admin's authenticator app, when the group requires a second factor. */
export function create(deviceId: number, link: NewLink, code?: string): Promise<Link> {
  return http.post<Link>(base(deviceId), link, withFreshFactor(code));
}

export function remove(deviceId: number, linkId: number): Promise<void> {
  return http.delete(`${base(deviceId)}/${linkId}`);
}
