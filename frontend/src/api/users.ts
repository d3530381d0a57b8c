// Users and their grants (admin): /api/users, /api/users/{id}/grants.

import { http } from './http';
import type { Grant, Page, Role, User } from './types';

export function list(cursor?: string | null, limit = 50): Promise<Page<User>> {
  return http.get<Page<User>>('/api/users', { cursor, limit });
}

export function get(id: number | string): Promise<User> {
  return http.get<User>(`/api/users/${encodeURIComponent(String(id))}`);
}

export function create(username: string, password: string, admin: boolean): Promise<User> {
  return http.post<User>('/api/users', { username, password, admin });
}

export function update(id: number, patch: { disabled?: boolean; admin?: boolean; passwordLogin?: boolean; breakGlass?: boolean }): Promise<User> {
  return http.patch<User>(`/api/users/${id}`, patch);
}

export function remove(id: number): Promise<void> {
  return http.delete(`/api/users/${id}`);
}

export function resetPassword(id: number, password: string): Promise<void> {
  return http.post<void>(`/api/users/${id}/password`, { password });
}

export function grants(userId: number): Promise<Grant[]> {
  return http.all<Grant>(`/api/users/${userId}/grants`);
}

/** {@code replay}: the user may replay and export the recordings of the group's sessions. */
export function addGrant(userId: number, group: string, role: Role, replay = false): Promise<Grant> {
  return http.post<Grant>(`/api/users/${userId}/grants`, { group, role, replay });
}

export function removeGrant(userId: number, grantId: number): Promise<void> {
  return http.delete(`/api/users/${userId}/grants/${grantId}`);
}

/** Removes the user's second factor (lost phone and recovery codes). */
export function resetSecondFactor(id: number): Promise<void> {
  return http.delete(`/api/users/${id}/second-factor`);
}
