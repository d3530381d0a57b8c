// End-to-end scenarios of the web terminal and live presence in headless Chromium (Debian's
// /usr/bin/chromium-headless-shell, driven by playwright-core), against the packaged portal, a real agent process
// and a socat PTY as the serial device. Launched by src/test/java/io/tether/web/TerminalIT:
//   node e2e/terminal.mjs SCENARIO   (settings in environment variables)
// What only the test can do (start or kill the agent, read and write the serial line, disable a
// user) is asked for on stdout as "@@tether {json}" and answered by the test on stdin
// (BrowserDialogue.java). Controls are found by role and accessible name; the terminal is read both
// through its DOM renderer's rows (.xterm-rows, what a user sees) and through the test hook
// window.__tether.terminals[i].
// Prints one line per step; exits 1 with the reason (and a screenshot) when a step fails.

import {
  BASE,
  deviceRow,
  eventually,
  fail,
  hasText,
  required,
  screenshot,
  step,
  visible,
} from './helpers.mjs';
import {
  b64,
  deviceReceives,
  devicePrints,
  focusTerminal,
  hook,
  newContext,
  newPage,
  notice,
  onlyTheControllersKeysReachTheDevice,
  panel,
  run,
  sharingBar,
  signIn,
  statusLine,
  terminalShows,
  terminalState,
  test,
  typeInto,
} from './terminalHelpers.mjs';

