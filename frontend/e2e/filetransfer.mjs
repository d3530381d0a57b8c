// End-to-end scenario of ZMODEM file transfer in the web terminal, in headless Chromium (Debian's
// /usr/bin/chromium-headless-shell, driven by playwright-core), against the packaged portal, a real agent and a
// device that is bash with Debian's lrzsz on a socat PTY. Launched by
// src/test/java/io/tether/web/FileTransferIT:
//   node e2e/filetransfer.mjs zmodem   (settings in environment variables)
// The controller downloads with `sz` (byte-exact), uploads with `rz` (byte-exact, checked on the
// device by the test) and cancels an upload midway (the shell answers after it); the observer sees
// the portal's note instead of the binary, sends nothing, and is refused a take-over mid-transfer.
// Prints one line per step; exits 1 with the reason (and a screenshot) when a step fails.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eventually, fail, hasText, required, screenshot, step } from './helpers.mjs';
import { focusTerminal, hook, newContext, newPage, panel, run, sharingBar, signIn, terminalShows, terminalState, test, typeInto } from './terminalHelpers.mjs';

/** A download of 2 MiB through zmodem.js on a loaded 2-core machine: generous, it is a hang guard. */
const TRANSFER_TIMEOUT = 90_000;

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

/** The terminal's file transfer line. */
const transferLine = (page, label) => panel(page, label).locator('.term-transfer');

async function role(page, label, expected, who) {
  await eventually(`${who} to be ${expected}`, async () => {
    const now = await hook(page, label, (t) => t.role());
    return now === expected ? true : now;
  });
}

async function bytesOut(page, label) {
  return hook(page, label, (t) => t.stats().bytesOut);
}

/**
 * Starts a receiver with {@code command} (it says {@code ready}), then sends {@code path} from the
 * serial settings' Send file.
 */
async function sendFile(page, label, command, ready, protocol, path) {
  const name = path.split('/').at(-1);
  await focusTerminal(page, label);
  await typeInto(page, `${command}\r`);
  await terminalShows(page, label, ready);
  const settings = panel(page, label).locator('details.serial-panel');
  if (!(await settings.evaluate((d) => d.open))) await settings.locator('summary').click();
  const form = settings.getByRole('form', { name: 'Send file' });
  await form.getByLabel('Protocol').selectOption({ label: protocol });
  await form.getByLabel('File to send').setInputFiles(path);
  const started = Date.now();
  await form.getByRole('button', { name: 'Send file' }).click();
  await hasText(transferLine(page, label), `Sent ${name}.`, `the ${protocol} send`, TRANSFER_TIMEOUT);
  step(`${protocol}: sent ${name} in ${Date.now() - started} ms`);
}

