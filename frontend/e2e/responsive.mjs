// The portal on a phone and on a wall screen (issue 23), in headless Chromium against the packaged
// portal, a real agent and a socat PTY. Launched by src/test/java/io/tether/web/ResponsiveBrowserIT:
//   node e2e/responsive.mjs SCENARIO   (settings in environment variables)
// phones: at 360×740 and 390×844 with touch, no page scrolls sideways; the terminal opens from the
//   device page and its key bar sends Ctrl-C and Esc to the serial line byte-exact.
// desktop: at 1280×800 the terminal's rows fill at least 75 % of the viewport with the tools folded;
//   full screen enters and leaves.
// dashboard: the overview's counts follow an agent connecting and leaving, and its live sessions a
//   terminal opening and closing, without a reload.
// axe: axe-core on every page in both themes (no serious or critical violations), the theme switch,
//   and screenshots of every page at 360 and 1280 px in both themes (target/screenshots/pages/).

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, SHOTS, eventually, fail, randomAddress, required, step, visible } from './helpers.mjs';
import { deviceReceives, newPage, run, test } from './terminalHelpers.mjs';
import { axe, noSidewaysScroll, touchTargets } from './pageChecks.mjs';

const PHONES = [
  { width: 360, height: 740 },
  { width: 390, height: 844 },
];
const DESKTOP = { width: 1280, height: 800 };
/** Photographed and checked with axe-core: the narrowest phone and the desktop (390 px is checked for sideways scrolling above, not photographed: it looks like 360). */
const SIZES = [PHONES[0], DESKTOP];
/** The terminal's rows must fill this share of a 1280×800 viewport with the tools folded. */
const MIN_TERMINAL_SHARE = 0.75;

/** Every page a signed-in admin can open, by a short name for screenshots. */
function pages(id) {
  return [
    ['overview', '/'],
    ['fleet', '/devices'],
    ['device', `/devices/${id}`],
    ['terminal', `/devices/${id}/terminal/console`],
    ['console-log', `/devices/${id}/targets/console/log`],
    ['sessions', '/sessions'],
    ['audit', '/audit'],
    ['tokens', '/tokens'],
    ['account', '/account'],
    ['notifications', '/notifications'],
    ['users', '/admin/users'],
    ['groups', '/admin/groups'],
    ['manage-devices', '/admin/devices'],
    ['enrollment', '/admin/enrollment'],
    ['nodes', '/admin/nodes'],
  ];
}

async function context(browser, viewport, options = {}) {
  const phone = viewport.width < 600;
  return browser.newContext({
    extraHTTPHeaders: { 'X-Forwarded-For': randomAddress() },
    viewport,
    hasTouch: phone,
    isMobile: phone,
    ...options,
  });
}

/** Opens {@code path} and waits for its heading (and, on a terminal page, a live terminal). */
async function open(page, path) {
  await page.goto(`${BASE}${path}`);
  await visible(page.locator('main h1'), `the heading of ${path}`);
  if (path.includes('/terminal/')) {
    await eventually(`the terminal of ${path} to be live`, async () => (await page.locator('.term-pane').getAttribute('data-state')) === 'live');
  }
  // let late answers (counts, lists) render before measuring or taking a picture
  await page.waitForTimeout(300);
}

