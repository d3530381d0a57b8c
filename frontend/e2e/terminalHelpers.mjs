// What the scenarios with a real agent share (terminal.mjs, sessions.mjs): the dialogue with the Java
// test ("@@tether {json}" on stdout, answers on stdin; BrowserDialogue.java), browser contexts and
// pages that fail on page errors, and reading and typing into a terminal the way a user does (its
// DOM renderer's rows .xterm-rows, its status line) and through the test hook
// window.__tether.terminals[i]. Also the runner: one scenario per run, named on the command line.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { endDialogue, test } from './dialogue.mjs';
import { BASE, SHOTS, TIMEOUT, env, eventually, fail, hasText, randomAddress, submitSignIn } from './helpers.mjs';

// --- the dialogue with the test (Java): dialogue.mjs ---

export { test };

export const b64 = (text) => Buffer.from(text, 'utf8').toString('base64');
const b64bytes = (bytes) => Buffer.from(bytes).toString('base64');

/** The device receives exactly these bytes next (typed in the terminal). */
export const deviceReceives = (text, timeoutMs = 10_000) => test('ptyExpect', { base64: b64(text), timeoutMs }, timeoutMs + 5_000);
/** The device prints these bytes. */
export const devicePrints = (bytes) => test('ptyWrite', { base64: typeof bytes === 'string' ? b64(bytes) : b64bytes(bytes) });

// --- browser helpers ---

/** A browser context for the portal at {@code origin} (a cluster's test may sign in on one node). */
export async function newContext(browser, origin = BASE) {
  const context = await browser.newContext({
    extraHTTPHeaders: { 'X-Forwarded-For': randomAddress() },
    // a cluster's balancer serves the test's own self-signed certificate
    ignoreHTTPSErrors: origin.startsWith('https:'),
    viewport: { width: 1280, height: 900 },
  });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  return context;
}

export async function newPage(context, name) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('dialog', (dialog) => {
    console.log(`UNEXPECTED DIALOG: ${dialog.message()}`);
    process.exitCode = 1;
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`[${name}] browser console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => {
    console.log(`[${name}] page error: ${error.message}`);
    process.exitCode = 1;
  });
  return page;
}

export async function signIn(page, username, password, path = '/devices', base = BASE) {
  await page.goto(`${base}${path}`);
  await submitSignIn(page, username, password);
}

/** The terminal panel of {@code label} ("device/target"). */
export function panel(page, label) {
  return page.getByRole('tabpanel', { name: label });
}

/** The visible rows of the terminal as its DOM renderer shows them (what a user sees). */
export async function domRows(page, label) {
  return panel(page, label)
    .locator('.xterm-rows')
    .evaluate((rows) => [...rows.children].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
}

/**
 * Calls {@code fn} in the page with window.__tether.terminals[i] of {@code label} ("device/target").
 * (A function handle, not eval: the portal's CSP rightly forbids eval in the page.)
 */
export async function hook(page, label, fn) {
  const terminal = await page.evaluateHandle((label) => {
    const t = window.__tether?.terminals.find((x) => `${x.deviceName}/${x.target}` === label);
    if (!t) throw new Error(`no terminal ${label} in window.__tether`);
    return t;
  }, label);
  try {
    return await terminal.evaluate(fn);
  } finally {
    await terminal.dispose();
  }
}

/** Waits until the terminal shows {@code text}, in the DOM rows and through the hook. */
export async function terminalShows(page, label, text, timeout = TIMEOUT) {
  await eventually(
    `the terminal ${label} to show ${JSON.stringify(text)} in its DOM rows`,
    async () => {
      const rows = await domRows(page, label);
      return rows.includes(text) ? true : rows.split('\n').filter(Boolean).slice(-4).join(' ⏎ ');
    },
    timeout,
  );
  const viaHook = await hook(page, label, (t) => t.text());
  if (!viaHook.includes(text)) fail(`the DOM rows show ${JSON.stringify(text)} but the hook's text() does not: ${JSON.stringify(viaHook)}`);
}

export async function terminalState(page, label, kind, what, timeout = TIMEOUT) {
  await eventually(
    what,
    async () => {
      const state = await hook(page, label, (t) => t.state());
      return state.kind === kind ? true : state;
    },
    timeout,
  );
}

/** The sentence in the terminal's status line (role=status), as a screen reader reads it. */
export function statusLine(page, label) {
  return panel(page, label).locator('.term-state');
}

/**
 * The terminal's notice line (role=status, below its tools: search results, "back online", the
 * observer's "take over to type"); not the sharing bar's line about sharing actions.
 */
export function notice(page, label) {
  return panel(page, label).locator('.term-pane > .term-notice');
}

/** The sharing bar of the terminal: role badge, who controls, participants, sharing actions. */
export function sharingBar(page, label) {
  return panel(page, label).getByRole('group', { name: 'Session sharing' });
}

export async function focusTerminal(page, label) {
  await panel(page, label).locator('.xterm-screen').click();
}

/** Types {@code text} into the focused terminal as keystrokes; "\r" is the Enter key. */
export async function typeInto(page, text) {
  for (const part of text.split(/(\r)/)) {
    if (part === '\r') await page.keyboard.press('Enter');
    else if (part) await page.keyboard.type(part);
  }
}

/**
 * The observer types, and its page says it is observing; then the controller types: the device
 * receives the controller's line and none of the observer's keys before it.
 */
export async function onlyTheControllersKeysReachTheDevice(controller, observer, label) {
  await focusTerminal(observer, label);
  await typeInto(observer, 'from the observer\r');
  await hasText(notice(observer, label), 'You are observing: take over to type', "the observer's notice");
  await focusTerminal(controller, label);
  await typeInto(controller, 'from the controller\r');
  await deviceReceives('from the controller\r');
}

// --- the runner ---

/**
 * Runs the scenario named on the command line in a fresh headless Chromium; on failure saves a
 * screenshot of every page (failed-SCRIPT-SCENARIO-N.png) and exits 1 with the reason.
 */
export function run(script, scenarios) {
  const name = process.argv[2];
  const main = async () => {
    const scenario = scenarios[name];
    if (!scenario) fail(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
    const browser = await chromium.launch({
      executablePath: env.CHROMIUM ?? '/usr/bin/chromium-headless-shell',
      headless: true,
      args: (env.CHROMIUM_FLAGS ?? '--no-sandbox\n--disable-gpu').split('\n').filter(Boolean),
    });
    try {
      await scenario(browser);
      if (process.exitCode) fail('an unexpected dialog or page error happened');
      console.log(`scenario ${name}: passed`);
    } catch (error) {
      mkdirSync(SHOTS, { recursive: true });
      let i = 0;
      for (const context of browser.contexts()) {
        for (const page of context.pages()) {
          i += 1;
          await page.screenshot({ path: join(SHOTS, `failed-${script}-${name}-${i}.png`), fullPage: true }).catch(() => {});
          console.log(`page ${i} at failure: ${page.url()}`);
        }
      }
      throw error;
    } finally {
      await browser.close();
      endDialogue();
    }
  };
  main()
    .then(() => process.exit(process.exitCode ?? 0))
    .catch((error) => {
      console.log(`scenario ${name}: FAILED: ${error.message}`);
      process.exit(1);
    });
}
