// What the app shell knows about open terminals without loading xterm.js: how many there are (for
// the header's "Terminals" link) and how to close them all (sign-out, session gone). The workspace,
// loaded on first use, reports here.

type Listener = (count: number) => void;

let count = 0;
let closeAllHook: (() => void) | null = null;
let sessionEndedHook: (() => boolean) | null = null;
const listeners = new Set<Listener>();

export function openTerminalCount(): number {
  return count;
}

export function onTerminalCountChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Called by the workspace whenever a tab opens or closes. */
export function reportTerminalCount(next: number): void {
  if (next === count) return;
  count = next;
  for (const listener of [...listeners]) listener(count);
}

/** Called by the workspace once it exists. */
export function registerCloseAll(hook: () => void): void {
  closeAllHook = hook;
}

/** Closes every terminal (the user signed out or the session ended). */
export function closeAllTerminals(): void {
  closeAllHook?.();
}

/** Called by the workspace once it exists. */
export function registerSessionEnded(hook: () => boolean): void {
  sessionEndedHook = hook;
}

/**
 * The session is gone (a request answered 401). True when a terminal page with open terminals is
 * showing and took it over: it keeps the terminals' last screens and states (often the reason,
 * such as "access revoked: user disabled") and offers to sign in again, instead of the app
 * leaving for the sign-in page at once.
 */
export function terminalsTakeSessionEnd(): boolean {
  return sessionEndedHook?.() ?? false;
}
