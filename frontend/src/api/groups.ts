// Device groups: GET /api/groups (the groups the caller can see), POST (admin).

import { http } from './http';
import type { Group } from './types';

export function list(): Promise<Group[]> {
  return http.all<Group>('/api/groups');
}

export function create(name: string): Promise<Group> {
  return http.post<Group>('/api/groups', { name });
}
