// The console log in headless Chromium (issue 20), against the packaged portal, a real agent and a
// socat PTY as the serial device. Launched by src/test/java/io/tether/web/ConsoleLogIT:
//   node e2e/consolelog.mjs page   (settings in environment variables)
// An admin turns logging on from the device page; the device prints while nobody is connected; the
// console-log page shows the lines and the marker, searches on the server (plain, regex, a regex
// that does not compile), downloads the log as text; the terminal opened afterwards shows the log's
// last lines dimmed above the live stream, the "before you joined" line, then live output.
// What only the test can do (write the serial line, wait for the logger) is asked for on stdout as
// "@@tether {json}" and answered on stdin (BrowserDialogue.java).

import { readFileSync } from 'node:fs';
import { BASE, eventually, fail, hasText, required, screenshot, step, visible } from './helpers.mjs';
import { axe, noSidewaysScroll } from './pageChecks.mjs';
import { devicePrints, domRows, hook, newContext, newPage, run, signIn, terminalShows, terminalState, test } from './terminalHelpers.mjs';

/** What the device prints while nobody is connected, in order. */
const PRINTED = ['kernel: eth0 link up', 'console-log-e2e: ready ✓ grüße', 'PANIC-CODE 0x2a at step 3'];
const SEPARATOR = '── before you joined ──';
const LIVE = 'live after the join: counter 7';

/** The shown log's lines (text only, markers apart) and markers. */
async function shownLog(page) {
  return page.evaluate(() => ({
    lines: [...document.querySelectorAll('.log-lines .log-line .log-text')].map((e) => e.textContent),
    markers: [...document.querySelectorAll('.log-lines .log-marker .log-marker-text')].map((e) => e.textContent),
  }));
}

/** Fills the search form and shows its result. */
async function searchFor(page, text, regex) {
  await page.getByLabel('Search', { exact: true }).fill(text);
  const box = page.getByLabel('Regular expression');
  if (regex) await box.check();
  else await box.uncheck();
  await page.getByRole('button', { name: 'Show', exact: true }).click();
}

