// End-to-end scenario of legacy access in headless Chromium (Debian's /usr/bin/chromium-headless-shell, driven by
// playwright-core), against the packaged portal: a device server in TCP-client mode without an agent
// (socat dialling the ingress port, a PTY behind it as the serial device) and host software that only
// speaks TCP (plain clients of link ports). Launched by src/test/java/io/tether/web/LegacyAccessBrowserIT:
//   node e2e/legacy.mjs legacy   (settings in environment variables)
// The admin creates the raw device in the UI and reads its ingress port from the page; the test starts
// the device server on that port (asked for on stdout as "@@tether {json}", answered on stdin:
// BrowserDialogue.java); the device comes online on the open pages; the admin works in its serial
// console, creates link ports (one refused while the browser controls, one that takes over) and
// removes them. Controls are found by role and accessible name; the terminal is read through its DOM
// renderer's rows and the test hook window.__tether.terminals[i].
// Prints one line per step; exits 1 with the reason (and a screenshot) when a step fails.

import { BASE, deviceRow, eventually, fail, hasText, required, screenshot, step, virtualSecurityKey, visible } from './helpers.mjs';
import {
  b64,
  deviceReceives,
  devicePrints,
  focusTerminal,
  hook,
  newContext,
  newPage,
  notice,
  run,
  sharingBar,
  signIn,
  statusLine,
  terminalShows,
  terminalState,
  test,
  typeInto,
} from './terminalHelpers.mjs';
import { currentStep, totp, wrongCode } from './totp.mjs';

const RAW = 'Device server in TCP-client mode (raw, no agent)';
const UNAUTHENTICATED_TITLE = 'Raw TCP device: admitted by source address only';
const OBSERVING = 'You are observing: take over to type';

/** The text of the <dd> after the <dt> reading {@code term} in a details list. */
async function fact(list, term) {
  return list.evaluate((dl, term) => {
    const dt = [...dl.querySelectorAll('dt')].find((d) => d.textContent.trim() === term);
    return dt?.nextElementSibling?.textContent?.trim() ?? null;
  }, term);
}

/** The "unauthenticated" badge inside {@code scope}: its text and the title that explains it. */
async function unauthenticatedBadge(scope, what) {
  const badge = scope.locator('.badge', { hasText: 'unauthenticated' });
  await visible(badge, `the unauthenticated badge ${what}`);
  const title = await badge.first().getAttribute('title');
  if (title !== UNAUTHENTICATED_TITLE) fail(`the unauthenticated badge ${what} has the title ${JSON.stringify(title)}`);
}

/** The online/offline badge inside {@code scope} (beside it may be the unauthenticated one). */
function presence(scope) {
  return scope.locator('.badge-online, .badge-offline');
}

/** Marks the page's document: gone if anything reloads it. */
async function markDocument(page) {
  await page.evaluate(() => {
    window.__sameDocument = true;
  });
}

async function sameDocument(page, what) {
  if (!(await page.evaluate(() => window.__sameDocument === true))) fail(`${what} was reloaded`);
}

/** Creates a link port in the device page's "New link port" form; returns its port number. */
async function createLink(page, target, addresses, takeOver) {
  const section = page.getByRole('region', { name: 'Link ports' });
  const form = section.getByRole('form', { name: 'New link port' });
  await form.getByLabel('Target', { exact: true }).selectOption(target);
  await form.getByLabel('Allowed source addresses', { exact: true }).fill(addresses);
  const box = form.getByLabel('Take over control from a browser user', { exact: true });
  if (takeOver) await box.check();
  else if (await box.isChecked()) fail('"Take over control" is checked on a fresh form');
  await form.getByRole('button', { name: 'Create link port' }).click();
  let port = null;
  await eventually('the notice of the new link port', async () => {
    const text = (await form.getByRole('status').allTextContents()).join(' ');
    const match = /Link port (\d+) created\. Point host software at ([^ ]+:\d+)\./.exec(text);
    if (!match) return text;
    port = Number(match[1]);
    return match[2].endsWith(`:${port}`) ? true : text;
  });
  const row = section.locator('tbody tr', { has: page.getByRole('rowheader', { name: String(port), exact: true }) });
  await visible(row, `the row of link port ${port}`);
  await hasText(row, target, `the target of link port ${port}`);
  await hasText(row, '127.0.0.1', `the allowed source of link port ${port}`);
  await hasText(row.locator('td').nth(3), takeOver ? 'yes' : 'no', `"Take over" of link port ${port}`);
  await hasText(row.locator('.badge'), 'listening', `link port ${port} listening`);
  if ((await form.getByLabel('Allowed source addresses', { exact: true }).inputValue()) !== '') fail('the form kept the addresses after creating');
  step(`link port ${port} created (take over: ${takeOver})`);
  return port;
}