/** Signs in as admin through the form (on a phone the Sign out button hides in the menu). */
async function submitSignIn(page) {
  await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in heading');
  await page.getByLabel('Username', { exact: true }).fill('admin');
  await page.getByLabel('Password', { exact: true }).fill(required('ADMIN_PASSWORD'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await eventually('signed in', async () => !new URL(page.url()).pathname.startsWith('/sign-in') || page.url());
  await visible(page.locator('main h1'), 'the first page after signing in');
}

async function signedIn(browser, viewport, path = '/', options = {}) {
  const ctx = await context(browser, viewport, options);
  const page = await newPage(ctx, `${viewport.width}x${viewport.height}`);
  await page.goto(`${BASE}${path}`);
  await submitSignIn(page);
  return { ctx, page };
}

const scenarios = {
  async phones(browser) {
    const id = required('DEVICE_ID');
    for (const viewport of PHONES) {
      const size = `${viewport.width}×${viewport.height}`;
      step(`${size}: the sign-in page fits`);
      const ctx = await context(browser, viewport);
      const page = await newPage(ctx, size);
      await page.goto(`${BASE}/`);
      await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in heading');
      await noSidewaysScroll(page, `the sign-in page at ${size}`);
      await submitSignIn(page);

      for (const [name, path] of pages(id)) {
        step(`${size}: ${name} fits`);
        await open(page, path);
        await noSidewaysScroll(page, `${name} (${path}) at ${size}`);
        await touchTargets(page, `${name} at ${size}`);
      }

      step(`${size}: the header folds into a menu`);
      const menu = page.getByRole('button', { name: 'Menu' });
      await visible(menu, 'the Menu button');
      await menu.click();
      await visible(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }), 'the Audit log link in the open menu');
      await noSidewaysScroll(page, `the open menu at ${size}`);
      await touchTargets(page, `the open menu at ${size}`);
      await menu.click();

      step(`${size}: the terminal opens from the device page; the key bar sends Ctrl-C and Esc`);
      await open(page, `/devices/${id}`);
      await page.getByRole('link', { name: /^Open terminal on .*\/console$/ }).first().click();
      await eventually('the terminal to be live', async () => (await page.locator('.term-pane').getAttribute('data-state')) === 'live');
      const keyBar = page.getByRole('toolbar', { name: 'Key bar' });
      await visible(keyBar, 'the key bar (shown on touch screens)');
      await noSidewaysScroll(page, `the terminal with its key bar at ${size}`);
      const ctrlC = deviceReceives('\x03');
      await keyBar.getByRole('button', { name: 'Ctrl-C (interrupt)' }).tap();
      await ctrlC;
      const esc = deviceReceives('\x1b');
      await keyBar.getByRole('button', { name: 'Esc' }).tap();
      await esc;
      const layout = await page.evaluate(() => {
        const bar = document.querySelector('.key-bar').getBoundingClientRect();
        const rows = document.querySelector('.term-pane .xterm-screen').getBoundingClientRect();
        return { barBottom: bar.bottom, rowsBottom: rows.bottom, viewport: window.visualViewport.height };
      });
      if (layout.barBottom > layout.viewport + 1) fail(`the key bar ends below the viewport: ${JSON.stringify(layout)}`);
      if (layout.rowsBottom > layout.viewport) fail(`the terminal's last row is off screen: ${JSON.stringify(layout)}`);
      await ctx.close();
    }
  },

  async desktop(browser) {
    const id = required('DEVICE_ID');
    const { page } = await signedIn(browser, DESKTOP, `/devices/${id}/terminal/console`);
    await eventually('the terminal to be live', async () => (await page.locator('.term-pane').getAttribute('data-state')) === 'live');

    step('fold the tools: the terminal takes the screen');
    const tools = page.getByRole('button', { name: 'Tools' });
    if ((await tools.getAttribute('aria-expanded')) === 'true') await tools.click();
    let share = 0;
    await eventually(`the terminal's rows to fill ${MIN_TERMINAL_SHARE * 100} % of the viewport`, async () => {
      const m = await page.evaluate(() => ({ rows: document.querySelector('.term-pane .xterm-screen').getBoundingClientRect().height, viewport: window.innerHeight }));
      share = m.rows / m.viewport;
      return share >= MIN_TERMINAL_SHARE ? true : m;
    });
    console.log(`measure: terminal rows fill ${(share * 100).toFixed(1)} % of 1280×800 with the tools folded`);
    const scroll = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight);
    console.log(`measure: the terminal page is ${scroll} px taller than the viewport with the tools folded`);

    step('the font size grows and is remembered');
    const before = await page.evaluate(() => window.__tether.terminals[0].size());
    await page.getByRole('button', { name: 'Larger text' }).click();
    await page.getByRole('button', { name: 'Larger text' }).click();
    await eventually('fewer columns after a larger font', async () => {
      const after = await page.evaluate(() => window.__tether.terminals[0].size());
      return after.cols < before.cols ? true : after;
    });
    const stored = await page.evaluate(() => localStorage.getItem('tether.terminal.fontSize'));
    if (stored !== '16') fail(`font size stored as ${stored}, expected 16`);

    step('full screen enters and leaves, with a visible way out');
    await page.getByRole('button', { name: 'Full screen' }).click();
    await eventually('full screen on the terminal', async () => page.evaluate(() => document.fullscreenElement?.classList.contains('term-pane') ?? false));
    await visible(page.getByRole('button', { name: 'Exit full screen' }), 'the Exit full screen button');
    await page.getByRole('button', { name: 'Exit full screen' }).click();
    await eventually('full screen left', async () => page.evaluate(() => document.fullscreenElement === null));
    await visible(page.getByRole('button', { name: 'Full screen' }), 'the Full screen button again');

    step('keyboard only: the skip link goes to the terminal; ? lists the shortcuts');
    await page.evaluate(() => document.activeElement.blur());
    await page.keyboard.press('?');
    await visible(page.getByRole('dialog', { name: 'Keyboard shortcuts' }), 'the shortcuts dialog');
    await page.keyboard.press('Escape');
    await eventually('the shortcuts dialog to close', async () => (await page.getByRole('dialog').count()) === 0);
    await page.goto(`${BASE}/devices/${id}/terminal/console`);
    await eventually('the terminal to be live again', async () => (await page.locator('.term-pane').getAttribute('data-state')) === 'live');
    const skip = page.getByRole('link', { name: 'Skip to the terminal' });
    await skip.focus();
    await visible(skip, 'the skip link when focused');
    await page.keyboard.press('Enter');
    await eventually('the terminal input focused', async () => page.evaluate(() => document.activeElement?.classList.contains('xterm-helper-textarea') ?? false));
    await page.keyboard.press('Control+Shift+E');
    await eventually('Ctrl+Shift+E to leave the terminal', async () => page.evaluate(() => document.activeElement?.textContent === 'Tools'));
  },

  async dashboard(browser) {
    const { ctx, page } = await signedIn(browser, DESKTOP, '/');
    await visible(page.getByRole('heading', { name: 'Overview' }), 'the Overview heading');
    const count = (kind) => page.locator(`[data-count="${kind}"]`).textContent().then(Number);
    await eventually('the counts to show', async () => (await page.locator('[data-count="never"]').count()) === 1);
    await page.evaluate(() => (window.__notReloaded = true));
    const online = await count('online');
    const offline = await count('offline');
    const never = await count('never');
    if (never < 1) fail(`the new device is not counted as never seen (${never})`);

    step('the agent connects: online goes up and never seen down, without a reload');
    await test('startAgent');
    await eventually('online +1, never seen −1', async () => ((await count('online')) === online + 1 && (await count('never')) === never - 1 ? true : { online: await count('online'), never: await count('never') }), 30_000);
    await visible(page.getByRole('link', { name: new RegExp(`^${online + 1} online in `) }), 'the per-group online figure');

    step('a terminal opens in another tab: the live sessions go up by one, without a reload; it closes: back down');
    const sessions = () => page.locator('[data-count="sessions"]').textContent().then(Number);
    const liveBefore = await sessions();
    const terminal = await newPage(ctx, 'dashboard-terminal');
    await terminal.goto(`${BASE}/devices/${required('DEVICE_ID')}/terminal/console`);
    await eventually('the terminal to be live', async () => (await terminal.locator('.term-pane').getAttribute('data-state')) === 'live');
    await eventually('live sessions +1', async () => (await sessions()) === liveBefore + 1 || { sessions: await sessions() }, 30_000);
    await visible(page.locator('.dash-item', { hasText: `${required('DEVICE_NAME')}/console controlled by admin` }), 'the new session and who controls it');
    await terminal.close();
    await eventually('live sessions back down', async () => (await sessions()) === liveBefore || { sessions: await sessions() }, 30_000);
    if ((await page.locator('.dash-item', { hasText: `${required('DEVICE_NAME')}/console` }).count()) !== 0) fail('the ended session is still listed');

    step('the agent leaves: online goes back down and offline up, without a reload');
    await test('killAgent');
    await eventually('online back, offline +1', async () => ((await count('online')) === online && (await count('offline')) === offline + 1 ? true : { online: await count('online'), offline: await count('offline') }), 60_000);
    if (!(await page.evaluate(() => window.__notReloaded === true))) fail('the page was reloaded');

    step('every figure links to the filtered list');
    await page.locator('a.tile-offline').click();
    await eventually('the fleet filtered to offline devices', async () => new URL(page.url()).search === '?online=false' || page.url());
    await visible(page.getByRole('heading', { name: 'Devices' }), 'the fleet');
    await page.getByLabel('Sort by').selectOption('seen');
    await eventually('the order in the URL', async () => new URL(page.url()).search === '?online=false&sort=seen' || page.url());
  },

  async axe(browser) {
    const id = required('DEVICE_ID');
    const violations = [];
    mkdirSync(join(SHOTS, 'pages'), { recursive: true });
    for (const viewport of SIZES) {
      const { ctx, page } = await signedIn(browser, viewport, '/', { colorScheme: 'light', bypassCSP: true });
      const size = `${viewport.width}x${viewport.height}`;
      step(`${size}: every page, in the system's light then dark setting (followed without a reload)`);
      for (const [name, path] of pages(id)) {
        await page.emulateMedia({ colorScheme: 'light' });
        await open(page, path);
        for (const colorScheme of ['light', 'dark']) {
          await page.emulateMedia({ colorScheme });
          await eventually(`${name} to follow the system's ${colorScheme} setting`, async () => {
            const theme = await page.evaluate(() => document.documentElement.dataset.theme);
            return theme === colorScheme || `data-theme is ${theme}`;
          });
          await page.screenshot({ path: join(SHOTS, 'pages', `${name}-${size}-${colorScheme}.png`), fullPage: !path.includes('/terminal/') });
          violations.push(...(await axe(page, `${name} ${size} ${colorScheme}`)));
        }
      }
      await ctx.close();
    }
    step('the sign-in page, both themes');
    for (const colorScheme of ['light', 'dark']) {
      const ctx = await context(browser, DESKTOP, { colorScheme, bypassCSP: true });
      const page = await newPage(ctx, 'sign-in');
      await page.goto(`${BASE}/sign-in`);
      await visible(page.getByRole('heading', { name: 'Sign in to Tether' }), 'the sign-in heading');
      await page.screenshot({ path: join(SHOTS, 'pages', `sign-in-1280x800-${colorScheme}.png`) });
      violations.push(...(await axe(page, `sign-in ${colorScheme}`)));
      await ctx.close();
    }
    if (violations.length > 0) fail(`axe-core found ${violations.length} serious or critical violations:\n${violations.join('\n')}`);

    step('the theme switch overrides the system and is remembered');
    const { page } = await signedIn(browser, DESKTOP, '/', { colorScheme: 'light' });
    await page.getByRole('button', { name: 'Theme: system' }).click();
    await eventually('dark after the switch', async () => (await page.evaluate(() => document.documentElement.dataset.theme)) === 'dark');
    await page.reload();
    await visible(page.getByRole('button', { name: 'Theme: dark' }), 'the remembered choice');
    if ((await page.evaluate(() => document.documentElement.dataset.theme)) !== 'dark') fail('the dark choice was not remembered');
  },
};

run('responsive', scenarios);