const scenarios = {
  /**
   * Presence without a reload, then the terminal: both byte directions (with a character split
   * across reads), resize, key bar, copy and paste, search, serial settings, encoding, a second
   * browser joining as an observer who cannot type, the Origin check, close: the observer takes
   * over.
   */
  async terminal(browser) {
    const id = required('DEVICE_ID');
    const name = required('DEVICE_NAME');
    const user = required('USERNAME');
    const label = `${name}/console`;
    const context = await newContext(browser);
    const page = await newPage(context, 'user');

    step('sign in; the device is offline in the open fleet');
    await signIn(page, user, required('PASSWORD'));
    await page.getByLabel('Search by name').fill(name);
    const row = deviceRow(page, name);
    await visible(row, `the row of ${name}`);
    await hasText(row, 'offline', 'the device status');
    await page.evaluate(() => {
      window.__sameDocument = true; // gone if anything reloads the page
    });

    step('start the agent: the row turns online without a reload, with its target');
    await test('startAgent');
    await hasText(row.locator('.badge'), 'online', 'the pushed online status', 30_000);
    await hasText(row, 'console', 'the target of the device');
    if (!(await page.evaluate(() => window.__sameDocument === true))) fail('the page was reloaded');
    await screenshot(page, 'fleet-online.png');

    step('open the terminal from the fleet');
    await row.getByRole('link', { name: `Open terminal on ${label}` }).click();
    await eventually('the terminal URL', async () => new URL(page.url()).pathname === `/devices/${id}/terminal/console` || page.url());
    await visible(page.getByRole('tab', { name: label }), 'the terminal tab');
    await terminalState(page, label, 'live', 'the terminal to be live');
    await hasText(statusLine(page, label), `Connected to ${label}.`, 'the status line');
    const renderer = await hook(page, label, (t) => t.renderer);
    step(`renderer: ${renderer}`);
    if (renderer !== 'dom') fail(`headless Chromium without a GPU should use the DOM renderer, got ${renderer}`);
    if ((await panel(page, label).locator('.xterm-rows').count()) !== 1) fail('no .xterm-rows: the DOM renderer is not drawing');

    step('typed keys reach the serial line as UTF-8, byte-exact');
    await focusTerminal(page, label);
    await typeInto(page, 'echo héllo wörld € 😀\r');
    await deviceReceives('echo héllo wörld € 😀\r');

    step('bytes from the device show in the terminal, a character split across two reads intact');
    await devicePrints('from the device: grüße ✓\r\n');
    await terminalShows(page, label, 'from the device: grüße ✓');
    await test('ptyWriteSplit', { base64: b64('split: €uro\r\n'), at: 8, pauseMs: 300 }); // "€" = E2 | 82 AC
    await terminalShows(page, label, 'split: €uro');

    step('a resize reaches the portal (its "resized" answer)');
    const before = await hook(page, label, (t) => t.size());
    await eventually('the first size confirmed by the portal', async () => {
      const confirmed = await hook(page, label, (t) => t.confirmedSize());
      return confirmed && confirmed.cols === before.cols && confirmed.rows === before.rows ? true : confirmed;
    });
    await page.setViewportSize({ width: 900, height: 700 });
    await eventually('a smaller terminal confirmed by the portal', async () => {
      const size = await hook(page, label, (t) => t.size());
      const confirmed = await hook(page, label, (t) => t.confirmedSize());
      return size.cols < before.cols && confirmed && confirmed.cols === size.cols && confirmed.rows === size.rows ? true : { size, confirmed };
    });
    const after = await hook(page, label, (t) => t.confirmedSize());
    await hasText(panel(page, label).locator('.term-size'), `${after.cols}×${after.rows}`, 'the size shown');
    step(`resized from ${before.cols}×${before.rows} to ${after.cols}×${after.rows}`);
    await page.setViewportSize({ width: 1280, height: 900 });

    step('the key bar sends Esc, an arrow and Ctrl+C');
    await panel(page, label).getByRole('button', { name: 'Key bar' }).click();
    const keys = panel(page, label).getByRole('toolbar', { name: 'Key bar' });
    await keys.getByRole('button', { name: 'Esc' }).click();
    await keys.getByRole('button', { name: 'Arrow up' }).click();
    await keys.getByRole('button', { name: 'Ctrl', exact: true }).click();
    if ((await keys.getByRole('button', { name: 'Ctrl', exact: true }).getAttribute('aria-pressed')) !== 'true') fail('Ctrl does not show as pressed');
    await focusTerminal(page, label);
    await page.keyboard.type('c');
    await keys.getByRole('button', { name: 'Tab' }).click();
    await deviceReceives('\x1b\x1b[A\x03\t');

    step('copy a selection to the clipboard, paste the clipboard into the terminal');
    await devicePrints('copy-me-4711\r\n');
    await terminalShows(page, label, 'copy-me-4711');
    const line = panel(page, label).locator('.xterm-rows > div', { hasText: 'copy-me-4711' }).last();
    const box = await line.boundingBox();
    const cell = box.width / (await hook(page, label, (t) => t.size().cols));
    await page.mouse.move(box.x + 1, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + cell * 20, box.y + box.height / 2, { steps: 5 });
    await page.mouse.up();
    const selected = await hook(page, label, (t) => t.selection());
    if (selected.trim() !== 'copy-me-4711') fail(`dragging over the line selected ${JSON.stringify(selected)}`);
    await panel(page, label).getByRole('button', { name: 'Copy', exact: true }).click();
    await eventually('the selection on the clipboard', async () => {
      const text = await page.evaluate(() => navigator.clipboard.readText());
      return text.trim() === 'copy-me-4711' ? true : text;
    });
    await page.evaluate(() => navigator.clipboard.writeText('pasted line\n'));
    await panel(page, label).getByRole('button', { name: 'Paste', exact: true }).click();
    await deviceReceives('pasted line\r');

    step('search the terminal');
    await panel(page, label).getByLabel('Find', { exact: true }).fill('grüße');
    await panel(page, label).getByRole('button', { name: 'Find next' }).click();
    await eventually('the match selected', async () => {
      const selected = await hook(page, label, (t) => t.selection());
      return selected === 'grüße' ? true : selected;
    });
    await panel(page, label).getByLabel('Find', { exact: true }).fill('no-such-text-xyz');
    await panel(page, label).getByRole('button', { name: 'Find next' }).click();
    await hasText(notice(page, label), 'No match', 'the search result');

    step('serial settings and Send break for the serial target');
    await panel(page, label).getByText('Serial settings', { exact: true }).click();
    const serial = panel(page, label).getByRole('form', { name: 'Serial settings' });
    await serial.getByLabel('Baud rate').selectOption('9600');
    await serial.getByLabel('Parity').selectOption('even');
    await serial.getByRole('button', { name: 'Apply serial settings' }).click();
    await hasText(serial.getByRole('status'), 'Serial settings sent to the device.', 'the answer to the line settings');
    await serial.getByRole('button', { name: 'Send break' }).click();
    await hasText(serial.getByRole('status'), 'Break sent to the device.', 'the answer to the break');
    await serial.getByLabel('Baud rate').selectOption('115200');
    await serial.getByLabel('Parity').selectOption('none');
    await serial.getByRole('button', { name: 'Apply serial settings' }).click();

    step('every control on the page has an accessible name');
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('main button, main input, main select, main textarea, main a[href], main summary, main [role=tab]')]
        .filter((el) => {
          const labelledBy = el.getAttribute('aria-labelledby');
          const name =
            el.getAttribute('aria-label') ||
            (labelledBy && document.getElementById(labelledBy)?.textContent) ||
            [...(el.labels ?? [])].map((l) => l.textContent).join('') ||
            el.getAttribute('title') ||
            el.textContent;
          return !name || !name.trim();
        })
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    if (unnamed.length) fail(`controls without an accessible name: ${unnamed.join(' | ')}`);

    step('the encoding per device: Latin-1 shows byte E9 as é, and is remembered');
    await panel(page, label).getByLabel('Encoding').selectOption('latin-1');
    await devicePrints([...Buffer.from('latin1: caf', 'latin1'), 0xe9, 0x0d, 0x0a]);
    await terminalShows(page, label, 'latin1: café');
    const stored = await page.evaluate((id) => localStorage.getItem(`tether.encoding.device.${id}`), id);
    if (stored !== 'latin-1') fail(`the encoding stored for device ${id} is ${stored}`);
    await panel(page, label).getByLabel('Encoding').selectOption('utf-8');
    await devicePrints('utf8 again: café\r\n');
    await terminalShows(page, label, 'utf8 again: café');

    step('a second terminal in another tab (the TCP echo target); the console stays live meanwhile');
    const echo = `${name}/echo`;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Devices', exact: true }).click();
    await page.getByLabel('Search by name').fill(name);
    await row.getByRole('link', { name: `Open terminal on ${echo}` }).click();
    await visible(page.getByRole('tab', { name: echo }), 'the echo tab');
    await visible(page.getByRole('tab', { name: label }), 'the console tab beside it');
    const tabs = await page.getByRole('tab').count();
    if (tabs !== 2) fail(`expected 2 tabs, found ${tabs}`);
    await terminalState(page, echo, 'live', 'the echo terminal to be live');
    if ((await panel(page, echo).getByText('Serial settings').count()) !== 0) fail('a TCP target shows serial settings');
    await focusTerminal(page, echo);
    await typeInto(page, 'ping über tabs');
    await terminalShows(page, echo, 'ping über tabs');
    await terminalState(page, label, 'live', 'the console terminal still live in the other tab');
    await page.getByRole('tab', { name: label }).click();
    if ((await page.getByRole('tab', { name: label }).getAttribute('aria-selected')) !== 'true') fail('the console tab is not selected');
    await terminalShows(page, label, 'utf8 again: café'); // its screen kept while hidden
    await screenshot(page, 'terminal.png');
    await eventually('the URL of the selected tab', async () => new URL(page.url()).pathname === `/devices/${id}/terminal/console` || page.url());
    await focusTerminal(page, label);
    await typeInto(page, 'to the console\r');
    await deviceReceives('to the console\r');
    await page.getByRole('button', { name: `Close terminal ${echo}` }).click();
    await eventually('one tab left', async () => (await page.getByRole('tab').count()) === 1);

    step('a second browser opening the same target joins the session as an observer');
    const otherUser = required('OTHER_USERNAME');
    const other = await newContext(browser);
    const second = await newPage(other, 'second');
    await signIn(second, otherUser, required('OTHER_PASSWORD'), `/devices/${id}/terminal/console`);
    await terminalState(second, label, 'live', 'the second terminal to be live');
    await hasText(statusLine(second, label), `Connected to ${label}.`, 'the status line of the second terminal');
    const bar = sharingBar(second, label);
    await visible(bar, 'the sharing bar of the second terminal');
    await hasText(bar.locator('.role-badge'), 'Observing (read only)', 'the role badge of the second terminal');
    await hasText(bar, `Controlled by ${user}`, 'who controls, as the second terminal says');
    await visible(bar.getByRole('button', { name: 'Take over' }), 'Take over for the observing operator');
    await eventually('the observer role through the hook', async () => (await hook(second, label, (t) => t.role())) === 'observer' || 'not yet');
    await hasText(sharingBar(page, label).locator('.role-badge'), 'Controlling', 'the role badge of the first terminal');
    await hasText(sharingBar(page, label).getByRole('list', { name: 'Participants' }), `${otherUser} (observer)`, 'the observer in the first terminal\'s participants');
    const sessionId = await hook(page, label, (t) => t.sessionId());
    if (sessionId === null || (await hook(second, label, (t) => t.sessionId())) !== sessionId) fail('the two browsers are not in the same session');
    step(`both browsers are in session ${sessionId}`);

    step('the observer types: the page says it is observing, and only the controller\'s keys reach the device');
    await onlyTheControllersKeysReachTheDevice(page, second, label);

    step('the device\'s output shows in both browsers');
    await devicePrints('shared output: grüße ✓\r\n');
    await terminalShows(page, label, 'shared output: grüße ✓');
    await terminalShows(second, label, 'shared output: grüße ✓');
    await screenshot(second, 'terminal-observer.png');

    step('the Origin check: the same cookie from another origin is refused, from the portal accepted (as an observer)');
    const cookie = (await context.cookies(BASE)).find((c) => c.name.endsWith('tether_session'));
    if (!cookie) fail('no session cookie in the browser');
    await test('originCheck', { cookie: `${cookie.name}=${cookie.value}`, holder: user });

    step('close the first terminal: nobody has control; the observer takes over and types');
    await page.getByRole('button', { name: `Close terminal ${label}` }).click();
    await eventually('the device page after closing the last tab', async () => new URL(page.url()).pathname === `/devices/${id}` || page.url());
    await hasText(bar, 'Nobody has control', 'the second terminal after the controller left');
    await terminalState(second, label, 'live', 'the second terminal to stay live');
    await bar.getByRole('button', { name: 'Take over' }).click();
    await hasText(bar.locator('.role-badge'), 'Controlling', 'the role badge after taking over');
    await hasText(bar, `Controlled by ${otherUser}`, 'who controls after taking over');
    await eventually('the controller role through the hook', async () => (await hook(second, label, (t) => t.role())) === 'controller' || 'not yet');
    await focusTerminal(second, label);
    await typeInto(second, 'second\r');
    await deviceReceives('second\r');
    await second.getByRole('button', { name: `Close terminal ${label}` }).click();
  },

  /** 20 MB from the device: the page stays responsive and a keystroke round-trips meanwhile. */
  async burst(browser) {
    const id = required('DEVICE_ID');
    const name = required('DEVICE_NAME');
    const label = `${name}/console`;
    const page = await newPage(await newContext(browser), 'burst');
    await signIn(page, 'admin', required('ADMIN_PASSWORD'), `/devices/${id}/terminal/console`);
    await terminalState(page, label, 'live', 'the terminal to be live');
    await focusTerminal(page, label);

    step('the device writes a burst');
    const burst = await test('burstStart');
    step(`burst of ${burst.total} bytes started`);
    await eventually('the burst to reach the terminal', async () => (await hook(page, label, (t) => t.stats().bytesIn)) > 1_000_000 || 'not yet');

    step('during the burst: the page answers, a keystroke reaches the device');
    const started = Date.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve())));
    const frameMs = Date.now() - started;
    step(`an animation frame came after ${frameMs} ms`);
    if (frameMs > 2_000) fail(`the page took ${frameMs} ms to render a frame during the burst`);
    const typedAt = Date.now();
    await page.keyboard.type('k');
    const during = await test('ptyExpectDuringBurst', { base64: b64('k'), timeoutMs: 10_000 }, 20_000);
    step(`the keystroke reached the device after ${Date.now() - typedAt} ms, ${during.written} of ${burst.total} burst bytes written`);
    const midway = await hook(page, label, (t) => t.stats());
    step(`terminal meanwhile: ${JSON.stringify(midway)}`);

    step('the whole burst arrives, and the stream was paused on the way');
    await terminalShows(page, label, 'BURST-DONE', 120_000);
    const stats = await hook(page, label, (t) => t.stats());
    step(`terminal: ${JSON.stringify(stats)}`);
    if (stats.bytesIn !== burst.total) fail(`the terminal received ${stats.bytesIn} bytes, the device wrote ${burst.total}`);
    if (stats.pauses < 1) fail('flow control never paused the stream during 20 MB');
    await terminalState(page, label, 'live', 'the terminal to stay live');
    await typeInto(page, 'after\r');
    await deviceReceives('after\r');
  },

  /** kill -9 of the agent shows on the open fleet and terminal; Reconnect once it is back. */
  async offline(browser) {
    const id = required('DEVICE_ID');
    const name = required('DEVICE_NAME');
    const label = `${name}/console`;
    const context = await newContext(browser);
    const fleet = await newPage(context, 'fleet');
    await signIn(fleet, 'admin', required('ADMIN_PASSWORD'), `/devices?name=${encodeURIComponent(name)}`);
    const row = deviceRow(fleet, name);
    await hasText(row.locator('.badge'), 'online', 'the device online in the fleet');
    const terminal = await newPage(context, 'terminal');
    await terminal.goto(`${BASE}/devices/${id}/terminal/console`);
    await terminalState(terminal, label, 'live', 'the terminal to be live');
    await hasText(row.locator('.target-status'), 'busy', 'the open terminal pushed to the fleet as target status busy');

    step('kill -9 the agent: the terminal and the fleet say offline, without a reload');
    await test('killAgent');
    await terminalState(terminal, label, 'offline', 'the terminal to show the device offline', 20_000);
    await hasText(statusLine(terminal, label), 'is offline', 'the offline message');
    await hasText(row.locator('.badge'), 'offline', 'the device offline in the fleet', 20_000);
    await screenshot(terminal, 'terminal-offline.png');

    step('Reconnect while it is down: still offline; after the agent is back: live');
    const attempts = await hook(terminal, label, (t) => t.stats().attempts);
    await panel(terminal, label).getByRole('button', { name: 'Reconnect' }).click();
    await eventually('the reconnect to be refused as offline', async () => {
      const now = await hook(terminal, label, (t) => ({ attempts: t.stats().attempts, state: t.state() }));
      return now.attempts > attempts && now.state.kind === 'offline' ? true : now;
    });
    await test('startAgent');
    await hasText(row.locator('.badge'), 'online', 'the device online again in the fleet', 30_000);
    await hasText(notice(terminal, label), 'is back online', 'the terminal noticing the device is back');
    await panel(terminal, label).getByRole('button', { name: 'Reconnect' }).click();
    await terminalState(terminal, label, 'live', 'the terminal live again');
    await focusTerminal(terminal, label);
    await typeInto(terminal, 'back\r');
    await deviceReceives('back\r');
  },

  /** Disabling the user closes their open terminal, and the page says why. */
  async revoked(browser) {
    const id = required('DEVICE_ID');
    const name = required('DEVICE_NAME');
    const label = `${name}/console`;
    const page = await newPage(await newContext(browser), 'revoked');
    await signIn(page, required('USERNAME'), required('PASSWORD'), `/devices/${id}/terminal/console`);
    await terminalState(page, label, 'live', 'the terminal to be live');

    step('an admin disables the user');
    await test('disableUser');
    await terminalState(page, label, 'closed', 'the terminal to close', 10_000);
    await hasText(statusLine(page, label), 'access-revoked: user disabled', 'the reason on the page');
    await screenshot(page, 'terminal-revoked.png');

    step('a reconnect is refused; the page says the session ended and offers to sign in again');
    await panel(page, label).getByRole('button', { name: 'Reconnect' }).click();
    await terminalState(page, label, 'closed', 'the refused reconnect');
    const ended = page.getByRole('alert').filter({ hasText: 'Your session has ended' });
    await visible(ended, 'the session-ended notice');
    await ended.getByRole('link', { name: 'Sign in again' }).click();
    await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in page');
    const left = await page.evaluate(() => window.__tether?.terminals.length ?? 0);
    if (left !== 0) fail(`${left} terminal(s) of the ended session are still kept after leaving for the sign-in page`);
  },
};

run('terminal', scenarios);