/** Removes link port {@code port} in the UI (with its confirmation) and waits until its row is gone. */
async function removeLink(page, port) {
  const section = page.getByRole('region', { name: 'Link ports' });
  await section.getByRole('button', { name: `Remove link port ${port}`, exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `Remove link port ${port}?` });
  await visible(dialog, `the confirmation to remove link port ${port}`);
  await dialog.getByRole('button', { name: 'Remove link port', exact: true }).click();
  await eventually(`the row of link port ${port} to go`, async () => {
    const left = await section.getByRole('rowheader', { name: String(port), exact: true }).count();
    return left === 0 ? true : `${left} row(s) of port ${port}`;
  });
  if (await dialog.isVisible()) fail('the confirmation stayed open');
}

/** Waits until the terminal's sharing bar and the hook both say {@code role}, controlled by {@code controller}. */
async function sharing(page, label, role, controller) {
  const bar = sharingBar(page, label);
  await hasText(bar.locator('.role-badge'), role === 'controller' ? 'Controlling' : 'Observing (read only)', 'the role badge in the sharing bar');
  await hasText(bar, controller ? `Controlled by ${controller}` : 'Nobody has control', 'who controls, as the sharing bar says');
  await eventually(`the role ${role} through the hook`, async () => {
    const now = await hook(page, label, (t) => ({ role: t.role(), controller: t.session()?.controller ?? null }));
    return now.role === role && now.controller === controller ? true : now;
  });
}

