// The portal's nodes (admin): /api/nodes.

import { http } from './http';
import type { PortalNode } from './types';

/** Every node the cluster has seen (one item without a cluster); the API does not page this list. */
export async function list(): Promise<PortalNode[]> {
  return (await http.get<{ items: PortalNode[] }>('/api/nodes')).items;
}
