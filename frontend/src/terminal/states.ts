// What the terminal says about its session, in words: the badge and the sentence next to it.

import type { StateKind, TerminalState } from './connection';

export function stateLabel(kind: StateKind): string {
  switch (kind) {
    case 'connecting':
      return 'Connecting';
    case 'live':
      return 'Live';
    case 'offline':
      return 'Device offline';
    case 'busy':
      return 'Target busy';
    case 'moving':
      return 'Moving';
    case 'closed':
      return 'Closed';
  }
}

/** A reason from the portal as the end of a sentence (no doubled full stop). */
function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, '');
}

export function describeState(state: TerminalState, label: string): string {
  switch (state.kind) {
    case 'connecting':
      return `Connecting to ${label}…`;
    case 'live':
      return `Connected to ${label}.`;
    case 'offline':
      return `${label} is offline: ${clause(state.detail)}. Reconnect once its agent is back.`;
    case 'busy':
      return state.holder
        ? `${label} is in use by ${state.holder}: try again when they close it.`
        : `${label} is in use (${clause(state.detail)}).`;
    case 'moving':
      return `Moving the session on ${label} to another node…${state.attempt > 0 ? ` (attempt ${state.attempt})` : ''}`;
    case 'closed':
      return `The terminal to ${label} closed: ${clause(state.reason)}.`;
  }
}

/** What the terminal itself shows once a moved session is live again. */
export const MOVED_NOTICE = '[the session moved to another node]';

/**
 * {@link MOVED_NOTICE} as one dim, italic line for xterm; {@code midLine} (output came since the
 * screen was cleared) starts it on a line of its own.
 */
export function movedLine(midLine: boolean): string {
  return `${midLine ? '\r\n' : ''}\x1b[2;3m${MOVED_NOTICE}\x1b[0m\r\n`;
}

/** What the terminal says when the browser session is about to reach its absolute timeout. */
export function expiringNotice(at: string, now: Date = new Date()): string {
  const end = new Date(at);
  const minutes = Math.max(1, Math.round((end.getTime() - now.getTime()) / 60_000));
  const time = end.toISOString().slice(11, 16);
  return `Your sign-in ends at ${time} UTC (in about ${minutes} min) and this terminal closes then: save your work, then sign in again.`;
}
