// The audit log: GET /api/audit (paged, newest first) and export links.

import { http, withQuery } from './http';
import type { AuditEntry, AuditFilter, Page } from './types';

function query(filter: AuditFilter) {
  return {
    actor: filter.actor?.trim(),
    action: filter.action,
    device: filter.device?.trim(),
    from: filter.from,
    to: filter.to,
  };
}

export function list(filter: AuditFilter, cursor?: string | null, limit = 50): Promise<Page<AuditEntry>> {
  return http.get<Page<AuditEntry>>('/api/audit', { ...query(filter), cursor, limit });
}

/** A link that downloads the whole filtered log (a plain GET: the session cookie suffices). */
export function exportUrl(format: 'jsonl' | 'csv', filter: AuditFilter): string {
  return withQuery('/api/audit/export', { format, ...query(filter) });
}
