// A group's console rules (GET/POST /api/groups/{group}/console-rules, DELETE …/{id}; admins).

import { http } from './http';
import type { ConsoleRule, NewConsoleRule } from './types';

const path = (group: string) => `/api/groups/${encodeURIComponent(group)}/console-rules`;

export function list(group: string): Promise<ConsoleRule[]> {
  return http.all<ConsoleRule>(path(group));
}

export function create(group: string, rule: NewConsoleRule): Promise<ConsoleRule> {
  return http.post<ConsoleRule>(path(group), rule);
}

export function remove(group: string, id: number): Promise<void> {
  return http.delete(`${path(group)}/${id}`);
}
