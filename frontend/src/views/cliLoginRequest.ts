// What /cli-login?port=P&state=S&challenge=C&name=cli@HOST&days=N asks for, checked before anything
// is shown: tether login opens this address. The code goes back only to this computer's loopback
// address (127.0.0.1, fixed here, never from the address) on an unprivileged port, or is shown to
// paste when there is no port.

export const CLI_LOGIN_PATH = '/cli-login';

export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 365;

export interface CliLoginRequest {
  /** The CLI's loopback port; null: the page shows the code to paste. */
  port: number | null;
  state: string;
  challenge: string;
  /** The API token's name, cli@HOST. */
  name: string;
  /** HOST of cli@HOST, as the page names the computer. */
  host: string;
  days: number;
}

export type Parsed = { ok: true; request: CliLoginRequest } | { ok: false; problem: string };

const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const STATE = /^[A-Za-z0-9_-]{8,128}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const START_AGAIN = 'Start again with tether login in your terminal.';

export function parseCliLogin(query: URLSearchParams): Parsed {
  const challenge = query.get('challenge') ?? '';
  if (!CHALLENGE.test(challenge)) {
    return { ok: false, problem: `This address has no valid sign-in request. ${START_AGAIN}` };
  }
  const portText = query.get('port');
  let port: number | null = null;
  if (portText !== null) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 1024 && port <= 65535)) {
      return { ok: false, problem: `The port in this address is not one tether login listens on. ${START_AGAIN}` };
    }
  }
  const state = query.get('state') ?? '';
  if (port !== null && !STATE.test(state)) {
    return { ok: false, problem: `This address has no valid state. ${START_AGAIN}` };
  }
  const name = query.get('name') ?? 'cli';
  if (name.length === 0 || name.length > 64 || CONTROL.test(name)) {
    return { ok: false, problem: `The token name in this address is not valid. ${START_AGAIN}` };
  }
  const daysText = query.get('days');
  const days = daysText === null ? DEFAULT_DAYS : /^\d{1,3}$/.test(daysText) ? Number(daysText) : NaN;
  if (!(days >= 1 && days <= MAX_DAYS)) {
    return { ok: false, problem: `The lifetime in this address is not 1 to ${MAX_DAYS} days. ${START_AGAIN}` };
  }
  const at = name.indexOf('@');
  const host = at >= 0 && at < name.length - 1 ? name.slice(at + 1) : 'this computer';
  return { ok: true, request: { port, state, challenge, name, host, days } };
}

/** Where the browser hands the code to the CLI: its loopback listener, never another host. */
export function callbackUrl(port: number, state: string, code: string): string {
  return `http://127.0.0.1:${port}/callback?code=${encodeURIComponent(code)}&state=${encodeURIComponent(state)}`;
}

/** Tells the waiting CLI that the user cancelled, so it stops waiting. */
export function cancelUrl(port: number, state: string): string {
  return `http://127.0.0.1:${port}/callback?error=cancelled&state=${encodeURIComponent(state)}`;
}
