// The caller's SSH public keys (/api/me/ssh-keys) and the SSH front door's port and host key (/api/ssh).

import { http } from './http';
import type { SshKey, SshServer } from './types';

export function list(): Promise<SshKey[]> {
  return http.all<SshKey>('/api/me/ssh-keys');
}

export function add(name: string, publicKey: string): Promise<SshKey> {
  return http.post<SshKey>('/api/me/ssh-keys', { name, publicKey });
}

export function remove(id: number): Promise<void> {
  return http.delete(`/api/me/ssh-keys/${id}`);
}

export function server(): Promise<SshServer> {
  return http.get<SshServer>('/api/ssh');
}