const scenarios = {
  /**
   * (a) the admin creates a raw device in the UI and reads its ingress port and the per-make
   * settings; (b) the device server dials in: the device turns online on the open pages without a
   * reload, marked unauthenticated; (c) the serial console works both ways byte-exact; (d) a link
   * port is refused while the browser controls, a take-over link gets control (the browser observes);
   * (e) removing link ports in the UI closes them.
   */
  async legacy(browser) {
    const name = required('DEVICE_NAME');
    const label = `${name}/serial`;
    const context = await newContext(browser);

    step('(a) the admin signs in and opens Manage devices');
    const admin = await newPage(context, 'admin');
    await signIn(admin, 'admin', required('ADMIN_PASSWORD'));
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Manage devices', exact: true }).click();
    await visible(admin.getByRole('heading', { name: 'Manage devices', level: 1 }), 'the Manage devices heading');

    step('the New device form: a device server in TCP-client mode, admitted from 127.0.0.1/32');
    const form = admin.getByRole('form', { name: 'New device' });
    await form.getByLabel('Device name', { exact: true }).fill(name);
    const connection = form.getByRole('group', { name: 'Connection' });
    if (!(await connection.getByRole('radio', { name: 'Agent (tether-agent dials out)' }).isChecked())) fail('a new device is not an agent device by default');
    const addresses = form.getByLabel('Allowed source addresses', { exact: true });
    if (await addresses.isVisible()) fail('the raw fields show for an agent device');
    await connection.getByRole('radio', { name: RAW }).check();
    await visible(addresses, 'the allowed source addresses of a raw device');
    await visible(form.getByLabel('Connect string', { exact: true }), 'the connect string of a raw device');
    await addresses.fill('127.0.0.1/32');
    await form.getByRole('button', { name: 'Create device' }).click();

    step('the page shows the ingress port and the settings per make');
    const created = admin.getByRole('region', { name: `Device ${name} created` });
    await visible(created, `the section "Device ${name} created"`);
    const details = created.getByLabel('Ingress details');
    let port = null;
    await eventually('the ingress port on the page', async () => {
      const text = await fact(details, 'Ingress port');
      port = Number(text);
      return Number.isInteger(port) && port > 0 ? true : text;
    });
    step(`ingress port ${port}`);
    if ((await fact(details, 'Connect string')) !== 'not required') fail('a connect string is required although none was given');
    await hasText(details.getByRole('list', { name: 'Allowed sources' }), '127.0.0.1/32', 'the allowed sources of the new device');
    await hasText(created.locator('p.warning'), 'Unauthenticated: this device server connects in plain TCP', 'the warning about plain TCP');
    await hasText(created, `dialling`, 'where the unit must dial');
    const settings = created.getByLabel('Settings per make');
    for (const make of ['Tibbo', 'Lantronix', 'Moxa', 'Other device servers']) {
      if ((await settings.locator('dt', { hasText: make }).count()) !== 1) fail(`no settings for ${make}`);
    }
    const tibbo = (await fact(settings, 'Tibbo')) ?? '';
    if (!tibbo.includes('Routing Mode = Client') || !tibbo.includes(`Destination Port = ${port}`)) fail(`the Tibbo settings read ${JSON.stringify(tibbo)}`);
    if (!((await fact(settings, 'Moxa')) ?? '').includes('Operation Mode = TCP Client')) fail('the Moxa settings lack the TCP client mode');
    if ((await form.getByLabel('Device name', { exact: true }).inputValue()) !== '') fail('the form kept the name after creating');
    const listed = admin.locator('tbody tr', { has: admin.getByRole('link', { name: `Manage ${name}`, exact: true }) });
    await visible(listed, `${name} under All devices`);
    await hasText(presence(listed), 'offline', 'the status of the new device under All devices');
    await unauthenticatedBadge(listed, 'under All devices');
    await screenshot(admin, 'legacy-created.png');

    step('the device page: offline, unauthenticated, its ingress');
    await listed.getByRole('link', { name: `Manage ${name}`, exact: true }).click();
    await visible(admin.getByRole('heading', { name, level: 1, exact: true }), 'the device heading');
    const id = new URL(admin.url()).pathname.split('/')[2];
    const title = admin.locator('.title-row');
    await hasText(presence(title), 'offline', 'the status in the device title');
    await unauthenticatedBadge(title, 'in the device title');
    const ingress = admin.getByRole('region', { name: 'Ingress' });
    if ((await fact(ingress.getByLabel('Ingress details'), 'Ingress port')) !== String(port)) fail('the device page shows another ingress port');
    await hasText(admin.getByRole('region', { name: 'Targets' }), 'the device server has not connected', 'the targets before the device server connects');
    await markDocument(admin);

    step('the fleet in a second tab: the device offline, unauthenticated');
    const fleet = await newPage(context, 'fleet');
    await fleet.goto(new URL('/devices', admin.url()).href);
    await fleet.getByLabel('Search by name').fill(name);
    const row = deviceRow(fleet, name);
    await visible(row, `the fleet row of ${name}`);
    await hasText(presence(row), 'offline', 'the status in the fleet');
    await unauthenticatedBadge(row, 'in the fleet row');
    await markDocument(fleet);

    step('(b) the device server dials the ingress port: online on both open pages without a reload');
    await test('startDeviceServer', { port });
    await hasText(presence(title), 'online', 'the pushed status in the device title', 30_000);
    await hasText(presence(row), 'online', 'the pushed status in the fleet', 30_000);
    await unauthenticatedBadge(title, 'in the device title once online');
    await unauthenticatedBadge(row, 'in the fleet row once online');
    const summary = admin.getByLabel('Device details');
    await eventually('the device details of the connected device server', async () => {
      const [mode, version, address] = [await fact(summary, 'Mode'), await fact(summary, 'Agent version'), await fact(summary, 'Remote address')];
      return mode === 'raw' && version === 'raw-tcp' && (address ?? '').includes('127.0.0.1') ? true : { mode, version, address };
    });
    const targets = admin.getByRole('region', { name: 'Targets' });
    await visible(targets.getByRole('rowheader', { name: 'serial', exact: true }), 'the target serial on the device page');
    await hasText(row, 'serial', 'the target in the fleet');
    await sameDocument(admin, 'the device page');
    await sameDocument(fleet, 'the fleet');
    await screenshot(admin, 'legacy-online.png');
    await screenshot(fleet, 'legacy-fleet.png');

    step('(c) the admin opens the terminal on serial from the fleet');
    await row.getByRole('link', { name: `Open terminal on ${label}` }).click();
    await eventually('the terminal URL', async () => new URL(fleet.url()).pathname === `/devices/${id}/terminal/serial` || fleet.url());
    await visible(fleet.getByRole('tab', { name: label }), 'the terminal tab');
    await terminalState(fleet, label, 'live', 'the terminal to be live');
    await hasText(statusLine(fleet, label), `Connected to ${label}.`, 'the status line');
    await sharing(fleet, label, 'controller', 'admin');

    step('typing reaches the serial line byte-exact; the device prints into the terminal');
    await focusTerminal(fleet, label);
    await typeInto(fleet, 'AT+VER? grüße €\r');
    await deviceReceives('AT+VER? grüße €\r');
    await devicePrints('TETHER-LEGACY 1.0 OK ✓\r\n');
    await terminalShows(fleet, label, 'TETHER-LEGACY 1.0 OK ✓');
    await screenshot(fleet, 'legacy-terminal.png');

    step('(d) a link port without take over: refused while the browser controls');
    const exclusive = await createLink(admin, 'serial', '127.0.0.1', false);
    const refused = await test('linkRefused', { port: exclusive });
    step(`the client of link port ${exclusive} was closed after ${refused.closedAfterMs} ms`);
    await sharing(fleet, label, 'controller', 'admin');

    step('a link port that takes over: its client gets control, the browser observes');
    const takeOver = await createLink(admin, 'serial', '127.0.0.1', true);
    await test('linkConnect', { port: takeOver, base64: b64('from host software\r') });
    await deviceReceives('from host software\r');
    await sharing(fleet, label, 'observer', `link:${takeOver}`);
    await hasText(sharingBar(fleet, label), `link:${takeOver} took control: you are observing.`, 'the sharing notice');
    await devicePrints('reply to host\r\n');
    await test('linkExpect', { port: takeOver, base64: b64('reply to host\r\n') });
    await terminalShows(fleet, label, 'reply to host');
    const before = await hook(fleet, label, (t) => t.stats().bytesOut);
    await focusTerminal(fleet, label);
    await typeInto(fleet, 'observer keys\r');
    await hasText(notice(fleet, label), OBSERVING, "the observer's notice");
    const after = await hook(fleet, label, (t) => t.stats().bytesOut);
    if (after !== before) fail(`the observing terminal sent ${after - before} bytes`);
    await screenshot(fleet, 'legacy-observing.png');
    await screenshot(admin, 'legacy-links.png');

    step('(e) removing the take-over link in the UI disconnects its client and closes the port');
    await removeLink(admin, takeOver);
    await test('linkDisconnected', { port: takeOver });
    await test('portClosed', { port: takeOver });
    await sharing(fleet, label, 'observer', null);

    step('removing the other link closes its port too');
    await removeLink(admin, exclusive);
    await test('portClosed', { port: exclusive });
    await hasText(admin.getByRole('region', { name: 'Link ports' }), 'No link ports.', 'the empty list of link ports');
    await screenshot(admin, 'legacy-removed.png');

    step('the admin takes control back in the terminal: typing reaches the device again');
    await sharingBar(fleet, label).getByRole('button', { name: 'Take over' }).click();
    await sharing(fleet, label, 'controller', 'admin');
    await focusTerminal(fleet, label);
    await typeInto(fleet, 'back in control\r');
    await deviceReceives('back in control\r');
    await sameDocument(admin, 'the device page');

    step("(f) the device's group requires a second factor, set on the groups page with its token days and ask-again minutes");
    const { secret, confirmedStep, group, recoveryCode } = await test('enrolAdminTotp');
    const devicePage = admin.url();
    await admin.goto(`${BASE}/admin/groups`);
    const secondFactor = admin.getByRole('form', { name: `Second factor on ${group}` });
    await secondFactor.getByLabel('Require a second factor', { exact: true }).check();
    await secondFactor.getByLabel('API tokens count as a second factor for (days)', { exact: true }).fill('7');
    await secondFactor.getByLabel('Ask again before each session after (minutes)', { exact: true }).fill('15');
    await secondFactor.getByRole('button', { name: 'Save' }).click();
    await hasText(secondFactor.getByRole('status'), 'API tokens for 7 days after they were made', 'the saved notice');
    await screenshot(admin, 'legacy-group-second-factor.png');

    step("a link port there takes the admin's current code: a wrong one is refused, the right one creates the port, shown outside the policy");
    await admin.goto(devicePage);
    const links = admin.getByRole('region', { name: 'Link ports' });
    const newLink = links.getByRole('form', { name: 'New link port' });
    await newLink.getByLabel('Target', { exact: true }).selectOption('serial');
    await newLink.getByLabel('Allowed source addresses', { exact: true }).fill('127.0.0.1');
    await newLink.getByRole('button', { name: 'Create link port' }).click();
    const code = newLink.getByLabel('Code from your authenticator app', { exact: true });
    await visible(code, 'the code field');
    await hasText(newLink, 'lets connections in without one', 'why the code is asked for');
    await code.fill(wrongCode(secret));
    await newLink.getByRole('button', { name: 'Create link port' }).click();
    await hasText(newLink, 'That code is wrong', 'the wrong code refused');
    await code.fill(totp(secret, Math.max(currentStep(), confirmedStep + 1)));
    await newLink.getByRole('button', { name: 'Create link port' }).click();
    await hasText(newLink.getByRole('status'), 'Link port', 'the new link port');
    await hasText(links.locator('tbody'), 'outside the second-factor policy', 'the badge on the new port');
    await screenshot(admin, 'legacy-link-outside-policy.png');

    step('(g) at localhost (WebAuthn takes no IP address as its site) the admin signs in with a recovery code and registers a security key');
    const base = BASE.replace('//127.0.0.1:', '//localhost:');
    const keyed = await newPage(await newContext(browser), 'keyed');
    await keyed.goto(`${base}/sign-in`);
    await keyed.getByLabel('Username', { exact: true }).fill('admin');
    await keyed.getByLabel('Password', { exact: true }).fill(required('ADMIN_PASSWORD'));
    await keyed.getByRole('button', { name: 'Sign in' }).click();
    await visible(keyed.getByRole('heading', { name: 'Two-step sign-in' }), 'the second step');
    await keyed.getByRole('button', { name: 'Use a recovery code' }).click();
    await keyed.getByLabel('Recovery code', { exact: true }).fill(recoveryCode);
    await keyed.getByRole('button', { name: 'Verify' }).click();
    await visible(keyed.getByRole('button', { name: 'Sign out', exact: true }), 'signed in with the recovery code');
    await virtualSecurityKey(keyed);
    await keyed.goto(`${base}/account`);
    await keyed.getByLabel('Security key name', { exact: true }).fill('Desk key');
    await keyed.getByRole('button', { name: 'Register a security key' }).click();
    await hasText(keyed.locator('section[aria-labelledby="security-keys-title"]').getByRole('status'), 'Key Desk key registered', 'the registration');

    step("the session's second factor is no longer fresh: a new link port asks again, and the key confirms it");
    await test('ageSessionFactor');
    await keyed.goto(devicePage.replace('//127.0.0.1:', '//localhost:'));
    const keyedLinks = keyed.getByRole('region', { name: 'Link ports' });
    const keyedLink = keyedLinks.getByRole('form', { name: 'New link port' });
    await keyedLink.getByLabel('Target', { exact: true }).selectOption('serial');
    await keyedLink.getByLabel('Allowed source addresses', { exact: true }).fill('127.0.0.1');
    await keyedLink.getByRole('button', { name: 'Create link port' }).click();
    const useKey = keyedLink.getByRole('button', { name: 'Use a security key' });
    await visible(useKey, 'the security key button');
    await useKey.click();
    await eventually('a second link port, created with the key', async () => {
      const n = await keyedLinks.locator('tbody tr', { hasText: 'outside the second-factor policy' }).count();
      return n === 2 || `${n} ports outside the policy`;
    });
    await screenshot(keyed, 'legacy-link-confirmed-with-key.png');
  },
};

run('legacy', scenarios);
