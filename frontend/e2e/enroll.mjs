// End-to-end scenario of self-enrollment in headless Chromium (Debian's /usr/bin/chromium-headless-shell, driven by
// playwright-core), against the packaged portal, a real agent process and a socat PTY as the serial
// device. Launched by src/test/java/io/tether/web/EnrollmentBrowserIT:
//   node e2e/enroll.mjs SCENARIO   (settings in environment variables)
// An admin mints an enrollment token on the Enrollment page (shown once, with a command line that
// reads it from a file), the test starts a real agent with it, the device waits under "Waiting for
// approval" on the Devices page (also checked 375 px wide), the admin approves it, its terminal
// opens and a typed line reaches the serial line; then the token is revoked from the page.
// What only the test can do (start the agent, read and write the serial line) is asked for on
// stdout as "@@tether {json}" and answered on stdin (BrowserDialogue.java).
// Prints one line per step; exits 1 with the reason (and a screenshot) when a step fails.

import { BASE, deviceRow, eventually, fail, hasText, randomAddress, required, screenshot, step, visible } from './helpers.mjs';
import { axe, noSidewaysScroll, touchTargets } from './pageChecks.mjs';
import { deviceReceives, devicePrints, focusTerminal, newContext, newPage, run, signIn, terminalShows, terminalState, test, typeInto } from './terminalHelpers.mjs';

/** The phone width the layout rules promise (pages work from 360 px; a common phone is 375). */
const PHONE = { width: 375, height: 812 };

function nav(page, name) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** The value of the copy box labelled {@code label} (an input or a textarea). */
async function copyBoxValue(page, label) {
  const box = page.getByLabel(label, { exact: true });
  await visible(box, `the "${label}" box`);
  return box.inputValue();
}

/** Fails with every serious or critical axe-core violation on the page. */
async function accessible(page, what) {
  const violations = await axe(page, what);
  if (violations.length > 0) fail(`axe-core: ${violations.join('; ')}`);
}

/** The header keeps to one line at 1280 px with every admin link (and an open terminal's). */
async function headerOnOneLine(page) {
  const rows = await page.evaluate(() => {
    const tops = [...document.querySelectorAll('header.top > *, header.top nav li')]
      .filter((e) => e.getClientRects().length > 0)
      .map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2));
    return Math.max(...tops) - Math.min(...tops);
  });
  if (rows > 12) fail(`the header wraps at 1280 px: its items' centres lie ${rows} px apart`);
}

