// Single sign-on in headless Chromium with the real SameSite=Strict session cookie, against the
// packaged portal and a test OpenID Connect provider on loopback (TestOidcProvider in the test's
// JVM). Launched by src/test/java/io/tether/oidc/SingleSignOnIT:
//   node e2e/sso.mjs grants   (settings in environment variables)
// and by PasswordSignInOffIT (scenario passwordOff).
// "Sign in with Corp SSO" lands signed in as a new account (the local user of the same name is
// left alone); the groups claim's grants open a terminal; a second sign-in whose claim drops that
// group removes the grant and closes the open terminal, while an admin's grant stays (checked by
// the test). What only the test can do is asked for on stdout as "@@tether {json}".

import { BASE, eventually, hasText, required, screenshot, step, submitSignIn, visible } from './helpers.mjs';
import { newContext, newPage, run, statusLine, terminalState, test } from './terminalHelpers.mjs';

async function signInWithProvider(page, displayName) {
  await page.goto(`${BASE}/sign-in`);
  await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in page');
  await page.getByRole('link', { name: `Sign in with ${displayName}` }).click();
  await visible(page.getByRole('button', { name: 'Sign out', exact: true }), 'the Sign out button after single sign-on');
}

async function signInWithPassword(page, username, password) {
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

const scenarios = {
  async grants(browser) {
    const display = required('SSO_DISPLAY_NAME');

    step('the sign-in page offers the provider; its button completes the sign-in');
    const page = await newPage(await newContext(browser), 'first');
    await page.goto(`${BASE}/sign-in`);
    await screenshot(page, 'sso-sign-in.png');
    await signInWithProvider(page, display);
    const me = await page.evaluate(async () => (await fetch('/api/me')).json());
    step(`signed in as ${me.username}`);
    const device = await test('afterFirstSignIn', { username: me.username });

    step('the groups claim made an operator grant: the terminal opens');
    const label = `${device.name}/echo`;
    await page.goto(`${BASE}/devices/${device.id}/terminal/echo`);
    await terminalState(page, label, 'live', 'the terminal to be live');

    step('the provider drops the group; the user signs in again in another browser');
    await test('dropGroup');
    const second = await newPage(await newContext(browser), 'second');
    await signInWithProvider(second, display);

    step('the grant is gone: the open terminal closes and says why');
    await terminalState(page, label, 'closed', 'the terminal to close', 15_000);
    await hasText(statusLine(page, label), 'access-revoked', 'the reason on the page');
    await screenshot(page, 'sso-grant-removed.png');
    await test('afterSecondSignIn', { username: me.username });

    step('a refused single sign-on lands on a page that says why');
    const refused = await newPage(await newContext(browser), 'refused');
    await refused.goto(`${BASE}/sign-in?sso=unbound&provider=corp`);
    await hasText(refused.getByRole('alert'), 'No account for this identity', 'the unbound page');
    await visible(refused.getByRole('link', { name: `Sign in with ${display}` }), 'a way forward');
  },

  /**
   * TETHER_PASSWORD_LOGIN=false: the page says so; a local user's right password is refused with
   * the reason; the first admin (break-glass) signs in with the password; single sign-on signs in.
   */
  async passwordOff(browser) {
    const display = required('SSO_DISPLAY_NAME');
    const page = await newPage(await newContext(browser), 'local');

    step('the sign-in page says password sign-in is off, beside the provider');
    await page.goto(`${BASE}/sign-in`);
    await hasText(page.locator('.sign-in'), 'Password sign-in is off on this portal, except for break-glass administrators', 'the note');
    await visible(page.getByRole('link', { name: `Sign in with ${display}` }), 'the provider');
    await screenshot(page, 'password-off-sign-in.png');

    step("a local user's right password is refused, and the page says why");
    await signInWithPassword(page, required('LOCAL_USER'), required('LOCAL_PASSWORD'));
    await hasText(page.getByRole('alert'), 'password sign-in is off for this account', 'the refusal');

    step('the first admin is break-glass: the password signs in');
    const admin = await newPage(await newContext(browser), 'admin');
    await admin.goto(`${BASE}/sign-in`);
    await submitSignIn(admin, 'admin', required('ADMIN_PASSWORD'));

    step('single sign-on signs in');
    await signInWithProvider(await newPage(await newContext(browser), 'sso'), display);
  },

  /** tether login's page (CLI_URL) in a signed-out browser: single sign-on, back to it, Allow. */
  async cli(browser) {
    const display = required('SSO_DISPLAY_NAME');
    const page = await newPage(await newContext(browser), 'cli');

    step('the address tether login opened asks a signed-out browser to sign in: with the provider');
    await page.goto(required('CLI_URL'));
    await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in page');
    await page.getByRole('link', { name: `Sign in with ${display}` }).click();

    step('single sign-on comes back to the command line page; Allow hands the code to the CLI');
    await visible(page.getByRole('heading', { name: /^Sign in the tether command line on .+ as / }), 'the allow question');
    await screenshot(page, 'sso-cli-login.png');
    await page.getByRole('button', { name: 'Allow' }).click();
    await eventually('the CLI callback page', async () => new URL(page.url()).pathname === '/callback' || page.url());
    await hasText(page.locator('body'), 'You can close this tab', 'the callback page');
  },
};

run('sso', scenarios);
