// The device registry (GET/POST/PATCH/DELETE /api/devices).

import { withFreshFactor } from './freshFactor';
import { http } from './http';
import type { CreatedDevice, Device, DeviceFilter, DevicePatch, DeviceSort, ImportCheck, NewDevice, Page } from './types';

export const DEVICE_PAGE_SIZE = 50;

const CSV_TYPE = 'text/csv; charset=utf-8';

export function list(filter: DeviceFilter, cursor?: string | null, limit = DEVICE_PAGE_SIZE, sort?: DeviceSort): Promise<Page<Device>> {
  return http.get<Page<Device>>('/api/devices', {
    name: filter.name?.trim(),
    tag: filter.tag?.trim(),
    group: filter.group,
    online: filter.online,
    seen: filter.neverSeen ? 'never' : undefined,
    agent: filter.agentOutdated ? 'outdated' : undefined,
    sort,
    cursor,
    limit,
  });
}

export function get(id: number | string): Promise<Device> {
  return http.get<Device>(`/api/devices/${encodeURIComponent(String(id))}`);
}

/** {@code code}: a current code of the admin's authenticator app, for a raw device on a group that requires a second factor. */
export function create(device: NewDevice, code?: string): Promise<CreatedDevice> {
  return http.post<CreatedDevice>('/api/devices', device, withFreshFactor(code));
}

export function update(id: number, patch: DevicePatch, code?: string): Promise<Device> {
  return http.patch<Device>(`/api/devices/${id}`, patch, withFreshFactor(code));
}

/** A single-use URL (60 s) that opens a web target's page on its own origin. */
export function launchWeb(id: number, target: string): Promise<{ url: string }> {
  return http.post<{ url: string }>(`/api/devices/${id}/web/${encodeURIComponent(target)}/launch`, {});
}

export function remove(id: number): Promise<void> {
  return http.delete(`/api/devices/${id}`);
}

export function rotateToken(id: number): Promise<{ token: string }> {
  return http.post<{ token: string }>(`/api/devices/${id}/token`);
}

/** Self-enrolled devices waiting for an admin's approval (empty for everyone else). */
export function pending(): Promise<Device[]> {
  return http.all<Device>('/api/devices', { state: 'pending' });
}

/** Lets a pending device in: its group's access applies from now on. */
export function approve(id: number): Promise<Device> {
  return http.post<Device>(`/api/devices/${id}/approve`);
}

/** Turns a pending device away: it is deleted and its agent disconnected. */
export function reject(id: number): Promise<void> {
  return http.post<void>(`/api/devices/${id}/reject`);
}

/** Checks a CSV file of devices (a dry run): every row's problem, nothing created. */
export async function checkImport(csv: string): Promise<ImportCheck> {
  const answer = await http.postRaw('/api/devices/import', csv, CSV_TYPE, { dryRun: true });
  return (await answer.json()) as ImportCheck;
}

/**
 * Imports a CSV file of devices, all or none: the CSV of their names, ids and tokens (shown only
 * this once). A file with a problem is an ApiError whose body carries "problems".
 */
export async function importCsv(csv: string): Promise<string> {
  const answer = await http.postRaw('/api/devices/import', csv, CSV_TYPE, { dryRun: false });
  return answer.text();
}
