// The notifications view: recent alerts for the groups the user can see, and the unread count
// (GET /api/notifications, POST /api/notifications/read).

import { http } from './http';

export interface Notification {
  id: number;
  type: string;
  at: string;
  deviceId: number | null;
  groupId: number | null;
  text: string;
  unread: boolean;
}

export interface NotificationPage {
  items: Notification[];
  unread: number;
  /** More unread than the count says (it stops at 99). */
  unreadMore: boolean;
}

export function list(limit = 50): Promise<NotificationPage> {
  return http.get<NotificationPage>('/api/notifications', { limit });
}

export function read(upTo: number): Promise<void> {
  return http.post<void>('/api/notifications/read', { upTo });
}

/** The badge's words: empty at 0, "99+" past the count's bound. */
export function unreadLabel(page: Pick<NotificationPage, 'unread' | 'unreadMore'>): string {
  if (page.unread === 0) return '';
  return page.unreadMore ? '99+' : String(page.unread);
}
