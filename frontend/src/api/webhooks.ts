// Webhook endpoints (admin): /api/webhooks (docs/webhooks.md). A secret is in the answer to a
// creation or a rotation only; the delivery log lists each delivery with its attempts.

import { http } from './http';

export interface Webhook {
  id: number;
  url: string;
  events: string[];
  groups: string[];
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  previousSecretUntil: string | null;
}

export interface NewWebhook {
  url: string;
  events: string[];
  groups?: string[];
}

export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface Attempt {
  at: string;
  status: number | null;
  durationMs: number;
  error: string | null;
  response: string | null;
}

export interface Delivery {
  id: number;
  type: string;
  messageId: string;
  state: 'pending' | 'delivered' | 'failed';
  createdAt: string;
  nextAttemptAt: string | null;
  attempts: Attempt[];
}

export function list(): Promise<Webhook[]> {
  return http.all<Webhook>('/api/webhooks');
}

/** Adds an endpoint; its signing secret is in this answer only. */
export function create(body: NewWebhook): Promise<CreatedWebhook> {
  return http.post<CreatedWebhook>('/api/webhooks', body);
}

export function setEnabled(id: number, enabled: boolean): Promise<Webhook> {
  return http.patch<Webhook>(`/api/webhooks/${id}`, { enabled });
}

export function remove(id: number): Promise<void> {
  return http.delete(`/api/webhooks/${id}`);
}

/** A new secret, shown once; the previous one keeps signing for 24 h. */
export function rotate(id: number): Promise<{ secret: string; previousSecretUntil: string }> {
  return http.post(`/api/webhooks/${id}/rotate-secret`);
}

export function deliveries(id: number): Promise<Delivery[]> {
  return http.all<Delivery>(`/api/webhooks/${id}/deliveries`, {}, 1);
}

export function redeliver(id: number, deliveryId: number): Promise<void> {
  return http.post(`/api/webhooks/${id}/deliveries/${deliveryId}/redeliver`);
}