const scenarios = {
  async zmodem(browser) {
    const name = required('DEVICE_NAME');
    const label = `${name}/console`;
    const terminalPath = `/devices/${required('DEVICE_ID')}/terminal/console`;

    step('the first operator opens the console (controller), the second joins (observer)');
    const a = await newPage(await newContext(browser), 'controller');
    await signIn(a, required('FIRST_USERNAME'), required('FIRST_PASSWORD'), terminalPath);
    await terminalState(a, label, 'live', "the controller's terminal to be live");
    await role(a, label, 'controller', 'the first operator');
    const b = await newPage(await newContext(browser), 'observer');
    await signIn(b, required('SECOND_USERNAME'), required('SECOND_PASSWORD'), terminalPath);
    await terminalState(b, label, 'live', "the observer's terminal to be live");
    await role(b, label, 'observer', 'the second operator');
    await focusTerminal(a, label);
    await typeInto(a, 'echo ready-$((6*7))\r');
    await terminalShows(a, label, 'ready-42');
    await terminalShows(b, label, 'ready-42');
    const observerSent = await bytesOut(b, label);

    step('sz file.bin: the controller gets the 2 MiB file byte-exact as a download');
    const started = Date.now();
    const [download] = await Promise.all([a.waitForEvent('download', { timeout: TRANSFER_TIMEOUT }), typeInto(a, 'sz file.bin\r')]);
    if (download.suggestedFilename() !== 'file.bin') fail(`the download is named ${download.suggestedFilename()}`);
    const got = sha256(readFileSync(await download.path()));
    if (got !== required('DOWNLOAD_SHA256')) fail(`the downloaded file differs: sha256 ${got}`);
    step(`downloaded 2 MiB in ${Date.now() - started} ms`);
    await hasText(transferLine(a, label), 'Received file.bin.', "the controller's transfer line", TRANSFER_TIMEOUT);
    await terminalShows(b, label, '[ZMODEM: file.bin, 2.0 MiB, device → user]');
    await terminalShows(b, label, '[ZMODEM: complete]');
    if ((await bytesOut(b, label)) !== observerSent) fail("the observer's browser sent bytes during the transfer");
    if (await transferLine(b, label).isVisible()) fail('the observer was offered the transfer');
    await typeInto(a, 'echo after-download\r');
    await terminalShows(a, label, 'after-download');
    await screenshot(b, 'filetransfer-observer.png');

    step('rz: while the device waits for a file, a take-over is refused');
    await typeInto(a, 'rz\r');
    await hasText(transferLine(a, label), 'The device waits for files (rz)', "the controller's file picker");
    await sharingBar(b, label).getByRole('button', { name: 'Take over' }).click();
    await hasText(sharingBar(b, label), 'Refused: a file transfer (ZMODEM) is running', "the observer's refusal");
    await role(b, label, 'observer', 'the second operator, still');
    await screenshot(a, 'filetransfer-picker.png');

    step('the controller picks upload.bin: it lands on the device byte-exact');
    await transferLine(a, label).locator('input[type=file]').setInputFiles(required('UPLOAD_PATH'));
    await hasText(transferLine(a, label), 'Sent upload.bin.', "the controller's transfer line", TRANSFER_TIMEOUT);
    const landed = await test('deviceFile', { name: 'upload.bin', size: Number(required('UPLOAD_SIZE')) });
    if (landed !== required('UPLOAD_SHA256')) fail(`upload.bin on the device differs: sha256 ${landed}`);
    await typeInto(a, 'echo after-upload\r');
    await terminalShows(a, label, 'after-upload');

    step('rz again, a big file, cancelled midway: the shell answers afterwards');
    await typeInto(a, 'rz\r');
    await hasText(transferLine(a, label), 'The device waits for files (rz)', "the controller's file picker");
    await transferLine(a, label).locator('input[type=file]').setInputFiles(required('BIG_PATH'));
    await eventually('the big upload under way', async () => {
      const text = (await transferLine(a, label).locator('.term-transfer-text').textContent()) ?? '';
      return /Sending big\.bin .*: [1-9]/.test(text) ? true : text;
    });
    await transferLine(a, label).getByRole('button', { name: 'Cancel' }).click();
    await hasText(transferLine(a, label), 'Cancelled big.bin', "the controller's transfer line");
    // rz reads what was already on its way, then aborts, flushes its input and exits: keys typed
    // before that are flushed with it, so the user (like this test) types again until the shell answers
    let answered = false;
    for (let attempt = 1; attempt <= 10 && !answered; attempt++) {
      await typeInto(a, 'echo still-$((6*7))\r'); // the keys are the terminal's again, without a click
      answered = await terminalShows(a, label, 'still-42', 3_000).then(
        () => true,
        () => false,
      );
      if (!answered) step(`the shell did not answer yet (attempt ${attempt})`);
    }
    if (!answered) fail('the shell never answered after the cancelled upload');
    await terminalShows(b, label, 'still-42', 30_000);
    await screenshot(a, 'filetransfer-cancelled.png');

    step('rx -c: Send file with XMODEM-1K lands byte-exact, padded with SUB to 1 KiB blocks');
    await sendFile(a, label, 'rx -c fw.bin', 'rx: ready to receive fw.bin', 'XMODEM-1K', required('FW_PATH'));
    const fw = await test('deviceFile', { name: 'fw.bin', size: Number(required('FW_PADDED_SIZE')) });
    if (fw !== required('FW_PADDED_SHA256')) fail(`fw.bin on the device differs: sha256 ${fw}`);

    step('rb: Send file with YMODEM lands byte-exact (its size from block 0)');
    await typeInto(a, 'echo after-xmodem\r'); // Send file's button had the focus: the end gives it back
    await terminalShows(a, label, 'after-xmodem'); // the prompt after rx reached the screen
    await sendFile(a, label, 'rb', 'rb waiting to receive', 'YMODEM', required('YM_PATH'));
    const ym = await test('deviceFile', { name: 'ymodem.bin', size: Number(required('YM_SIZE')) });
    if (ym !== required('YM_SHA256')) fail(`ymodem.bin on the device differs: sha256 ${ym}`);
    await typeInto(a, 'echo after-ymodem\r');
    await terminalShows(a, label, 'after-ymodem');
  },
};

run('filetransfer', scenarios);
