// End-to-end scenario of a cluster in headless Chromium (Debian's /usr/bin/chromium-headless-shell, driven by
// playwright-core): two packaged nodes behind HAProxy, reached through the balancer (and one
// directly, by an observer on the node not holding the device), a real agent whose serial target is
// a socat PTY. Launched by src/test/java/io/tether/web/ClusterDrainIT:
//   node e2e/cluster.mjs SCENARIO   (settings in environment variables)
// What only the test can do (SIGTERM a node, read and write the serial line, read the database) is
// asked for on stdout as "@@tether {json}" and answered on stdin (BrowserDialogue.java).
// Prints one line per step; exits 1 with the reason (and a screenshot) when a step fails.

import { BASE, deviceRow, eventually, fail, hasText, required, screenshot, step } from './helpers.mjs';
import {
  deviceReceives,
  devicePrints,
  focusTerminal,
  hook,
  newContext,
  newPage,
  onlyTheControllersKeysReachTheDevice,
  run,
  signIn,
  terminalShows,
  terminalState,
  test,
  typeInto,
} from './terminalHelpers.mjs';

/** The line a terminal shows once it resumed on another node. */
const MOVED = 'the session moved to another node';

/** Agents come back after the drain's retry-after (5 s) plus jitter; the browser keeps trying for 30 s. */
const RESUMED_WITHIN = 40_000;

/** PostgreSQL down a few seconds, then the page's retried reads (Retry-After 1 s each). */
const DATABASE_BACK_WITHIN = 30_000;

/** A killed node is declared dead 15 s after its last heartbeat, judged at a survivor's renewal. */
const DECLARED_DEAD_WITHIN = 40_000;

async function role(page, label, expected, who) {
  await eventually(`${who} to be ${expected}`, async () => {
    const now = await hook(page, label, (t) => t.role());
    return now === expected ? true : now;
  });
}

/**
 * The first operator opens the device's console through the balancer: the controller; the second
 * signs in at {@code observerBase} ({@code where}) and opens it too: an observer of the same
 * session. Answers both pages, the terminal's label and the session id.
 */
async function controllerAndObserver(browser, observerBase, where) {
  const name = required('DEVICE_NAME');
  const label = `${name}/console`;
  const terminalPath = `/devices/${required('DEVICE_ID')}/terminal/console`;

  step('the first operator opens the console through the balancer: the controller');
  const a = await newPage(await newContext(browser), 'first');
  await signIn(a, required('FIRST_USERNAME'), required('FIRST_PASSWORD'), terminalPath);
  await terminalState(a, label, 'live', "the first operator's terminal to be live");
  await role(a, label, 'controller', 'the first operator');

  step(`the second operator opens it ${where}: an observer of the same session`);
  const b = await newPage(await newContext(browser, observerBase), 'second');
  await signIn(b, required('SECOND_USERNAME'), required('SECOND_PASSWORD'), terminalPath, observerBase);
  await terminalState(b, label, 'live', "the second operator's terminal to be live");
  await role(b, label, 'observer', 'the second operator');
  const sessionId = await hook(a, label, (t) => t.sessionId());
  if (sessionId === null || (await hook(b, label, (t) => t.sessionId())) !== sessionId) fail('the two terminals are not in one session');
  return { a, b, label, sessionId };
}

/** The device prints {@code text}: each page's terminal shows it, having received exactly its bytes. */
async function everyTerminalReceives(pages, label, text) {
  const bytesIn = (page) => hook(page, label, (t) => t.stats().bytesIn);
  const before = await Promise.all(pages.map(bytesIn));
  const length = Buffer.byteLength(text, 'utf8');
  await devicePrints(text);
  for (const [i, page] of pages.entries()) {
    await terminalShows(page, label, text.trimEnd());
    await eventually(`terminal ${i + 1} of ${label} to have received the ${length} bytes printed`, async () => {
      const received = (await bytesIn(page)) - before[i];
      return received === length ? true : received;
    });
  }
}

