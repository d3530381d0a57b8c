// Through a reverse proxy (ReverseProxyIT): Chromium, trusting the proxy's certificate, signs in
// and works in a terminal on the device's TCP target "echo" (an echo server: what is typed comes
// back). Reuses the e2e helpers of frontend/e2e (FRONTEND_E2E is that directory), so a step reads
// and fails like the other browser scenarios:
//   node proxy-terminal.mjs proxy   (TETHER_URL, ADMIN_PASSWORD, DEVICE_ID, DEVICE_NAME set)
// and, for a device's own web page on its https origin through the proxy (WEB_DOMAIN set):
//   node proxy-terminal.mjs devicepage

const e2e = process.env.FRONTEND_E2E.replace(/\/$/, '');
const { required, step, fail, visible } = await import(`${e2e}/helpers.mjs`);
const { focusTerminal, newContext, newPage, run, signIn, terminalShows, terminalState, typeInto } =
  await import(`${e2e}/terminalHelpers.mjs`);

run('proxy', {
  async proxy(browser) {
    const id = required('DEVICE_ID');
    const label = `${required('DEVICE_NAME')}/echo`;
    const page = await newPage(await newContext(browser), 'proxy');

    step('sign in over https through the proxy and open the terminal');
    await signIn(page, 'admin', required('ADMIN_PASSWORD'), `/devices/${id}/terminal/echo`);
    if (!page.url().startsWith('https://')) fail(`the page is not on https: ${page.url()}`);
    await terminalState(page, label, 'live', 'the terminal to be live');

    step('type; the echo comes back through the proxy');
    await focusTerminal(page, label);
    await typeInto(page, 'through-the-proxy');
    await terminalShows(page, label, 'through-the-proxy');
  },

  async devicepage(browser) {
    const context = await newContext(browser);
    const portal = await newPage(context, 'portal');
    step("sign in through the proxy and click Open on the device's web target");
    await signIn(portal, 'admin', required('ADMIN_PASSWORD'), `/devices/${required('DEVICE_ID')}`);
    const [tab] = await Promise.all([context.waitForEvent('page'), portal.getByRole('button', { name: 'Open ui' }).click()]);
    const domain = required('WEB_DOMAIN').replace(/\./g, '\\.');
    await tab.waitForURL(new RegExp(`^https://d-[0-9a-v]{26}\\.${domain}:[0-9]+/$`), { timeout: 20_000 });
    await visible(tab.getByRole('heading', { name: 'device home' }), "the device's own page over https");

    step('a 4 MiB download and a WebSocket echo from the device page, through the proxy');
    const size = 4 * 1024 * 1024;
    const got = await tab.evaluate(async (n) => (await (await fetch(`/download?bytes=${n}`)).arrayBuffer()).byteLength, size);
    if (got !== size) fail(`the download through the proxy: ${got} of ${size} bytes`);
    const echoed = await tab.evaluate(
      () =>
        new Promise((resolve) => {
          const ws = new WebSocket(`wss://${location.host}/ws`);
          ws.onopen = () => ws.send('hello over wss');
          ws.onmessage = (e) => resolve(String(e.data));
          ws.onerror = () => resolve('error');
        }),
    );
    if (echoed !== 'hello over wss') fail(`the device page's WebSocket through the proxy: ${echoed}`);
  },
});