const scenarios = {
  async page(browser) {
    const id = required('DEVICE_ID');
    const name = required('DEVICE_NAME');
    const label = `${name}/console`;
    const page = await newPage(await newContext(browser), 'admin');
    await signIn(page, 'admin', required('ADMIN_PASSWORD'), `/devices/${id}`);

    step('the admin turns console logging on for the target from the device page');
    const row = page.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'console', exact: true }) });
    await hasText(row, 'Not logged (group default)', 'the policy before');
    await row.getByLabel('Console logging of console').selectOption('always');
    await hasText(page.getByRole('region', { name: 'Targets' }).getByRole('status'), 'Console logging saved: console is always logged.', 'the outcome');
    await hasText(row, "Logged (this target's setting)", 'the policy after');
    await test('awaitLogging');

    step('the device prints while nobody is connected');
    await devicePrints(PRINTED.map((l) => `${l}\r\n`).join(''));

    step('the console-log page shows the lines in order and the start of logging as a marker');
    await row.getByRole('link', { name: `Console log of ${label}` }).click();
    await visible(page.getByRole('heading', { name: `Console log of ${label}`, level: 1 }), 'the console-log heading');
    await eventually('the printed lines on the page (Refresh until the log store has them)', async () => {
      const shown = await shownLog(page);
      if (JSON.stringify(shown.lines) === JSON.stringify(PRINTED)) return true;
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      return shown;
    });
    const shown = await shownLog(page);
    if (!shown.markers.some((m) => m === 'Logging: logging started')) fail(`no "logging started" marker: ${JSON.stringify(shown.markers)}`);
    await hasText(page.getByRole('status').filter({ hasText: 'line' }), '3 lines and 1 marker', 'the page summary');
    await hasText(page.locator('.log-status'), 'logging', 'the logging state');
    const violations = await axe(page, 'the console-log page');
    if (violations.length > 0) fail(violations.join('\n'));
    await screenshot(page, 'console-log.png');

    step('a plain search finds one line, ignoring case, on the server');
    await searchFor(page, 'panic-code', false);
    await eventually('one line found', async () => {
      const found = await shownLog(page);
      return found.lines.length === 1 && found.lines[0] === PRINTED[2] && found.markers.length === 0 ? true : found;
    });
    if (!new URL(page.url()).search.includes('q=panic-code')) fail(`the search is not in the URL: ${page.url()}`);

    step('a regular expression that does not compile shows the portal\'s problem detail');
    await searchFor(page, 'step (', true);
    await hasText(page.getByRole('alert'), 'missing closing )', "the portal's problem detail (RE2's words)");
    if ((await page.getByLabel('Search', { exact: true }).getAttribute('aria-invalid')) !== 'true') fail('the search box is not marked invalid');
    await searchFor(page, '^kernel: eth[0-9]', true);
    await eventually('the regex finds one line', async () => {
      const found = await shownLog(page);
      return found.lines.length === 1 && found.lines[0] === PRINTED[0] ? true : found;
    });

    step('the download is the whole log as text, each line with its time');
    await searchFor(page, '', false);
    await eventually('every line again', async () => JSON.stringify((await shownLog(page)).lines) === JSON.stringify(PRINTED) || (await shownLog(page)));
    const link = page.getByRole('link', { name: 'Download', exact: true });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    if (!/\.log$/.test(download.suggestedFilename())) fail(`the download is named ${download.suggestedFilename()}`);
    const text = readFileSync(await download.path(), 'utf8');
    const lines = text.split('\n').filter(Boolean);
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z {2}/;
    if (!lines.every((l) => iso.test(l))) fail(`a line of the download lacks its time: ${JSON.stringify(text)}`);
    const texts = lines.map((l) => l.replace(iso, ''));
    if (texts[0] !== '--- logging started ---' || JSON.stringify(texts.slice(1)) !== JSON.stringify(PRINTED)) fail(`the download holds ${JSON.stringify(texts)}`);
    const again = await page.request.get(`${BASE}${await link.getAttribute('href')}`);
    if ((await again.text()) !== text) fail('the download link answers something else than the file downloaded');

    step('on a phone the log page does not scroll sideways');
    const phone = await newPage(await browser.newContext({ viewport: { width: 360, height: 740 }, storageState: await page.context().storageState() }), 'phone');
    await phone.goto(page.url());
    await visible(phone.locator('.log-lines'), 'the lines on a phone');
    await noSidewaysScroll(phone, 'the console-log page at 360 px');
    await phone.context().close();

    step('the terminal opens with the log above the live stream, dimmed, and where the user joined');
    await page.getByRole('link', { name: `Open terminal on ${label}` }).click();
    await terminalState(page, label, 'live', 'the terminal to be live');
    await terminalShows(page, label, SEPARATOR);
    const scrollback = await hook(page, label, (t) => t.scrollbackLines());
    if (scrollback !== PRINTED.length + 1) fail(`the terminal shows ${scrollback} lines of the log, not the marker and ${PRINTED.length} lines`);
    await devicePrints(`${LIVE}\r\n`);
    await terminalShows(page, label, LIVE);
    const rows = (await domRows(page, label)).split('\n');
    const at = (text) => rows.findIndex((r) => r.includes(text));
    const order = [...PRINTED, SEPARATOR, LIVE].map(at);
    if (order.some((i) => i < 0) || order.some((i, n) => n > 0 && i <= order[n - 1])) fail(`the terminal's rows are not log, separator, live: ${JSON.stringify(rows.filter(Boolean))}`);
    const dim = await page.evaluate((text) => {
      const row = [...document.querySelectorAll('.xterm-rows > div')].find((r) => (r.textContent ?? '').includes(text));
      return row ? [...row.querySelectorAll('span')].some((s) => s.classList.contains('xterm-dim')) : null;
    }, PRINTED[0]);
    if (dim !== true) fail(`the log's lines are not dimmed in the terminal (${dim})`);
    await screenshot(page, 'console-log-scrollback.png');
  },
};

run('consolelog', scenarios);
