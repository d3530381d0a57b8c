// Device groups: GET /api/groups (the groups the caller can see), POST and PATCH (admin).

import { http } from './http';
import type { Group, GroupPatch } from './types';

export function list(): Promise<Group[]> {
  return http.all<Group>('/api/groups');
}

export function create(name: string): Promise<Group> {
  return http.post<Group>('/api/groups', { name });
}

/** The group's recording policy and retention. */
export function update(id: number, patch: GroupPatch): Promise<Group> {
  return http.patch<Group>(`/api/groups/${id}`, patch);
}
