// E-mail alerts in headless Chromium against the packaged portal and a real SMTP server in the
// test's JVM (GreenMail). Launched by src/test/java/io/tether/web/WebUiIT:
//   node e2e/alerts.mjs account   (settings in environment variables)
// A user sets their address on the account page; the test reads the mailed link; the user follows
// it, ticks "Device goes offline" for a group and saves; the test drops a device of that group and
// waits for the alert. An admin sends a test mail from the E-mail card of the webhooks page. What
// only the test can do is asked for on stdout as "@@tether {json}" and answered on stdin.

import { hasText, required, screenshot, step, visible } from './helpers.mjs';
import { axe } from './pageChecks.mjs';
import { newContext, newPage, run, signIn, test } from './terminalHelpers.mjs';

const scenarios = {
  async account(browser) {
    const address = required('ALERT_ADDRESS');
    const group = required('ALERT_GROUP');
    const page = await newPage(await newContext(browser), 'user');
    await signIn(page, required('ALERT_USERNAME'), required('ALERT_PASSWORD'), '/account');

    step('the account page says there is no address yet; the user sets one');
    const card = page.getByRole('region', { name: 'E-mail alerts' });
    await hasText(card.getByTestId('email-state'), 'No address yet', 'the address state');
    await card.getByLabel('E-mail address', { exact: true }).fill('someone@localhost');
    await card.getByRole('button', { name: 'Save address' }).click();
    await hasText(card.getByRole('alert'), 'e-mail address', 'the refusal in the API\u2019s words');
    await card.getByLabel('E-mail address', { exact: true }).fill(address);
    await card.getByRole('button', { name: 'Save address' }).click();
    await hasText(card.getByRole('status').filter({ hasText: 'confirmation link' }), `mailed to ${address}`, 'the notice');
    await hasText(card.getByTestId('email-state'), 'waiting for confirmation', 'the pending state');

    step('the user follows the link from the mail: the address is confirmed');
    const link = await test('confirmationLink');
    await page.goto(link);
    await hasText(page.getByRole('status'), `${address} is confirmed`, 'the confirmation page');
    await page.getByRole('link', { name: 'Go to your account' }).click();
    await hasText(card.getByTestId('email-state'), 'confirmed: alerts are mailed here', 'the confirmed state');

    step(`the user ticks "Device goes offline" for ${group} and saves`);
    await card.getByRole('checkbox', { name: `Device goes offline: ${group}` }).check();
    await card.getByRole('button', { name: 'Save alerts' }).click();
    await hasText(card.getByRole('status').filter({ hasText: 'saved' }), 'Alerts saved.', 'the saved notice');
    const violations = await axe(page, 'the account page');
    if (violations.length > 0) throw new Error(`axe-core: ${violations.join('; ')}`);
    await screenshot(page, 'alerts-account.png');

    step('a device of the group drops: the alert arrives (checked by the test)');
    await test('dropDeviceAndAwaitAlert');

    step('after a reload the tick is still there');
    await page.reload();
    await visible(card.getByRole('checkbox', { name: `Device goes offline: ${group}`, checked: true }), 'the saved subscription');

    step('an admin sends a test mail from the E-mail card of the webhooks page');
    const admin = await newPage(await newContext(browser), 'admin');
    await signIn(admin, 'admin', required('ADMIN_PASSWORD'), '/admin/webhooks');
    const mail = admin.getByRole('region', { name: 'E-mail' });
    await hasText(mail.getByTestId('mail-status'), `Server: ${required('SMTP_SERVER')}`, 'the server');
    await mail.getByLabel('Send a test mail to').fill(required('TEST_ADDRESS'));
    await mail.getByRole('button', { name: 'Send test mail' }).click();
    await hasText(mail.getByRole('status').filter({ hasText: 'Test mail' }), `sent to ${required('TEST_ADDRESS')}`, 'the sent notice');
    await hasText(mail.getByTestId('mail-status'), 'Last mail sent', 'the last mail sent');
  },
};

run('alerts', scenarios);