/** Signs in as admin (on a phone Sign out hides in the folded menu: signed in once the page's heading shows). */
async function signInOnPhone(page, path) {
  await page.goto(`${BASE}${path}`);
  await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in heading');
  await page.getByLabel('Username', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(required('ADMIN_PASSWORD'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await visible(page.getByRole('heading', { name: 'Devices', level: 1 }), 'the Devices page after signing in on the phone');
}

const scenarios = {
  /**
   * Token minted on the page and shown once, a real agent enrolls with it, the device waits for
   * approval (live, without a reload), is approved, its terminal works; the token is revoked.
   */
  async enroll(browser) {
    const name = required('DEVICE_NAME');
    const label = `${name}/console`;
    const page = await newPage(await newContext(browser), 'admin');

    step('the admin opens the Enrollment page from the navigation');
    await signIn(page, 'admin', required('ADMIN_PASSWORD'), '/devices');
    await nav(page, 'Enrollment').click();
    await visible(page.getByRole('heading', { name: 'Enrollment', level: 1 }), 'the Enrollment heading');

    step('create a token for 2 devices');
    await page.getByLabel('Uses', { exact: true }).fill('2');
    await page.getByLabel('Description', { exact: true }).fill('e2e rollout');
    await page.getByRole('button', { name: 'Create enrollment token' }).click();
    const once = page.getByRole('region', { name: 'New enrollment token' });
    await visible(once, 'the new token panel');
    await hasText(once, 'shown only this once', 'the warning of the new token panel');
    const token = await copyBoxValue(page, 'Enrollment token');
    if (!/^ten_[0-9a-f]{12}/.test(token)) fail(`the token box holds ${JSON.stringify(token)}, not an enrollment token`);
    const command = await copyBoxValue(page, 'Enrollment command line');
    step(`command line: ${command}`);
    const portal = `${BASE.startsWith('https:') ? 'wss' : 'ws'}://${new URL(BASE).host}/tunnel`;
    if (!command.includes(`--portal ${portal} `)) fail(`the command line does not dial ${portal}: ${command}`);
    if (!command.includes('--enroll-token-file /etc/tether/enroll.token')) fail(`the command line has no --enroll-token-file: ${command}`);
    if (command.includes(token) || command.includes(token.slice(0, 16))) fail('the command line carries the token');
    const save = await copyBoxValue(page, 'Save enrollment token command');
    if (save.includes(token) || !save.includes('/etc/tether/enroll.token')) fail(`the save command: ${save}`);
    const install = await copyBoxValue(page, 'Install command');
    const script = `${new URL(BASE).origin}/downloads/install-agent.sh`;
    if (!install.startsWith(`curl -fsSL ${script} | sudo sh -s -- --name `)) fail(`the install command: ${install}`);
    if (install.includes(token.slice(0, 16))) fail('the install command carries the token');
    const served = await page.request.get(script);
    if (served.status() !== 200 || !(await served.text()).includes('apt-get install')) fail(`${script} answers ${served.status()}`);
    const prefix = token.slice(0, 16);
    const tokenRow = page.locator('tbody tr', { has: page.getByText(prefix, { exact: true }) });
    await hasText(tokenRow, '0 of 2 used', 'the new token in the list');
    await hasText(tokenRow, 'active', 'the new token state');
    await accessible(page, 'the Enrollment page with a new token');
    await screenshot(page, 'enroll-token.png');

    step('the Devices page, open while the agent enrolls: nothing waits yet');
    await nav(page, 'Devices').click();
    await visible(page.getByRole('heading', { name: 'Devices', level: 1 }), 'the Devices heading');
    const waiting = page.getByRole('region', { name: 'Waiting for approval' });
    await page.evaluate(() => {
      window.__sameDocument = true; // gone if anything reloads the page
    });
    if (await waiting.isVisible()) fail('"Waiting for approval" shows while no device waits');

    step('the test starts a real agent with the token read from the page');
    await test('enroll', { token });
    const pendingRow = waiting.locator('tbody tr', { hasText: name });
    await visible(pendingRow, `${name} under "Waiting for approval"`);
    await hasText(pendingRow.locator('.badge'), 'online', 'the pending device online', 30_000);
    await hasText(pendingRow, 'console', 'the target the agent reported');
    await hasText(pendingRow, '127.0.0.1', 'the address the agent came from');
    if (!(await page.evaluate(() => window.__sameDocument === true))) fail('the page was reloaded');
    if ((await deviceRow(page, name).count()) !== 0) fail(`${name} is in the fleet list before its approval`);
    if ((await pendingRow.getByRole('link').count()) !== 0) fail('a pending device offers a link (a terminal cannot open to it)');
    await accessible(page, 'the Devices page with a pending device');
    await screenshot(page, 'enroll-pending.png');

    step('375 px wide, dark theme, touch: the pending device and the Enrollment page fit');
    const phone = await newPage(
      await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, colorScheme: 'dark', extraHTTPHeaders: { 'X-Forwarded-For': randomAddress() } }),
      'phone',
    );
    await signInOnPhone(phone, '/devices');
    await hasText(phone.getByRole('region', { name: 'Waiting for approval' }), name, 'the pending device on the phone');
    await noSidewaysScroll(phone, 'the Devices page with a pending device at 375 px');
    await touchTargets(phone, 'the Devices page with a pending device at 375 px');
    await accessible(phone, 'the Devices page with a pending device at 375 px in the dark theme');
    await screenshot(phone, 'enroll-pending-phone.png');
    await phone.goto(`${BASE}/admin/enrollment`);
    await hasText(phone.locator('tbody'), prefix, 'the token list on the phone');
    await noSidewaysScroll(phone, 'the Enrollment page at 375 px');
    await touchTargets(phone, 'the Enrollment page at 375 px');
    await accessible(phone, 'the Enrollment page at 375 px in the dark theme');
    await screenshot(phone, 'enroll-tokens-phone.png');
    await phone.context().close();

    step('the admin approves it: it leaves the waiting list and joins the fleet');
    await pendingRow.getByRole('button', { name: `Approve ${name}` }).click();
    await hasText(page.getByRole('status').filter({ hasText: 'approved' }), `${name} approved`, 'the approval notice');
    await eventually('"Waiting for approval" to hide', async () => !(await waiting.isVisible()));
    const row = deviceRow(page, name);
    await visible(row, `${name} in the fleet list`);
    await hasText(row.locator('.badge'), 'online', 'the approved device online');

    step('its terminal opens from the fleet and a typed line reaches the serial port');
    await row.getByRole('link', { name: `Open terminal on ${label}` }).click();
    await terminalState(page, label, 'live', 'the terminal to be live');
    await devicePrints('enrolled: hello from the device\r\n');
    await terminalShows(page, label, 'enrolled: hello from the device');
    await focusTerminal(page, label);
    await typeInto(page, 'show version\r');
    await deviceReceives('show version\r');
    await headerOnOneLine(page);
    await screenshot(page, 'enroll-terminal.png');

    step('the token shows one use; the admin revokes it');
    await nav(page, 'Enrollment').click();
    await hasText(tokenRow, '1 of 2 used', 'the token after one enrollment');
    await tokenRow.getByRole('button', { name: `Revoke ${prefix}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await hasText(page.getByRole('status').filter({ hasText: 'revoked' }), `Enrollment token ${prefix} revoked.`, 'the revocation notice');
    await hasText(tokenRow.locator('.badge'), 'revoked', 'the token state after revoking');
    if ((await tokenRow.getByRole('button', { name: `Revoke ${prefix}` }).count()) !== 0) fail('a revoked token still offers Revoke');
    await screenshot(page, 'enroll-revoked.png');
  },
};

run('enroll', scenarios);