const scenarios = {
  /**
   * A controller through the balancer and an observer signed in directly on the node that does not
   * hold the device (OTHER_NODE_URL), on one serial console: one session, held by the device's
   * node; what the device prints reaches both terminals as the same bytes; the observer's keys do
   * not reach the device, the controller's do, and their echo reaches both.
   */
  async observerElsewhere(browser) {
    const other = required('OTHER_NODE_URL');
    const { a, b, label, sessionId } = await controllerAndObserver(browser, other, `on ${other}, the node not holding the device`);
    const held = await test('deviceNode');
    const row = await test('session', { session: sessionId });
    if (row.state !== 'live' || row.node !== held) fail(`session ${sessionId} in the database: ${JSON.stringify(row)}; the device is on ${held}`);
    step(`one session ${sessionId}, live on ${held}, which holds the device`);

    step('the device prints: both terminals receive the same bytes');
    await everyTerminalReceives([a, b], label, 'printed for a terminal on each node: grüße ✓\r\n');

    step("the observer types: the page says it is observing; only the controller's keys reach the device");
    await onlyTheControllersKeysReachTheDevice(a, b, label);

    step("the device echoes the controller's line: both terminals receive it");
    await everyTerminalReceives([a, b], label, 'from the controller\r\n');
    await screenshot(b, 'cluster-observer-elsewhere.png');

    await a.context().close();
    await b.context().close();
  },

  /**
   * A controller and an observer on a serial console whose device is held by one node; that node
   * gets SIGTERM. Both terminals say they are moving, resume by themselves on the node the agent
   * reconnected to, show one line that the session moved, keep their roles and the session id, and
   * typing reaches the serial line again.
   */
  async drain(browser) {
    const { a, b, label, sessionId } = await controllerAndObserver(browser, BASE, 'too, through the balancer');

    step(`session ${sessionId}: output reaches both, the controller's typing the device`);
    await devicePrints('before the drain\r\n');
    await terminalShows(a, label, 'before the drain');
    await terminalShows(b, label, 'before the drain');
    await focusTerminal(a, label);
    await typeInto(a, 'typed before\r');
    await deviceReceives('typed before\r');

    const drained = await test('drainOwner');
    step(`SIGTERM to node ${drained}, which holds the device: both terminals move`);
    await terminalState(a, label, 'moving', "the first operator's terminal to say it is moving");
    await screenshot(a, 'cluster-moving.png');
    await terminalState(a, label, 'live', "the first operator's terminal to be live again", RESUMED_WITHIN);
    await terminalState(b, label, 'live', "the second operator's terminal to be live again", RESUMED_WITHIN);
    const now = await test('deviceNode');
    if (now === drained || now === '') fail(`the device is on ${JSON.stringify(now)} after the drain of ${drained}`);
    step(`both terminals resumed; the device is on node ${now}`);

    step('each terminal shows one line that the session moved; roles and session are the same');
    await terminalShows(a, label, MOVED);
    await terminalShows(b, label, MOVED);
    await role(a, label, 'controller', 'the first operator, back');
    await role(b, label, 'observer', 'the second operator, back');
    for (const [page, who] of [
      [a, 'first'],
      [b, 'second'],
    ]) {
      await eventually(`the ${who} operator's terminal in session ${sessionId}`, async () => {
        const again = await hook(page, label, (t) => t.sessionId());
        return again === sessionId ? true : again;
      });
    }
    await screenshot(a, 'cluster-resumed.png');

    step('typing works on the new node, and output reaches both');
    await focusTerminal(a, label);
    await typeInto(a, 'typed after\r');
    await deviceReceives('typed after\r');
    await devicePrints('after the drain\r\n');
    await terminalShows(a, label, 'after the drain');
    await terminalShows(b, label, 'after the drain');
    const row = await test('session', { session: sessionId });
    if (row.state !== 'live' || row.node !== now) fail(`session ${sessionId} in the database: ${JSON.stringify(row)}`);
    step(`session ${sessionId} is live on ${row.node} with ${row.spans} participant spans`);

    await a.close();
    await b.close();
  },

  /**
   * The fleet page on a survivor: the node holding the device is killed (kill -9) while the
   * device's agent is frozen, so it cannot reconnect at once. The page — its event stream moved
   * to a live node by itself — shows the device offline when a survivor declares the dead node
   * dead, and online again when the thawed agent reconnects through the balancer, without a reload.
   */
  async fleet(browser) {
    const name = required('DEVICE_NAME');
    const page = await newPage(await newContext(browser), 'admin');
    await signIn(page, 'admin', required('ADMIN_PASSWORD'), '/devices');
    const row = deviceRow(page, name);
    await hasText(row, 'online', `${name} online on the fleet page`);
    await page.evaluate(() => {
      window.__notReloaded = true;
    });

    const killed = await test('killOwnerFreezingTheAgent');
    step(`kill -9 node ${killed}, which holds ${name}; its agent frozen`);
    await hasText(row, 'offline', `${name} offline once a survivor declared node ${killed} dead`, DECLARED_DEAD_WITHIN);
    await screenshot(page, 'cluster-fleet-offline.png');

    await test('thawAgent');
    step('the agent thawed: it reconnects through the balancer to a survivor');
    await hasText(row, 'online', `${name} online again`, RESUMED_WITHIN);
    if (!(await page.evaluate(() => window.__notReloaded === true))) fail('the fleet page reloaded');
    const now = await test('deviceNode');
    if (now === killed || now === '') fail(`the device is on ${JSON.stringify(now)} after the kill of ${killed}`);
    step(`${name} is online through node ${now}, shown without a reload`);
  },

  /**
   * PostgreSQL restarts while a user works: the fleet page reloaded during the outage lists the
   * device once the database is back, with no error shown. A read that meets the outage as 503 with
   * Retry-After is sent again after the wait (frontend/src/api/http.ts).
   */
  async databaseRestart(browser) {
    const name = required('DEVICE_NAME');
    const page = await newPage(await newContext(browser), 'admin');
    await signIn(page, 'admin', required('ADMIN_PASSWORD'), '/devices');
    await hasText(deviceRow(page, name), 'online', `${name} online on the fleet page`);
    const unavailable = [];
    page.on('response', (r) => {
      if (r.status() === 503 && new URL(r.url()).pathname.startsWith('/api/')) unavailable.push(new URL(r.url()).pathname);
    });

    await test('stopDatabase');
    step('PostgreSQL stopped (it starts again by itself in a few seconds): the user reloads the fleet page');
    await page.reload();
    await hasText(deviceRow(page, name), 'online', `${name} listed once PostgreSQL is back`, DATABASE_BACK_WITHIN);
    // Whether a read meets the outage as a 503 (a pooled connection that died with the server, or
    // none made within the pool's 5 s) or waits for a new connection until the database is back
    // depends on what took the pool's connections first; either way the page must not show an error.
    step(
      unavailable.length === 0
        ? 'every read waited for the database and was answered once it was back'
        : `${unavailable.length} read(s) answered 503 and were sent again after the wait: ${[...new Set(unavailable)].join(', ')}`,
    );
    if ((await page.getByText('the database is not reachable').count()) > 0) fail('the page shows the outage as an error');
    await test('databaseBack');
  },
};

run('cluster', scenarios);
