import { describe, expect, it } from 'vitest';
import type { AuditEntry, SessionParticipantSpan } from '../api/types';
import type { RefusalEvent, SessionEvent } from '../live/presence';
import { applySession, controllerOf, type LiveSessionRow, mergeRefusals, newestFirst, presentUsers, refusals, summarize } from './dashboardSummary';

describe('dashboard figures', () => {
  it('counts online, offline and never seen per group and in all', () => {
    const summary = summarize([
      { group: 'lab', online: true, lastSeen: 'x' },
      { group: 'lab', online: false, lastSeen: 'x' },
      { group: 'default', online: false, lastSeen: null },
      { group: 'lab', online: false, lastSeen: null },
    ]);
    expect(summary.groups).toEqual([
      { group: 'default', online: 0, offline: 0, never: 1 },
      { group: 'lab', online: 1, offline: 1, never: 1 },
    ]);
    expect(summary.total).toEqual({ online: 1, offline: 1, never: 2 });
  });

  it('names who controls a live session now, not who did before', () => {
    const span = (username: string, role: 'controller' | 'observer', leftAt: string | null) => ({ username, role, leftAt }) as SessionParticipantSpan;
    const participants = [span('alice', 'controller', '2026-12-04T10:00:00Z'), span('alice', 'observer', null), span('bob', 'controller', null)];
    expect(controllerOf({ participants })).toBe('bob');
    expect(presentUsers({ participants })).toEqual(['alice', 'bob']);
    expect(controllerOf({ participants: [span('alice', 'observer', null)] })).toBeNull();
  });

  it('keeps the refusals among audit entries, newest first, up to the limit', () => {
    const entry = (id: number, outcome: string) => ({ id, outcome }) as AuditEntry;
    expect(refusals([entry(5, 'ok'), entry(4, 'denied'), entry(3, 'failed'), entry(2, 'denied')], 2).map((e) => e.id)).toEqual([4, 3]);
  });

  it('follows session events: a live one is added or updated, an ended one leaves', () => {
    const rows = new Map<number, LiveSessionRow>();
    const event = (id: number, state: 'live' | 'ended', controller: string | null, people: number): SessionEvent => ({ id, device: { id: 7, name: 'plc-7' }, target: 'console', kind: 'terminal', state, controller, people });
    applySession(rows, event(41, 'live', 'alice', 1));
    applySession(rows, event(42, 'live', null, 1));
    applySession(rows, event(41, 'live', 'bob', 2));
    expect(newestFirst(rows.values()).map((r) => `${r.id} ${r.controller} ${r.people}`)).toEqual(['42 null 1', '41 bob 2']);
    applySession(rows, event(42, 'ended', null, 0));
    applySession(rows, event(43, 'ended', null, 0)); // one this page never saw
    expect([...rows.keys()]).toEqual([41]);
  });

  it('merges refusals from the stream with those read, each once, newest first', () => {
    const refusal = (id: number, outcome = 'denied') => ({ id, outcome }) as RefusalEvent;
    expect(mergeRefusals([refusal(5), refusal(3)], [refusal(7), refusal(5), refusal(6, 'ok'), refusal(1)], 3).map((e) => e.id)).toEqual([7, 5, 3]);
  });
});
