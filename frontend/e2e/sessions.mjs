// End-to-end scenario of shared sessions in headless Chromium (Debian's /usr/bin/chromium-headless-shell, driven by
// playwright-core), against the packaged portal, a real agent process and a socat PTY as the serial
// device. Launched by src/test/java/io/tether/web/SessionsBrowserIT:
//   node e2e/sessions.mjs SCENARIO   (settings in environment variables)
// Two operators share one serial console (controller and observer, hand over, take over), an admin
// ends the session from the Sessions page, replays its recording and finds it on the device page.
// What only the test can do (read and write the serial line, read the audit log) is asked for on
// stdout as "@@tether {json}" and answered on stdin (BrowserDialogue.java). Controls are found by
// role and accessible name; terminals are read through their DOM renderer's rows and the test hook
// window.__tether.terminals[i].
// Prints one line per step; exits 1 with the reason (and a screenshot) when a step fails.

import { BASE, eventually, fail, hasText, required, screenshot, step, visible } from './helpers.mjs';
import {
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

const OBSERVING = 'You are observing: take over to type';

/** Waits until the terminal's sharing bar and the hook both say {@code role}, controlled by {@code controller}. */
async function sharing(page, label, role, controller, who) {
  const bar = sharingBar(page, label);
  await hasText(bar.locator('.role-badge'), role === 'controller' ? 'Controlling' : 'Observing (read only)', `the role badge of ${who}`);
  await hasText(bar, `Controlled by ${controller}`, `who controls, as ${who}'s terminal says`);
  await eventually(`${who}'s role through the hook`, async () => {
    const now = await hook(page, label, (t) => ({ role: t.role(), controller: t.session()?.controller ?? null }));
    return now.role === role && now.controller === controller ? true : now;
  });
  const takeOver = await bar.getByRole('button', { name: 'Take over' }).isVisible();
  if (takeOver !== (role === 'observer')) fail(`${who} ${takeOver ? 'is offered' : 'is not offered'} Take over as ${role}`);
}

/** Types {@code text} into an observer's terminal: the page says it is observing, and nothing is sent. */
async function observerTypes(page, label, text, who) {
  const before = await hook(page, label, (t) => t.stats().bytesOut);
  await focusTerminal(page, label);
  await typeInto(page, text);
  await hasText(notice(page, label), OBSERVING, `${who}'s notice`);
  const after = await hook(page, label, (t) => t.stats().bytesOut);
  if (after !== before) fail(`${who}'s terminal sent ${after - before} bytes while observing`);
}

/** The replay terminal's visible rows as its DOM renderer shows them. */
async function replayRows(page) {
  return page
    .getByRole('group', { name: 'Replay' })
    .locator('.xterm-rows')
    .evaluate((rows) => [...rows.children].map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd()).join('\n'));
}

