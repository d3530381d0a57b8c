// Agent upgrades over the tunnel (POST/GET /api/devices/{id}/agent-upgrade, POST /api/groups/{group}/agent-upgrade).

import { http } from './http';

/** An upgrade as asked for: its outcome comes later. */
export interface AskedUpgrade {
  deviceId: number;
  from: string | null;
  to: string;
  state: 'under-way';
}

/** A device's latest upgrade; outcome is null while it is under way. */
export interface UpgradeStatus {
  deviceId: number;
  from: string | null;
  to: string;
  requestedBy: string;
  requestedAt: string;
  finishedAt: string | null;
  outcome: 'ok' | 'failed' | null;
  detail: string;
}

/** A group's wave: the devices queued, upgraded a few at a time. */
export interface GroupWave {
  group: string;
  to: string;
  devices: string[];
  atOnce: number;
}

export function ask(deviceId: number): Promise<AskedUpgrade> {
  return http.post<AskedUpgrade>(`/api/devices/${deviceId}/agent-upgrade`);
}

/** The latest upgrade of the device, or null when none was asked for (204). */
export async function latest(deviceId: number): Promise<UpgradeStatus | null> {
  return (await http.get<UpgradeStatus | undefined>(`/api/devices/${deviceId}/agent-upgrade`)) ?? null;
}

export function upgradeGroup(group: string): Promise<GroupWave> {
  return http.post<GroupWave>(`/api/groups/${encodeURIComponent(group)}/agent-upgrade`);
}

/** The version of the agent jar the portal serves (what an upgrade installs), or null. */
export async function offeredVersion(): Promise<string | null> {
  const d = await http.get<{ agentJarVersion?: string | null }>('/api/downloads');
  return d.agentJarVersion ?? null;
}
