// Through a reverse proxy (ReverseProxyIT): Chromium, trusting the proxy's certificate, signs in
// and works in a terminal on the device's TCP target "echo" (an echo server: what is typed comes
// back). Reuses the e2e helpers of frontend/e2e (FRONTEND_E2E is that directory), so a step reads
// and fails like the other browser scenarios:
//   node proxy-terminal.mjs proxy   (TETHER_URL, ADMIN_PASSWORD, DEVICE_ID, DEVICE_NAME set)

const e2e = process.env.FRONTEND_E2E.replace(/\/$/, '');
const { required, step, fail } = await import(`${e2e}/helpers.mjs`);
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
});
