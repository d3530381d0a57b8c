// The Webhooks admin page in headless Chromium, against the packaged portal and the Node.js
// receiver on loopback (src/test/webhook-receiver/receiver.mjs, which verifies each request with
// the standardwebhooks package). Launched by src/test/java/io/tether/webhook/WebhooksIT:
//   node e2e/webhooks.mjs page   (settings in environment variables)
// An admin creates an endpoint on the page and copies its secret (shown once); a device is created
// (by the test); the endpoint's delivery log shows the delivery with its attempt; the admin
// redelivers it and the receiver gets it again. What only the test can do (create the device, read
// the receiver's record) is asked for on stdout as "@@tether {json}" and answered on stdin.

import { eventually, fail, hasText, required, screenshot, step, visible } from './helpers.mjs';
import { axe } from './pageChecks.mjs';
import { newContext, newPage, run, signIn, test } from './terminalHelpers.mjs';

const scenarios = {
  async page(browser) {
    const url = required('WEBHOOK_URL');
    const page = await newPage(await newContext(browser), 'admin');
    await signIn(page, 'admin', required('ADMIN_PASSWORD'), '/devices');

    step('the admin opens Webhooks from the audit log (the main menu has no room left at 1280 px)');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log', exact: true }).click();
    await page.getByRole('link', { name: 'webhooks', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Webhooks', level: 1 }), 'the Webhooks heading');

    step('a URL the portal never sends to is refused, the URL field marked');
    await page.getByLabel('URL', { exact: true }).fill('http://169.254.169.254/latest');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await hasText(page.getByRole('alert'), 'link-local', 'the refusal');

    step('the admin creates an endpoint for device.created; the secret is shown once and copied');
    await page.getByLabel('URL', { exact: true }).fill(url);
    await page.getByLabel('Events', { exact: true }).fill('device.created');
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secretBox = page.getByLabel('Signing secret', { exact: true });
    await visible(secretBox, 'the signing secret');
    const secret = await secretBox.inputValue();
    if (!secret.startsWith('whsec_')) fail(`the secret shown is ${JSON.stringify(secret)}`);
    await page.getByRole('button', { name: 'Copy Signing secret' }).click();
    await hasText(page.locator('.copy-result'), 'Copied', 'the copy button');
    const row = page.locator('tbody tr', { has: page.getByRole('rowheader', { name: url, exact: true }) });
    await hasText(row, 'enabled', 'the endpoint in the list');
    const violations = await axe(page, 'the Webhooks page');
    if (violations.length > 0) fail(`axe-core: ${violations.join('; ')}`);

    step('a device is created: the delivery log shows device.created delivered with a 200');
    await test('createDevice', { secret });
    await row.getByRole('button', { name: `Deliveries of ${url}` }).click();
    const log = page.getByRole('table', { name: `Deliveries to ${url}` });
    await eventually('the delivery delivered', async () => {
      await page.getByRole('button', { name: 'Refresh', exact: true }).click();
      const text = (await log.textContent()) ?? '';
      return text.includes('delivered') && text.includes('200 in') ? true : text;
    });
    await hasText(log, 'device.created', 'the event type');

    step('the admin redelivers it: the receiver gets the same message again');
    await log.getByRole('button', { name: /^Redeliver / }).click();
    await hasText(page.getByRole('status').filter({ hasText: 'queued again' }), 'queued again', 'the redelivery notice');
    await test('awaitRedelivered');
    await screenshot(page, 'webhooks.png');
  },
};

run('webhooks', scenarios);
