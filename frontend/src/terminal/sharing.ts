// A shared terminal session as the portal describes it (docs/api.md "Terminal": the `session`
// message) and what the pane shows of it, without any DOM: the role, who controls, the
// participants, which sharing actions the user has, and whether the session is recorded.

import type { RecordingPolicy, SessionRole } from '../api/types';

/** A participant id as the portal sends it (opaque: only ever sent back in a hand-over). */
export type ParticipantId = number | string;

/** A roster entry's role: a session role, or a data flow watcher (sees the traffic, takes no part). */
export type RosterRole = SessionRole | 'watcher';

export interface LiveParticipant {
  id: ParticipantId;
  username: string;
  role: RosterRole;
  /** Not in the contract's participant entries; honoured when a portal sends it. */
  mayControl?: boolean;
}

/** The `session` message: sent on joining and whenever a role or the participant list changes. */
export interface SessionInfo {
  id: number;
  /** This browser's participant id. */
  you: ParticipantId;
  role: SessionRole;
  /** Whether this user may take control (operators and admins; not viewers). */
  mayControl: boolean;
  /** The controller's username; null while nobody controls (after a release). */
  controller: string | null;
  participants: LiveParticipant[];
  recording: RecordingPolicy;
}

const isId = (value: unknown): value is ParticipantId =>
  (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length > 0);

const isRole = (value: unknown): value is SessionRole => value === 'controller' || value === 'observer';

const isRosterRole = (value: unknown): value is RosterRole => isRole(value) || value === 'watcher';

/** Reads a `session` message; null when it lacks what the pane needs (a broken message changes nothing). */
export function parseSession(message: Record<string, unknown>): SessionInfo | null {
  const { id, you, role } = message;
  const sessionId = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : NaN;
  if (!Number.isFinite(sessionId) || !isId(you) || !isRole(role)) {
    return null;
  }
  const participants: LiveParticipant[] = [];
  for (const entry of Array.isArray(message.participants) ? message.participants : []) {
    if (!entry || typeof entry !== 'object') continue;
    const p = entry as Record<string, unknown>;
    if (!isId(p.id) || typeof p.username !== 'string' || !isRosterRole(p.role)) continue;
    participants.push({ id: p.id, username: p.username, role: p.role, ...(typeof p.mayControl === 'boolean' ? { mayControl: p.mayControl } : {}) });
  }
  const recording = message.recording === 'output' || message.recording === 'all' ? message.recording : 'off';
  return {
    id: sessionId,
    you,
    role,
    mayControl: message.mayControl === true,
    controller: typeof message.controller === 'string' && message.controller ? message.controller : null,
    participants,
    recording,
  };
}

/** What the pane shows of a session, in words, and which actions it offers. */
export interface SharingModel {
  /** "Controlling" or "Observing (read only)". */
  roleLabel: string;
  /** "Controlled by alice" or "Nobody has control". */
  controllerText: string;
  /** null when the session is not recorded. */
  recordingLabel: string | null;
  canTakeOver: boolean;
  canRelease: boolean;
  /** The participants control may be handed to (empty: no Hand over). */
  handOverTo: LiveParticipant[];
  /** One line per participant, this browser's marked. */
  participants: { id: ParticipantId; text: string; you: boolean }[];
}

export const OBSERVING_NOTICE = 'You are observing: take over to type';

export function roleLabel(role: SessionRole): string {
  return role === 'controller' ? 'Controlling' : 'Observing (read only)';
}

export function recordingLabel(policy: RecordingPolicy): string | null {
  switch (policy) {
    case 'output':
      return 'Recording output';
    case 'all':
      return 'Recording input and output';
    default:
      return null;
  }
}

export function sharingModel(info: SessionInfo): SharingModel {
  const controlling = info.role === 'controller';
  return {
    roleLabel: roleLabel(info.role),
    controllerText: info.controller ? `Controlled by ${info.controller}` : 'Nobody has control',
    recordingLabel: recordingLabel(info.recording),
    canTakeOver: !controlling && info.mayControl,
    canRelease: controlling,
    // the participant entries do not say who may operate: the portal refuses a hand-over to a
    // viewer with an error, which the pane shows; a data flow watcher is no participant at all
    handOverTo: controlling ? info.participants.filter((p) => p.id !== info.you && p.role !== 'watcher' && p.mayControl !== false) : [],
    participants: info.participants.map((p) => ({
      id: p.id,
      you: p.id === info.you,
      text: `${p.username} (${p.role === 'watcher' ? 'watcher: data flow' : p.role}${p.id === info.you ? ', you' : ''})`,
    })),
  };
}

/** What the sharing bar says when this browser's role changed without it asking; null when nothing. */
export function roleChangeNotice(before: SessionRole | null, info: SessionInfo | null): string | null {
  if (before === 'controller' && info?.role === 'observer') {
    return info.controller ? `${info.controller} took control: you are observing.` : 'You no longer control the session.';
  }
  if (before === 'observer' && info?.role === 'controller') {
    return 'You were handed control: you can type.';
  }
  return null;
}
