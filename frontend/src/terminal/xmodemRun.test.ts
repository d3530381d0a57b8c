import { describe, expect, it } from 'vitest';
import type { TransferOutcome, TransferProgress } from './fileTransfer';
import { RETIRE_MS, type XmodemIn, type XmodemOut, type XmodemPort, XmodemRun } from './xmodemRun';

/** A worker stand-in: what the page posted, and a way to answer as the worker. */
function fakePort() {
  const posted: XmodemIn[] = [];
  let terminated = false;
  const port: XmodemPort = {
    postMessage: (message) => posted.push(message),
    onmessage: null,
    terminate: () => (terminated = true),
  };
  const answer = (m: XmodemOut) => port.onmessage?.({ data: m } as MessageEvent<XmodemOut>);
  return { port, posted, answer, terminated: () => terminated };
}

describe('XmodemRun', () => {
  it('relays the device to the worker and the worker to the device, then reports and ends the worker', async () => {
    const { port, posted, answer, terminated } = fakePort();
    const device: number[] = [];
    const terminal: number[] = [];
    const progress: (TransferProgress & { retries: number })[] = [];
    const finished: [TransferOutcome, string][] = [];
    const run = new XmodemRun(port, 'fw.bin', {
      toDevice: (bytes) => (device.push(...bytes), true),
      toTerminal: (bytes) => terminal.push(...bytes),
      progress: (p) => progress.push(p),
      finished: (outcome, detail) => finished.push([outcome, detail]),
    });
    run.start('xmodem-1k', new ArrayBuffer(2048), 0);
    expect(posted[0]).toMatchObject({ type: 'start', protocol: 'xmodem-1k', name: 'fw.bin' });
    run.receive(Uint8Array.of(0x43));
    expect(posted[1]).toEqual({ type: 'receive', bytes: Uint8Array.of(0x43) });
    answer({ type: 'send', bytes: Uint8Array.of(1, 2) });
    answer({ type: 'progress', done: 1024, total: 2048, retries: 1 });
    answer({ type: 'rest', bytes: new TextEncoder().encode('$ ') }); // the prompt after the end
    answer({ type: 'finished', outcome: 'complete', detail: '' });
    answer({ type: 'send', bytes: Uint8Array.of(9) }); // nothing after the end
    answer({ type: 'rest', bytes: Uint8Array.of(0x41) }); // forwarded before the page knew
    expect(String.fromCharCode(...terminal)).toBe('$ A');
    expect(device).toEqual([1, 2]);
    expect(progress.at(-1)).toEqual({ direction: 'upload', name: 'fw.bin', size: 2048, done: 1024, retries: 1 });
    expect(finished).toEqual([['complete', '']]);
    expect(run.running).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, RETIRE_MS + 50));
    expect(terminated()).toBe(true);
  });
});
