// The command line's browser sign-in (tether login --browser) in headless Chromium, against the
// packaged portal. Launched by src/test/java/io/tether/cli/CliCommandsIT:
//   node e2e/clilogin.mjs allow   (settings in environment variables)
// CLI_URL is the address tether login opened (its BROWSER wrote it down): a signed-out browser signs
// in there and comes back to the page, Allow hands the code to the CLI's loopback listener. PASTE_URL
// is a request without a port: the page shows the code, printed here as "code: CODE" for the test.

import { eventually, hasText, required, screenshot, step, submitSignIn, visible } from './helpers.mjs';
import { newContext, newPage, run } from './terminalHelpers.mjs';

const scenarios = {
  async allow(browser) {
    const username = required('USERNAME');
    const page = await newPage(await newContext(browser), 'cli');

    step('the address tether login opened asks a signed-out browser to sign in first');
    await page.goto(required('CLI_URL'));
    await submitSignIn(page, username, required('PASSWORD'));

    step('then the page asks to allow the command line, naming the computer, user and token');
    const heading = page.getByRole('heading', { name: /^Sign in the tether command line on .+ as / });
    await visible(heading, 'the allow question');
    await hasText(heading, `as ${username}?`, 'the question');
    await hasText(page.locator('.cli-login'), 'expires in 30 days', 'the lifetime');
    await screenshot(page, 'cli-login.png');

    step('Allow hands the code to the CLI on 127.0.0.1, whose page says the tab may close');
    await page.getByRole('button', { name: 'Allow' }).click();
    await eventually('the CLI callback page', async () => new URL(page.url()).pathname === '/callback' || page.url());
    await hasText(page.locator('body'), 'You can close this tab', 'the callback page');
    if (new URL(page.url()).hostname !== '127.0.0.1') throw new Error(`the code went to ${page.url()}`);
    console.log(`callback: ${page.url()}`);

    step('without a port the page shows the one-time code to paste');
    await page.goto(required('PASTE_URL'));
    await page.getByRole('button', { name: 'Allow' }).click();
    const box = page.getByRole('textbox', { name: 'One-time code' });
    await visible(box, 'the code');
    console.log(`code: ${await box.inputValue()}`);
    await screenshot(page, 'cli-login-code.png');
  },
};

run('clilogin', scenarios);
