// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { SessionParticipantSpan } from '../api/types';
import { bytes, duration, participantSummary, sessionLink } from './sessionBits';

const span = (username: string, role: 'controller' | 'observer'): SessionParticipantSpan => ({
  userId: 1,
  username,
  role,
  via: 'web',
  joinedAt: '2026-11-25T10:00:00Z',
  leftAt: null,
});

describe('session bits', () => {
  it('names each participant once with every role they had', () => {
    expect(participantSummary([span('alice', 'controller'), span('bob', 'observer'), span('alice', 'observer'), span('bob', 'controller')])).toBe(
      'alice (controller, observer), bob (observer, controller)',
    );
    expect(participantSummary([])).toBe('');
  });

  it('links to the session page with a name that says which', () => {
    const link = sessionLink({ id: 41, device: { id: 7, name: '<b>plc</b>' }, target: 'console' });
    expect(link.getAttribute('href')).toBe('/sessions/41');
    expect(link.getAttribute('aria-label')).toBe('Session 41 on <b>plc</b>/console');
    expect(link.textContent).toBe('#41');
  });

  it('says how long and how much', () => {
    expect(duration('2026-11-25T10:00:00Z', '2026-11-25T10:00:42Z')).toBe('42 s');
    expect(duration('2026-11-25T10:00:00Z', '2026-11-25T10:02:05Z')).toBe('2 min 5 s');
    expect(duration('2026-11-25T10:00:00Z', null, new Date('2026-11-25T11:03:00Z'))).toBe('1 h 3 min');
    expect(bytes(512)).toBe('512 B');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(5 * 1024 * 1024)).toBe('5.0 MiB');
    expect(bytes(300 * 1024 * 1024)).toBe('300 MiB');
  });
});