const scenarios = {
  /**
   * Two operators on one serial console: the second observes and cannot type, control is handed
   * over and taken back (audited), an admin ends the session from the Sessions page, both terminals
   * say so, the session's page replays the recording, and the device page lists the session.
   */
  async sharing(browser) {
    const id = required('DEVICE_ID');
    const name = required('DEVICE_NAME');
    const first = required('FIRST_USERNAME');
    const second = required('SECOND_USERNAME');
    const label = `${name}/console`;
    const terminalPath = `/devices/${id}/terminal/console`;

    step('the first operator opens the console: the controller');
    const a = await newPage(await newContext(browser), 'first');
    await signIn(a, first, required('FIRST_PASSWORD'), terminalPath);
    await terminalState(a, label, 'live', "the first operator's terminal to be live");
    await sharing(a, label, 'controller', first, 'the first operator');
    await hasText(sharingBar(a, label), 'Recording output', 'the recording notice (the group records output)');

    step('the second operator opens the same console: an observer in the same session');
    const b = await newPage(await newContext(browser), 'second');
    await signIn(b, second, required('SECOND_PASSWORD'), terminalPath);
    await terminalState(b, label, 'live', "the second operator's terminal to be live");
    await sharing(b, label, 'observer', first, 'the second operator');
    for (const [page, who] of [
      [a, 'the first operator'],
      [b, 'the second operator'],
    ]) {
      const people = sharingBar(page, label).getByRole('list', { name: 'Participants' });
      await hasText(people, `${first} (controller`, `the controller in ${who}'s participants`);
      await hasText(people, `${second} (observer`, `the observer in ${who}'s participants`);
    }
    let sessionId = null;
    await eventually('the session id in both terminals', async () => {
      sessionId = await hook(a, label, (t) => t.sessionId());
      const other = await hook(b, label, (t) => t.sessionId());
      return sessionId !== null && other === sessionId ? true : { first: sessionId, second: other };
    });
    step(`both operators are in session ${sessionId}`);

    step("the device's output shows in both terminals");
    await devicePrints('boot: sessions-e2e ready ✓\r\n');
    await terminalShows(a, label, 'boot: sessions-e2e ready ✓');
    await terminalShows(b, label, 'boot: sessions-e2e ready ✓');

    step("the observer cannot type: only the controller's keys reach the device");
    await observerTypes(b, label, 'observer keys\r', 'the second operator');
    await focusTerminal(a, label);
    await typeInto(a, 'controller keys\r');
    await deviceReceives('controller keys\r');
    await screenshot(a, 'sessions-controller.png');
    await screenshot(b, 'sessions-observer.png');

    step('the controller hands over to the second operator: the roles swap on both pages');
    const barA = sharingBar(a, label);
    await barA.getByLabel('Hand over to').selectOption({ label: second });
    await barA.getByRole('button', { name: 'Hand over' }).click();
    await sharing(b, label, 'controller', second, 'the second operator');
    await sharing(a, label, 'observer', second, 'the first operator');
    await hasText(sharingBar(b, label), 'You were handed control: you can type.', "the second operator's sharing notice");
    await test('auditEntry', { action: 'session.hand-over', actor: first, detail: `to ${second}` });

    step("the new controller's typing reaches the device byte-exact; the old one's does not");
    await observerTypes(a, label, 'old controller keys\r', 'the first operator');
    await focusTerminal(b, label);
    await typeInto(b, 'handed over: grüße € 😀\r');
    await deviceReceives('handed over: grüße € 😀\r');
    await screenshot(b, 'sessions-handed-over.png');

    step('the first operator takes over: the roles swap back, and the take-over is audited');
    await barA.getByRole('button', { name: 'Take over' }).click();
    await sharing(a, label, 'controller', first, 'the first operator');
    await sharing(b, label, 'observer', first, 'the second operator');
    await hasText(sharingBar(b, label), `${first} took control: you are observing.`, "the second operator's sharing notice");
    const takeOver = await test('auditEntry', { action: 'session.take-over', actor: first, detail: `from ${second}` });
    step(`audit: ${takeOver.action} by ${takeOver.actor} on ${takeOver.subject} (${takeOver.detail})`);
    await focusTerminal(a, label);
    await typeInto(a, 'taken back\r');
    await deviceReceives('taken back\r');
    await devicePrints('after take-over: counter 42\r\n');
    await terminalShows(a, label, 'after take-over: counter 42');
    await terminalShows(b, label, 'after take-over: counter 42');

    step('an admin finds the live session on the Sessions page (Live only)');
    const admin = await newPage(await newContext(browser), 'admin');
    await signIn(admin, 'admin', required('ADMIN_PASSWORD'));
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions', exact: true }).click();
    await visible(admin.getByRole('heading', { name: 'Sessions', level: 1 }), 'the Sessions heading');
    await admin.getByLabel('Live only').check();
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    await eventually('the Live only filter in the URL', async () => new URL(admin.url()).search.includes('live=true') || admin.url());
    const sessionLink = admin.getByRole('link', { name: `Session ${sessionId} on ${label}`, exact: true });
    await visible(sessionLink, `the link to session ${sessionId}`);
    const row = admin.locator('tbody tr', { has: sessionLink });
    await hasText(row.locator('.badge'), 'live', 'the state of the session in the list');
    await hasText(row, first, 'the first operator among the participants in the list');
    await hasText(row, second, 'the second operator among the participants in the list');
    await screenshot(admin, 'sessions-list.png');

    step('the admin opens the session and ends it');
    await sessionLink.click();
    await eventually('the session page URL', async () => new URL(admin.url()).pathname === `/sessions/${sessionId}` || admin.url());
    await visible(admin.getByRole('heading', { name: `Session ${sessionId}`, exact: true }), 'the session heading');
    const details = admin.getByLabel('Session details');
    await hasText(details.locator('.badge'), 'live', 'the state on the session page');
    await admin.getByRole('button', { name: 'End session', exact: true }).click();
    const dialog = admin.getByRole('dialog');
    await visible(dialog, 'the confirmation dialog');
    await dialog.getByRole('button', { name: 'End the session', exact: true }).click();

    step('both operators see their terminal closed, ended by the admin');
    for (const [page, who] of [
      [a, 'the first operator'],
      [b, 'the second operator'],
    ]) {
      await terminalState(page, label, 'closed', `${who}'s terminal to close`);
      await hasText(statusLine(page, label), 'ended-by-admin', `the reason on ${who}'s page`);
      if (await sharingBar(page, label).isVisible()) fail(`${who}'s sharing bar still shows after the session ended`);
      if ((await hook(page, label, (t) => t.role())) !== null) fail(`${who}'s terminal still has a role after the session ended`);
    }
    await screenshot(b, 'sessions-ended-terminal.png');

    step("the admin's session page shows the session ended");
    await hasText(details, 'ended-by-admin', 'the close reason on the session page');
    await hasText(details.locator('.badge'), 'ended', 'the state on the session page');
    if ((await admin.getByRole('button', { name: 'End session', exact: true }).count()) !== 0) fail('an ended session still offers End session');
    for (const [link, format] of [
      ['Download raw', 'raw'],
      ['Download cast', 'cast'],
      ['Download transcript', 'text'],
    ]) {
      const href = await admin.getByRole('link', { name: link, exact: true }).getAttribute('href');
      if (href !== `/api/sessions/${sessionId}/recording?format=${format}`) fail(`${link} links to ${href}`);
    }
    const transcript = await admin.request.get(`${BASE}/api/sessions/${sessionId}/recording?format=text`);
    if (transcript.status() !== 200) fail(`the transcript answered ${transcript.status()}`);
    const text = await transcript.text();
    if (!text.includes('boot: sessions-e2e ready ✓') || !text.includes('after take-over: counter 42')) {
      fail(`the transcript lacks the device's lines: ${JSON.stringify(text)}`);
    }

    step('the replay plays the recording at 8×');
    const replay = admin.getByRole('group', { name: 'Replay' });
    await visible(replay, 'the replay player');
    await replay.getByLabel('Speed').selectOption('8');
    const play = replay.getByRole('button', { name: 'Play', exact: true });
    await play.click();
    await terminalShowsIn('the replay', () => replayRows(admin), 'boot: sessions-e2e ready ✓');
    await terminalShowsIn('the replay', () => replayRows(admin), 'after take-over: counter 42');
    await visible(replay.getByRole('button', { name: 'Play', exact: true }), 'Play again once the replay reached its end');
    await eventually('the replay clock at the end', async () => {
      const clock = (await replay.locator('.replay-clock').textContent()) ?? '';
      const [at, of] = clock.split(' / ');
      return at && at === of ? true : clock;
    });
    await screenshot(admin, 'sessions-replay.png');

    step('the device page lists the session under Recent sessions');
    await details.getByRole('link', { name, exact: true }).click();
    await eventually('the device page URL', async () => new URL(admin.url()).pathname === `/devices/${id}` || admin.url());
    const recent = admin.getByRole('region', { name: 'Recent sessions' });
    await visible(recent, 'the Recent sessions section');
    const recentRow = recent.locator('tbody tr', { has: admin.getByRole('link', { name: `Session ${sessionId} on ${label}`, exact: true }) });
    await visible(recentRow, `session ${sessionId} under Recent sessions`);
    await hasText(recentRow.locator('.badge'), 'ended', 'the state under Recent sessions');
    // one span per role: a hand-over and a take-over show as each operator having had both roles
    await hasText(recentRow, `${first} (controller, observer)`, 'the participants under Recent sessions');
    await hasText(recentRow, `${second} (observer, controller)`, 'the participants under Recent sessions');
    await screenshot(admin, 'sessions-device.png');

    step("an operator closing the ended terminal lands on the device page, which lists the session too");
    await a.getByRole('button', { name: `Close terminal ${label}` }).click();
    await eventually('the device page after closing the last tab', async () => new URL(a.url()).pathname === `/devices/${id}` || a.url());
    const mine = a.getByRole('region', { name: 'Recent sessions' });
    await hasText(
      mine.locator('tbody tr', { has: a.getByRole('link', { name: `Session ${sessionId} on ${label}`, exact: true }) }),
      `${second} (observer, controller)`,
      "the session in the operator's Recent sessions",
    );
  },
};

/** Waits until {@code read()} (rows of a terminal) shows {@code text}. */
async function terminalShowsIn(what, read, text) {
  await eventually(`${what} to show ${JSON.stringify(text)}`, async () => {
    const rows = await read();
    return rows.includes(text) ? true : rows.split('\n').filter(Boolean).slice(-4).join(' ⏎ ');
  });
}

run('sessions', scenarios);
