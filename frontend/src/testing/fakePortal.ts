// The portal as view tests see it: fetch stubbed with answers per "METHOD /path" prefix, the calls
// made, and a signed-in user. For *.test.ts files only (nothing of the app imports it).

import { afterEach, beforeEach, vi } from 'vitest';
import { http } from '../api/http';
import type { Device, Role } from '../api/types';
import { noPresence, setPresenceSource } from '../live/presence';
import * as session from '../session';

export interface Call {
  url: string;
  method: string;
  body: unknown;
  /** The CSRF header sent. */
  csrf: string | null;
}

/**
 * Answers requests by the longest matching "METHOD path" prefix (method optional: GET) with its
 * body (a string as text), or with what a function of the call returns; a body's `status` is the
 * answer's status.
 */
export function respond(routes: Record<string, unknown>): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn((url: string, init: RequestInit = {}) => {
      const method = init.method ?? 'GET';
      const sent = typeof init.body === 'string' ? (JSON.parse(init.body) as unknown) : undefined;
      const call: Call = { url, method, body: sent, csrf: new Headers(init.headers).get('X-CSRF-Token') };
      calls.push(call);
      const keys = Object.keys(routes)
        .filter((k) => {
          const [m, p] = k.includes(' ') ? k.split(' ') : ['GET', k];
          return m === method && url.startsWith(p);
        })
        .sort((a, b) => b.length - a.length);
      const found = keys.length ? routes[keys[0]] : { status: 404, detail: 'no such resource' };
      const body: unknown = typeof found === 'function' ? (found as (c: Call) => unknown)(call) : found;
      if (typeof body === 'string') return Promise.resolve(new Response(body, { status: 200 }));
      const status = (body as { status?: number } | null)?.status ?? 200;
      const headers = { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' };
      return Promise.resolve(status === 204 ? new Response(null, { status }) : new Response(JSON.stringify(body), { status, headers }));
    }),
  );
  return calls;
}

/** Lets the pending answers and what they start run. */
export async function settle(times = 4): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise((r) => setTimeout(r, 0));
}

/** Signs in a user with a {@code role} grant on `default` (an admin with {@code admin}). */
export async function signInAs(admin: boolean, role: Role = 'viewer'): Promise<void> {
  respond({ '/api/me': { id: 1, username: admin ? 'root' : 'olga', admin, csrfToken: 'csrf-1', grants: [{ group: 'default', role }] } });
  await session.restore();
}

/** Every test starts signed out, without a CSRF token, stubs, live events or a page left over. */
export function cleanUpAfterEachTest(): void {
  beforeEach(() => http.setCsrfToken(null));
  afterEach(() => {
    session.forget();
    vi.unstubAllGlobals();
    setPresenceSource(noPresence);
    document.body.replaceChildren();
  });
}

/** An online agent device with one serial target, "console". */
export const sampleDevice = (over: Partial<Device> = {}): Device => ({
  id: 7,
  name: 'plc-7',
  description: null,
  group: 'default',
  tags: [],
  mode: null,
  online: true,
  lastSeen: null,
  remoteAddress: null,
  agentVersion: null,
  targets: [{ name: 'console', kind: 'serial', description: null, status: 'ok' }],
  createdAt: '2026-11-25T10:00:00Z',
  ...over,
});
