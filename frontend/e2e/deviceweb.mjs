// End-to-end scenario of device web pages (docs/device-web.md) in headless Chromium, against the
// packaged portal and a device web server behind a real agent. Launched by
// src/test/java/io/tether/deviceweb/DeviceWebIT:
//   node e2e/deviceweb.mjs open   (settings in environment variables)
// The admin clicks Open on the device page; the device's page opens in a new tab on its own origin
// (d-<id>.<TETHER_WEB_DOMAIN>), where its login, redirect, Basic auth and WebSocket work, and from
// where neither the portal's cookie nor the portal's API or terminal socket can be reached, nor
// another device page of the user's (device origins are one site, so their cookies go along).

import { fail, required, step, visible } from './helpers.mjs';
import { newContext, newPage, run, signIn } from './terminalHelpers.mjs';

const DEVICE = required('DEVICE_ID');
const BASE = required('TETHER_URL');

/** Runs {@code fn} in the page and answers its result. */
const inPage = (page, fn, arg) => page.evaluate(fn, arg);

/** What {@code page} reads of {@code url} with its cookies: the answer, or 'blocked'. */
const readWithCookies = (page, url) =>
  inPage(page, async (u) => {
    try {
      const r = await fetch(u, { credentials: 'include' });
      return `read ${r.status}: ${await r.text()}`;
    } catch {
      return 'blocked';
    }
  }, url);

run('deviceweb', {
  async open(browser) {
    const context = await newContext(browser);
    const portal = await newPage(context, 'portal');
    step('sign in and open the device page');
    await signIn(portal, 'admin', required('ADMIN_PASSWORD'), `/devices/${DEVICE}`);
    const open = portal.getByRole('button', { name: 'Open ui' });
    await visible(open, 'the Open button of the web target');

    step('Open: the device page in a new tab, on its own origin');
    const [tab] = await Promise.all([context.waitForEvent('page'), open.click()]);
    tab.on('pageerror', (e) => console.log(`[device] page error: ${e.message}`));
    await tab.waitForURL(/^http:\/\/d-[0-9a-v]{26}\.web\.localhost:[0-9]+\/$/, { timeout: 15_000 });
    await visible(tab.getByRole('heading', { name: 'device home' }), "the device's own page");
    const origin = new URL(tab.url()).origin;
    if (await inPage(tab, () => window.opener !== null)) fail("the device's page can reach the portal's tab (window.opener)");
    if ((await inPage(tab, () => document.cookie)).includes('tether')) fail("Tether's cookie is readable by the device's page");

    step('log in to the device: its cookie, its redirect');
    const home = await inPage(tab, async () => {
      const r = await fetch('/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'user=admin&password=secret',
      });
      return { url: r.url, text: await r.text() };
    });
    if (home.url !== `${origin}/home?from=login`) fail(`the redirect left the device's origin: ${home.url}`);
    if (!home.text.startsWith('welcome')) fail(`not logged in to the device: ${home.text}`);
    if (!home.text.includes('cookies: devsess=abc\n')) fail(`a cookie other than the device's reached it: ${home.text}`);

    step('HTTP Basic on one path');
    const basic = await inPage(tab, async () => {
      const r = await fetch('/basic', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } });
      return `${r.status} ${await r.text()}`;
    });
    if (basic !== '200 basic ok') fail(`Basic auth: ${basic}`);

    step("a WebSocket to the device's own origin echoes");
    const echoed = await inPage(tab, () =>
      new Promise((resolve) => {
        const ws = new WebSocket(`ws://${location.host}/ws`);
        ws.onopen = () => ws.send('hello device');
        ws.onmessage = (m) => resolve(m.data);
        ws.onerror = () => resolve('error');
        setTimeout(() => resolve('timeout'), 10_000);
      }),
    );
    if (echoed !== 'hello device') fail(`the WebSocket: ${echoed}`);

    // the context's X-Forwarded-For (an address per test for the sign-in limits) is a header no
    // page may set without a CORS preflight: from here on requests are as a browser sends them, so
    // a cross-origin read below is a simple request that carries the cookies of its site
    await context.setExtraHTTPHeaders({});
    step("the device's page cannot read the portal's API nor open its terminal");
    const api = await readWithCookies(tab, `${BASE}/api/me`);
    if (api !== 'blocked') fail(`the device's page read the portal's API: ${api}`);
    const terminal = await inPage(tab, ({ base, device }) =>
      new Promise((resolve) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/api/devices/${device}/terminal?target=ui`);
        ws.onopen = () => resolve('opened');
        ws.onclose = () => resolve('refused');
        setTimeout(() => resolve('timeout'), 10_000);
      }),
    { base: BASE, device: DEVICE });
    if (terminal !== 'refused') fail(`the portal's terminal socket from the device's origin: ${terminal}`);

    step("another device page of the user's cannot read this one, though the device lets any origin");
    const [other] = await Promise.all([
      context.waitForEvent('page'),
      portal.getByRole('button', { name: 'Open secure' }).click(),
    ]);
    await other.waitForURL(/^http:\/\/d-[0-9a-v]{26}\.web\.localhost:[0-9]+\/$/, { timeout: 15_000 });
    const otherOrigin = new URL(other.url()).origin;
    if (otherOrigin === origin) fail('the two web targets share an origin');
    const own = await readWithCookies(other, `${otherOrigin}/cors`);
    if (own !== 'read 200: device secret') fail(`the page cannot read its own device: ${own}`);
    const across = await readWithCookies(tab, `${otherOrigin}/cors`);
    if (across !== 'blocked') fail(`a device page read another device origin: ${across}`);
    const back = await readWithCookies(other, `${origin}/cors`);
    if (back !== 'blocked') fail(`a device page read another device origin: ${back}`);

    step("a cookie the device's page sets for a parent domain never reaches the portal");
    await inPage(tab, () => {
      document.cookie = 'x=1; Domain=web.localhost; Path=/';
      document.cookie = 'y=1; Domain=localhost; Path=/';
    });
    const portalCookies = (await context.cookies(BASE)).map((c) => c.name);
    if (portalCookies.includes('x') || portalCookies.includes('y')) fail(`the portal would get ${portalCookies}`);
    console.log(`device origin ${origin}`);
  },
});
