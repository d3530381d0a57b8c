// End-to-end scenarios of the web UI in headless Chromium (Debian's /usr/bin/chromium-headless-shell, never a
// downloaded browser), driven by playwright-core. Launched by src/test/java/io/tether/web/WebUiIT
// against the packaged portal:  node e2e/webui.mjs SCENARIO   (settings in environment variables).
// Controls are found the way a user finds them: by role and accessible name.
// Prints one line per step; exits 1 with the reason (and a screenshot) when a step fails.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import {
  BASE,
  SHOTS,
  TIMEOUT,
  deviceRow,
  env,
  eventually,
  fail,
  hasText,
  randomAddress,
  required,
  screenshot,
  step,
  submitSignIn,
  virtualSecurityKey,
  visible,
} from './helpers.mjs';
import { endDialogue, test } from './dialogue.mjs';
import { noSidewaysScroll } from './pageChecks.mjs';
import { currentStep, totp } from './totp.mjs';

async function atPath(page, path) {
  await eventually(`the URL path ${path}`, async () => {
    const url = new URL(page.url());
    return url.pathname + url.search === path || url.pathname === path ? true : url.pathname + url.search;
  });
}

async function newPage(browser) {
  const context = await browser.newContext({
    extraHTTPHeaders: { 'X-Forwarded-For': randomAddress() },
    viewport: { width: 1280, height: 860 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('dialog', (dialog) => {
    // no script of the app opens alert/confirm: a dialog means injected markup ran
    console.log(`UNEXPECTED DIALOG: ${dialog.message()}`);
    process.exitCode = 1;
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') console.log(`browser console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  return page;
}

const signIn = submitSignIn;

const scenarios = {
  /** Sign in, the fleet with search and filters, the device page by link and by deep link, sign out. */
  async fleet(browser) {
    const id = required('DEVICE_ID');
    const name = required('DEVICE_NAME');
    const page = await newPage(browser);

    step('a signed-out visit lands on the sign-in page with the first-login hint');
    await page.goto(`${BASE}/devices`);
    await atPath(page, '/sign-in');
    await hasText(page.locator('.first-login'), "The first admin is 'admin'", 'the first-login hint');
    await screenshot(page, 'sign-in.png');

    step('sign in through the form');
    await signIn(page, 'admin', required('ADMIN_PASSWORD'));
    await visible(page.getByRole('heading', { name: 'Devices' }), 'the Devices heading');
    const row = deviceRow(page, name);
    await visible(row, `the row of ${name}`);
    await hasText(row, 'offline', 'the device status');
    await hasText(row, required('DEVICE_GROUP'), 'the device group');
    await hasText(row, required('DEVICE_TAG'), 'the device tag');
    await screenshot(page, 'fleet.png');

    step('search by name and filter by status, tag and group (on the server)');
    await page.getByLabel('Search by name').fill('zz-no-such-device');
    await hasText(page.getByRole('status').first(), 'No device matches these filters.', 'the empty result');
    await page.getByLabel('Search by name').fill(name);
    await visible(row, `the row of ${name} found by name`);
    await atPath(page, `/devices?name=${encodeURIComponent(name)}`);
    await page.getByLabel('Status').selectOption('true');
    await eventually(`${name} to disappear when only online devices show`, async () => (await row.count()) === 0);
    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Tag', { exact: true }).fill(required('DEVICE_TAG'));
    await visible(row, `the row of ${name} found by tag`);
    await page.getByLabel('Tag', { exact: true }).fill('');
    await page.getByLabel('Group').selectOption(required('DEVICE_GROUP'));
    await visible(row, `the row of ${name} found by group`);

    step('open the device page from the fleet');
    await row.getByRole('link', { name, exact: true }).click();
    await atPath(page, `/devices/${id}`);
    await visible(page.getByRole('heading', { name, exact: true }), 'the device heading');
    await visible(page.getByRole('heading', { name: 'Targets' }), 'the Targets section');
    await hasText(page.getByRole('definition').nth(4), '—', 'the (empty) remote address');
    await visible(page.getByText('Agent version'), 'the agent version label');

    step('a deep link loads the device page in a fresh page load');
    await page.goto(`${BASE}/devices/${id}`);
    await visible(page.getByRole('heading', { name, exact: true }), 'the device heading after a reload');
    await screenshot(page, 'device.png');
    await page.goto(`${BASE}/devices/999999999`);
    await visible(page.getByRole('heading', { name: 'No such device' }), 'the not-found message');

    step('a deep link while signed out returns there after signing in');
    const other = await newPage(browser);
    await other.goto(`${BASE}/devices/${id}`);
    await atPath(other, `/sign-in?next=${encodeURIComponent(`/devices/${id}`)}`);
    await signIn(other, 'admin', required('ADMIN_PASSWORD'));
    await atPath(other, `/devices/${id}`);
    await visible(other.getByRole('heading', { name, exact: true }), 'the device heading after signing in');

    step('the account page is one click away');
    await page.getByRole('link', { name: 'admin (your account)' }).click();
    await visible(page.getByRole('heading', { name: 'Your account' }), 'the account page');
    await visible(page.getByRole('button', { name: 'Sign out everywhere' }), 'the sign-out-everywhere button');

    step('sign out');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in page after signing out');
    await page.goto(`${BASE}/`);
    await atPath(page, '/sign-in');
  },

  /** A wrong password shows the API's own words. */
  async 'wrong-password'(browser) {
    const page = await newPage(browser);
    await page.goto(`${BASE}/sign-in`);
    await page.getByLabel('Username', { exact: true }).fill('admin');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await hasText(page.getByRole('alert'), 'wrong username or password', 'the error');
    if ((await page.getByLabel('Password', { exact: true }).inputValue()) !== '') fail('the password field was not cleared');
    await screenshot(page, 'sign-in-error.png');
  },

  /** After 10 failures the lockout answer says how long to wait. */
  async lockout(browser) {
    const username = required('LOCK_USERNAME');
    const page = await newPage(browser);
    await page.goto(`${BASE}/sign-in`);
    let last = '';
    for (let attempt = 1; attempt <= 11; attempt++) {
      await page.getByLabel('Username', { exact: true }).fill(username);
      await page.getByLabel('Password', { exact: true }).fill(`wrong-${attempt}`);
      const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
      await page.getByRole('button', { name: 'Sign in' }).click();
      last = `${(await answer).status()}`;
      await eventually('the form to be ready again', async () => page.getByRole('button', { name: 'Sign in' }).isEnabled());
    }
    step(`the 11th attempt answered ${last}`);
    await eventually('the lockout message', async () => {
      const text = (await page.getByRole('alert').textContent()) ?? '';
      return /try again in \d+ s/.test(text) ? true : text;
    });
  },

  /**
   * A user adds an authenticator app on the account page (the codes computed here from the secret
   * shown), signs out, and signs in again with the password and then a code.
   */
  async 'second-factor'(browser) {
    // at localhost, not 127.0.0.1: WebAuthn takes no IP address as rpId, and localhost is a secure
    // context over plain http
    const base = BASE.replace('//127.0.0.1:', '//localhost:');
    const username = required('MFA_USERNAME');
    const password = required('MFA_PASSWORD');
    const page = await newPage(browser);

    step('signing in takes a user whose group requires a second factor to enrolment, saying why');
    await page.goto(`${base}/`);
    await signIn(page, username, password);
    await atPath(page, '/account?enrol=second-factor');
    await hasText(page.getByRole('status').filter({ hasText: 'requires a second factor' }), `Group ${required('MFA_GROUP')} requires a second factor`, 'the enrolment notice');

    step('a terminal on a group that requires a second factor says why and links to enrolment');
    await page.goto(`${base}/devices/${required('MFA_DEVICE_ID')}/terminal/console`);
    await hasText(page.getByText('Second factor required.').locator('..'), `Group ${required('MFA_GROUP')} opens terminals only`, 'the refusal');
    await screenshot(page, 'totp-terminal-refused.png');
    await page.getByRole('link', { name: 'Go to two-step sign-in' }).click();
    await atPath(page, '/account');

    step('enrol: the QR code is drawn in the page, the secret shown as text');
    await visible(page.getByRole('heading', { name: 'Security' }), 'the Security card');
    await hasText(page.locator('section[aria-labelledby="security-title"]'), 'Two-step sign-in is off', 'the state before');
    await page.getByRole('button', { name: 'Add an authenticator app' }).click();
    await visible(page.getByRole('img', { name: 'QR code of your TOTP secret' }), 'the QR code');
    const secret = await page.getByLabel('Secret', { exact: true }).inputValue();
    if (!/^[A-Z2-7]{32}$/.test(secret)) fail(`the secret shown is ${JSON.stringify(secret)}`);
    await screenshot(page, 'totp-enrol.png');
    const confirmed = currentStep();
    await page.getByLabel('Code the app shows').fill(totp(secret, confirmed));
    await page.getByRole('button', { name: 'Confirm' }).click();

    step('the ten recovery codes are shown once');
    await visible(page.getByText('Save these recovery codes now'), 'the recovery codes');
    const codes = await page.locator('ul.recovery-codes li').count();
    if (codes !== 10) fail(`${codes} recovery codes shown`);
    await visible(page.getByRole('link', { name: 'Download' }), 'the download link');
    await page.getByRole('button', { name: 'I have saved them' }).click();
    await hasText(page.locator('section[aria-labelledby="security-title"]'), '10 of 10 recovery codes left', 'the state after');

    step('sign out, then sign in: a wrong code is refused, the right one signs in');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in page');
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Two-step sign-in' }), 'the second step');
    const now = currentStep();
    const valid = new Set([-2, -1, 0, 1, 2].map((d) => totp(secret, now + d)));
    const wrong = ['000000', '111111', '222222'].find((c) => !valid.has(c));
    await page.getByLabel('Code from your authenticator app').fill(wrong);
    await page.getByRole('button', { name: 'Verify' }).click();
    await hasText(page.getByRole('alert'), 'That code is wrong', 'the wrong-code message');
    await screenshot(page, 'totp-sign-in.png');
    // a step the portal has not accepted yet: the one after the confirmation's at the earliest
    await page.getByLabel('Code from your authenticator app').fill(totp(secret, Math.max(currentStep(), confirmed + 1)));
    await page.getByRole('button', { name: 'Verify' }).click();
    await visible(page.getByRole('button', { name: 'Sign out', exact: true }), 'the Sign out button after the code');
    await atPath(page, '/');
    await page.goto(`${base}/account`);

    step('the account page knows this session was signed in with the code');
    const card = page.locator('section[aria-labelledby="security-title"]');
    await hasText(card, 'Two-step sign-in is on', 'the state once signed in again');
    const text = (await card.textContent()) ?? '';
    if (text.includes('password alone')) fail(`the card says the session lacks the factor: ${text}`);

    step('a security key (Chromium\'s virtual authenticator) is registered on the account page');
    await virtualSecurityKey(page);
    const keysCard = page.locator('section[aria-labelledby="security-keys-title"]');
    await page.getByLabel('Security key name', { exact: true }).fill('Desk key');
    await page.getByRole('button', { name: 'Register a security key' }).click();
    await hasText(keysCard.getByRole('status'), 'Key Desk key registered', 'the registration');
    await visible(keysCard.getByRole('row', { name: /Desk key/ }), 'the key in the list');
    await hasText(card, 'authenticator app and 1 security key', 'the Security card counting the key');
    if ((await keysCard.locator('ul.recovery-codes').count()) !== 0) fail('new recovery codes shown to a user who has them');
    await screenshot(page, 'webauthn-registered.png');

    step('sign out, then sign in with the password and the key');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await visible(page.getByRole('heading', { name: 'Two-step sign-in' }), 'the second step');
    await visible(page.getByLabel('Code from your authenticator app'), 'the code field beside the key');
    await page.getByRole('button', { name: 'Use a security key' }).click();
    await visible(page.getByRole('button', { name: 'Sign out', exact: true }), 'the Sign out button after the key');

    step('the group asks for the second factor again: the terminal asks for it in its place, the key answers, the terminal opens');
    await test('ageSessionFactor');
    await page.goto(`${base}/devices/${required('MFA_DEVICE_ID')}/terminal/console`);
    const again = page.getByRole('form', { name: 'Second factor again' });
    await hasText(again, `Group ${required('MFA_GROUP')} asks for a current code of your authenticator app or your security key before each session`, 'the prompt');
    await visible(again.getByLabel('Code from your authenticator app'), 'the code field beside the key');
    await screenshot(page, 'fresh-factor-prompt.png');
    await again.getByRole('button', { name: 'Use a security key' }).click();
    await visible(page.locator('.term-pane'), 'the terminal after the key');
    if ((await again.count()) !== 0) fail('the prompt is still shown after the key answered');

    step('the key is listed as used, then removed');
    await page.goto(`${base}/account`);
    const row = keysCard.getByRole('row', { name: /Desk key/ });
    await visible(row, 'the key in the list');
    if (((await row.textContent()) ?? '').includes('never')) fail(`the key was not marked used: ${await row.textContent()}`);
    await page.getByRole('button', { name: 'Remove key Desk key' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
    await hasText(keysCard.getByRole('status'), 'Key Desk key removed', 'the removal');
    await hasText(keysCard, 'No security keys.', 'the empty list');
  },

  /** The account page lists each sign-in, this browser marked; signing another out ends it there. */
  async 'sign-ins'(browser) {
    const username = required('SIGNINS_USERNAME');
    const password = required('SIGNINS_PASSWORD');
    const laptop = await newPage(browser);
    await laptop.goto(`${BASE}/account`);
    await signIn(laptop, username, password);
    const phone = await newPage(browser);
    await phone.goto(`${BASE}/account`);
    await signIn(phone, username, password);

    step('the laptop lists both sign-ins, its own marked "this browser"');
    await laptop.reload();
    const card = laptop.locator('section[aria-labelledby="sessions-title"]');
    const rows = card.locator('tbody tr');
    await eventually('two sign-ins listed', async () => ((await rows.count()) === 2 ? true : `${await rows.count()} rows`));
    await hasText(rows.filter({ hasText: 'this browser' }), 'password', 'how this browser signed in');
    await screenshot(laptop, 'sign-ins.png');

    step('signing the other one out ends it: the phone is back at the sign-in page');
    await rows
      .filter({ hasNotText: 'this browser' })
      .getByRole('button', { name: /^Sign out the sign-in from / })
      .click();
    await laptop.getByRole('dialog').getByRole('button', { name: 'Sign out' }).click();
    await hasText(card, 'Signed out the sign-in from', 'the confirmation');
    await eventually('one sign-in left', async () => ((await rows.count()) === 1 ? true : `${await rows.count()} rows`));
    await phone.reload();
    await visible(phone.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in page on the phone');
    await visible(laptop.getByRole('button', { name: 'Sign out', exact: true }), 'the laptop still signed in');
  },

  /** Device data with markup in it is shown as text, in the fleet and on the device page. */
  async 'html-description'(browser) {
    const id = required('DEVICE_ID');
    const name = required('DEVICE_NAME');
    const description = required('DEVICE_DESCRIPTION');
    const page = await newPage(browser);
    await page.goto(`${BASE}/devices`);
    await signIn(page, 'admin', required('ADMIN_PASSWORD'));
    await page.getByLabel('Search by name').fill(name);
    const row = deviceRow(page, name);
    await hasText(row.locator('td.description'), description, 'the description cell');
    await page.goto(`${BASE}/devices/${id}`);
    await hasText(page.locator('p.description'), description, 'the description on the device page');
    const images = await page.locator('main img').count();
    if (images !== 0) fail(`the page has ${images} <img> elements: markup from the description was parsed`);
    if (await page.evaluate(() => window.__pwned !== undefined)) fail('a script from the description ran');
  },

  /** An admin creates a user and grants them a group, all through the UI. */
  async 'create-user'(browser) {
    const username = required('NEW_USERNAME');
    const group = required('GRANT_GROUP');
    const page = await newPage(browser);
    await page.goto(`${BASE}/`);
    await signIn(page, 'admin', required('ADMIN_PASSWORD'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await visible(page.getByRole('heading', { name: 'Users', exact: true }), 'the Users heading');
    await page.getByLabel('New username').fill(username);
    await page.getByLabel('Initial password').fill(required('NEW_PASSWORD'));
    await page.getByRole('button', { name: 'Create user' }).click();
    await hasText(page.getByRole('status').first(), `User ${username} created`, 'the confirmation');
    await page.getByRole('link', { name: username, exact: true }).click();
    await visible(page.getByRole('heading', { name: username, exact: true }), 'the user page');
    await page.getByLabel('Group').selectOption(group);
    await page.getByLabel('Role').selectOption('operator');
    await page.getByRole('button', { name: 'Add grant' }).click();
    await visible(page.getByRole('button', { name: `Remove grant on ${group}` }), 'the new grant');
    await hasText(page.getByRole('status').first(), 'Grant added.', 'the confirmation');

    step('disable and enable the user, reset their password');
    await page.getByRole('button', { name: 'Disable user' }).click();
    await hasText(page.getByRole('status').first(), 'User disabled', 'the confirmation');
    await page.getByRole('button', { name: 'Enable user' }).click();
    await hasText(page.getByRole('status').first(), 'User enabled.', 'the confirmation');
    await page.getByLabel('New password').fill(required('RESET_PASSWORD'));
    await page.getByRole('button', { name: 'Reset password' }).click();
    await hasText(page.getByRole('status').first(), 'Password reset.', 'the confirmation');
  },

  /** Groups: an admin turns console logging on for a group's serial targets and bounds each log. */
  async 'group-console-log'(browser) {
    const group = required('GROUP');
    const page = await newPage(browser);
    await page.goto(`${BASE}/`);
    await signIn(page, 'admin', required('ADMIN_PASSWORD'));
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups' }).click();
    const form = page.getByRole('form', { name: `Console logging of ${group}` });
    await visible(form, 'the console logging form of the group');
    await form.getByLabel('Console logging').selectOption('always');
    await form.getByLabel('Keep per target (MiB)').fill('16');
    await form.getByLabel('Keep for (days)').fill('7');
    await form.getByRole('button', { name: 'Save console logging' }).click();
    await hasText(form.getByRole('status'), 'every serial target is logged, 16 MiB for 7 days each', 'the confirmation');
  },

  /** The Nodes page, own API tokens, device registration with its one-time setup, edit, rotate, delete, audit. */
  async 'admin-pages'(browser) {
    const tokenName = required('TOKEN_NAME');
    const deviceName = required('NEW_DEVICE_NAME');
    const page = await newPage(browser);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await page.goto(`${BASE}/`);
    await signIn(page, 'admin', required('ADMIN_PASSWORD'));

    step('the Nodes page lists this single-node portal: one row, live');
    await nav.getByRole('link', { name: 'Nodes' }).click();
    await visible(page.getByRole('heading', { name: 'Nodes', exact: true }), 'the Nodes page');
    const nodeRows = page.locator('table.nodes tbody tr');
    await eventually('one node row', async () => ((await nodeRows.count()) === 1 ? true : await nodeRows.count()));
    await hasText(nodeRows.first().locator('.badge'), 'live', 'the node state');
    await screenshot(page, 'nodes.png');

    step('create an API token: shown once, with a copy button; then revoke it');
    await nav.getByRole('link', { name: 'API tokens' }).click();
    await page.getByLabel('Token name').fill(tokenName);
    await page.getByRole('button', { name: 'Create token' }).click();
    const once = page.getByRole('region', { name: 'New API token' });
    await visible(once, 'the new token panel');
    const secret = await once.getByRole('textbox', { name: 'API token', exact: true }).inputValue();
    if (!secret.startsWith('tat_')) fail(`the token shown is ${JSON.stringify(secret)}`);
    await visible(once.getByRole('button', { name: 'Copy API token' }), 'the copy button');
    await page.getByRole('button', { name: `Revoke ${tokenName}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await hasText(page.getByRole('status').first(), `Token ${tokenName} revoked.`, 'the confirmation');
    await eventually('the token row to go', async () => (await page.getByRole('button', { name: `Revoke ${tokenName}` }).count()) === 0);

    step('register a device: token, agent command line and systemd unit shown once');
    await nav.getByRole('link', { name: 'Manage devices' }).click();
    await page.getByLabel('Device name').fill(deviceName);
    await page.getByLabel('Tags').fill('e2e lab');
    await page.getByRole('button', { name: 'Create device' }).click();
    const setup = page.getByRole('region', { name: `Device ${deviceName} created` });
    await visible(setup, 'the setup panel');
    const host = new URL(BASE).host;
    const command = await setup.getByRole('textbox', { name: 'Agent command line', exact: true }).inputValue();
    const expected = `java -jar tether-agent.jar --portal ws://${host}/tunnel --token-file /etc/tether/token --target 'console=serial:/dev/ttyUSB0?baud=115200'`;
    if (command !== expected) fail(`the agent command line is ${JSON.stringify(command)}, expected ${JSON.stringify(expected)}`);
    if ((await setup.getByRole('textbox', { name: 'Device token', exact: true }).inputValue()).length < 20) fail('no device token shown');
    const install = await setup.getByRole('textbox', { name: 'Install command', exact: true }).inputValue();
    if (!install.startsWith(`curl -fsSL ${new URL(BASE).origin}/downloads/install-agent.sh | sudo sh -s -- --target `)) fail(`the install command is ${JSON.stringify(install)}`);
    if (!(await setup.getByRole('textbox', { name: 'systemd unit', exact: true }).inputValue()).includes(`ws://${host}/tunnel`)) fail('the systemd unit lacks the tunnel URL');
    await screenshot(page, 'device-created.png');

    step('edit, rotate the token and delete the device from its page');
    await page.getByRole('link', { name: `Manage ${deviceName}` }).click();
    await visible(page.getByRole('heading', { name: deviceName, exact: true }), 'the device page');
    await page.getByLabel('Description').fill('edited by the e2e test');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await hasText(page.locator('p.description'), 'edited by the e2e test', 'the new description');
    await page.getByRole('button', { name: 'Rotate token' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate token' }).click();
    await visible(page.getByRole('region', { name: 'New device token' }), 'the new token panel');
    await page.getByRole('button', { name: 'Delete device' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await visible(page.getByRole('heading', { name: 'Devices' }), 'the fleet after deleting');

    step('the audit log shows it, filtered, with export links');
    await nav.getByRole('link', { name: 'Audit log' }).click();
    await page.getByLabel('Action').selectOption('device.delete');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await visible(page.getByRole('cell', { name: deviceName, exact: true }), 'the device.delete entry');
    const csv = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
    if (!csv?.includes('format=csv') || !csv.includes('action=device.delete')) fail(`the CSV export link is ${csv}`);
  },

  /**
   * CSV import on Manage devices at phone width: a chosen file is checked (its bad row named in the
   * problems table), the fixed text is imported, and the tokens file is downloaded once; it is
   * saved to TOKENS_OUT for WebUiIT to connect an agent with.
   */
  async 'csv-import'(browser) {
    const prefix = required('IMPORT_PREFIX');
    const group = required('IMPORT_GROUP');
    const page = await newPage(browser);
    await page.goto(`${BASE}/`);
    await signIn(page, 'admin', required('ADMIN_PASSWORD'));
    // signed in at the usual width (the header's Sign out folds into a menu on a phone)
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(`${BASE}/admin/devices`);
    const card = page.getByRole('region', { name: 'Import from CSV' });
    await visible(card, 'the Import from CSV card');

    step('a chosen file with an unknown group: Check names that row, Import stays off');
    const bad = `name,group,tags\r\n${prefix}-a,${group},e2e\r\n${prefix}-b,no-such-${prefix},\r\n`;
    await card.getByLabel('CSV file').setInputFiles({ name: 'devices.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${bad}`) });
    await eventually('the file in the text box', async () => ((await card.getByLabel('CSV', { exact: true }).inputValue()).includes(`${prefix}-b`) ? true : 'empty'));
    await card.getByRole('button', { name: 'Check', exact: true }).click();
    await hasText(card.getByRole('status'), '2 rows: 1 ready, 1 with problems', 'the check summary');
    const problem = card.locator('table.import-problems tbody tr');
    await eventually('one problem row', async () => ((await problem.count()) === 1 ? true : await problem.count()));
    await hasText(problem.first(), `no group named 'no-such-${prefix}'`, 'the problem of row 2');
    if (!(await card.getByRole('button', { name: 'Import', exact: true }).isDisabled())) fail('Import is enabled after a check with a problem');
    await noSidewaysScroll(page, 'Manage devices with the problems table at 375 px');
    await screenshot(page, 'csv-import-problems-375.png');

    step('the fixed text checks clean and imports; the tokens are offered once as a download');
    await card.getByLabel('CSV', { exact: true }).fill(bad.replace(`no-such-${prefix}`, group));
    await card.getByRole('button', { name: 'Check', exact: true }).click();
    await hasText(card.getByRole('status'), '2 rows, all ready to import.', 'the check summary');
    await card.getByRole('button', { name: 'Import', exact: true }).click();
    const done = card.getByRole('region', { name: 'Imported devices' });
    await hasText(done, '2 devices imported', 'the import panel');
    await hasText(done, 'shown only this once', 'the warning');
    const [download] = await Promise.all([page.waitForEvent('download'), done.getByRole('link', { name: 'Download the device tokens (CSV)' }).click()]);
    if (download.suggestedFilename() !== 'tether-device-tokens.csv') fail(`the download is named ${download.suggestedFilename()}`);
    const tokens = readFileSync(await download.path(), 'utf8');
    const lines = tokens.trim().split(/\r?\n/);
    if (lines[0] !== 'name,id,token' || lines.length !== 3 || !lines.slice(1).every((l) => l.startsWith(`"${prefix}-`) && l.includes('"tdv_'))) fail(`the tokens file is ${JSON.stringify(tokens)}`);
    writeFileSync(required('TOKENS_OUT'), tokens);
    await noSidewaysScroll(page, 'Manage devices after the import at 375 px');
    await screenshot(page, 'csv-import-done-375.png');
  },
};

async function main() {
  const name = process.argv[2];
  const scenario = scenarios[name];
  if (!scenario) fail(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(', ')}`);
  const browser = await chromium.launch({
    executablePath: env.CHROMIUM ?? '/usr/bin/chromium-headless-shell',
    headless: true,
    args: (env.CHROMIUM_FLAGS ?? '--no-sandbox\n--disable-gpu').split('\n').filter(Boolean),
  });
  try {
    await scenario(browser);
    if (process.exitCode) fail('an unexpected dialog was opened');
    console.log(`scenario ${name}: passed`);
  } catch (error) {
    for (const context of browser.contexts()) {
      for (const page of context.pages()) {
        await page.screenshot({ path: join(SHOTS, `failed-${name}.png`), fullPage: true }).catch(() => {});
        console.log(`page at failure: ${page.url()}`);
      }
    }
    throw error;
  } finally {
    await browser.close();
    endDialogue();
  }
}

main().catch((error) => {
  console.log(`scenario ${process.argv[2]}: FAILED: ${error.message}`);
  process.exit(1);
});
