// E-mail alerts: the caller's address and subscriptions, confirmation links, and (admins) users'
// addresses and the portal's mail status (docs/alerts.md).

import { http } from './http';

export interface EmailView {
  address: string | null;
  confirmed: boolean;
  mailAvailable: boolean;
}

export interface Subscription {
  groupId: number | null;
  groupName?: string | null;
  events: string[];
}

export interface SubscriptionsView {
  items: Subscription[];
  events: string[];
}

export interface MailStatus {
  configured: boolean;
  server: string | null;
  lastSentAt: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
}

export function email(): Promise<EmailView> {
  return http.get<EmailView>('/api/me/email');
}

export function setEmail(address: string): Promise<EmailView> {
  return http.put<EmailView>('/api/me/email', { address });
}

export function removeEmail(): Promise<void> {
  return http.delete('/api/me/email');
}

export function confirm(token: string): Promise<EmailView> {
  return http.post<EmailView>('/api/email-confirmations', { token });
}

export function subscriptions(): Promise<SubscriptionsView> {
  return http.get<SubscriptionsView>('/api/me/alerts');
}

export function setSubscriptions(items: Subscription[]): Promise<SubscriptionsView> {
  return http.put<SubscriptionsView>('/api/me/alerts', { items });
}

export function userEmail(userId: number): Promise<EmailView> {
  return http.get<EmailView>(`/api/users/${userId}/email`);
}

export function setUserEmail(userId: number, address: string): Promise<EmailView> {
  return http.put<EmailView>(`/api/users/${userId}/email`, { address });
}

export function removeUserEmail(userId: number): Promise<void> {
  return http.delete(`/api/users/${userId}/email`);
}

export function mailStatus(): Promise<MailStatus> {
  return http.get<MailStatus>('/api/admin/mail');
}

export function testMail(to: string): Promise<{ sentTo: string }> {
  return http.post<{ sentTo: string }>('/api/admin/mail/test', to ? { to } : {});
}
