// Helpers shared by the end-to-end scripts (webui.mjs, terminal.mjs): settings from the
// environment, waiting with a deadline, finding controls as a user does, screenshots.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const env = process.env;

export function required(name) {
  const value = env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}

export const BASE = required('TETHER_URL');
export const SHOTS = env.SCREENSHOTS ?? 'target/screenshots';
/** Generous for 2 busy cores; a passing step takes milliseconds. */
export const TIMEOUT = 15_000;

export function step(text) {
  console.log(`step: ${text}`);
}

export function fail(message) {
  throw new Error(message);
}

/** A random address from 198.18.0.0/15, sent as X-Forwarded-For through the trusted 127.0.0.1. */
export function randomAddress() {
  const r = (n) => Math.floor(Math.random() * n);
  return `198.${18 + r(2)}.${r(256)}.${1 + r(254)}`;
}

export async function eventually(what, check, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last === true) return;
    } catch (e) {
      last = e.message;
    }
    if (Date.now() > deadline) fail(`timed out waiting for ${what} (last seen: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function visible(locator, what) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: TIMEOUT });
  } catch {
    fail(`${what} is not visible`);
  }
}

export async function hasText(locator, text, what, timeout = TIMEOUT) {
  await eventually(
    `${what} to read ${JSON.stringify(text)}`,
    async () => {
      const actual = (await locator.first().textContent()) ?? '';
      return actual.includes(text) ? true : actual;
    },
    timeout,
  );
}

/** Fills and sends the sign-in form shown on {@code page}; waits until signed in. */
export async function submitSignIn(page, username, password) {
  await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in heading');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByRole('button', { name: 'Sign out', exact: true }), 'the Sign out button after signing in');
}

export async function screenshot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, name), fullPage: true });
  step(`screenshot ${name}`);
}

export function deviceRow(page, name) {
  return page.locator('tbody tr', { has: page.getByRole('link', { name, exact: true }) });
}

/** Gives {@code page} Chromium's virtual authenticator (DevTools): a security key that always says yes. */
export async function virtualSecurityKey(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}
