// How the terminal socket closes (docs/api.md "Close codes"): the portal's codes, what a close says
// to the user, and which closes during a move to another node only mean "not back yet".

/** The portal's close code for a refused open (device offline, no such target, the device-side port busy). */
export const CLOSE_REFUSED = 4410;
/** The portal's close code when the browser session behind the terminal ended by itself. */
export const CLOSE_CREDENTIAL_EXPIRED = 4401;
/** The portal's close code for a viewer who tried to start a session (only operators may). */
export const CLOSE_VIEWER = 4403;
/** WebSocket "Service Restart": the portal node drains and the session moves to another node. */
export const CLOSE_NODE_DRAINING = 1012;
/** The label of a draining node, as the `code` of a `closed` message and the start of a close reason. */
export const NODE_DRAINING = 'node-draining';

/** What the closed terminal of a viewer says (a clause: states.ts adds the full stop). */
export const VIEWER_CANNOT_START =
  'no session is live on this target, and a viewer may watch a live session but not start one. Reconnect once an operator has opened it';

/**
 * During a move these mean "not back yet": the balancer still routes to a stopping node, another
 * node drains, the device's agent or (for a viewer) the session's controller has not come back.
 */
const NOT_YET_CODES: ReadonlySet<number> = new Set([1001, 1006, CLOSE_NODE_DRAINING, CLOSE_VIEWER]);
const NOT_YET_LABELS: ReadonlySet<string> = new Set(['device-offline', NODE_DRAINING, 'no-live-session', 'portal-shutdown']);

/** What the portal said just before a close: a `closed` message's code (a label, or a number) and reason. */
export interface PortalSaid {
  code: unknown;
  reason: string;
}

/**
 * Whether the close of an attempt to rejoin a moved session is worth another attempt: the upgrade
 * failed ({@code opened} false), a "not yet" code, or a "not yet" label in what the portal said
 * before (else in the close reason, "label: detail").
 */
export function closedForNow(code: number, reason: string, opened: boolean, said: PortalSaid | null): boolean {
  const label = typeof said?.code === 'string' ? said.code : said?.code === CLOSE_VIEWER ? 'no-live-session' : (said?.reason ?? reason).split(':', 1)[0].trim();
  return !opened || NOT_YET_CODES.has(code) || NOT_YET_LABELS.has(label);
}

/** What a close without a reason from the portal means to the user. */
export function describeClose(code: number, opened: boolean): string {
  if (!opened) {
    // the upgrade was answered with an HTTP error (401, 403, 404) or nothing at all: a browser
    // does not tell which
    return 'the portal refused the terminal connection (signed out, no access to this device, or the portal cannot be reached)';
  }
  switch (code) {
    case 1000:
      return 'the portal closed the terminal';
    case 1001:
      return 'the portal is going away (restart or shutdown)';
    case 1006:
      return 'the connection to the portal was lost';
    case 1008:
      return 'the portal refused a message (policy violation)';
    case 1009:
      return 'a message was too big for the portal';
    case 1011:
      return 'the portal hit an internal error';
    case CLOSE_VIEWER:
      return VIEWER_CANNOT_START;
    case CLOSE_CREDENTIAL_EXPIRED:
      return 'your sign-in ended (idle or expired): sign in again';
    default:
      return `the connection closed (code ${code})`;
  }
}
