import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileTransfers, type TransferDirection, type TransferOutcome, type TransferProgress } from './fileTransfer';

// The controller's ZMODEM transfers over byte streams recorded from Debian's lrzsz (the same the
// portal's ZmodemWatcherTest reads), and against a live sz/rz where lrzsz is installed.

const RECORDINGS = new URL('../../../src/test/resources/io/tether/session/zmodem/', import.meta.url);
const SMALL = new Uint8Array(readFileSync(new URL('small.bin', RECORDINGS)));
const CAN = 0x18;

interface Write {
  output: boolean;
  data: Uint8Array;
}

/** A recording: records of 'O' (device output) or 'I' (input), a 32-bit big-endian length, the bytes. */
function load(name: string): Write[] {
  const b = new Uint8Array(readFileSync(new URL(`${name}.zlog`, RECORDINGS)));
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const writes: Write[] = [];
  for (let at = 0; at < b.length; ) {
    const length = view.getUint32(at + 1);
    writes.push({ output: b[at] === 0x4f, data: b.slice(at + 5, at + 5 + length) });
    at += 5 + length;
  }
  return writes;
}

function setup(options: { controlling?: boolean; files?: File[] | null } = {}) {
  const terminal: number[] = [];
  const device: number[] = [];
  const received: { name: string; data: Blob }[] = [];
  const finished: [TransferDirection, TransferOutcome, string][] = [];
  const progress: TransferProgress[] = [];
  const transfers = new FileTransfers(
    {
      toTerminal: (bytes) => terminal.push(...bytes),
      toDevice: (bytes) => {
        device.push(...bytes);
        return true;
      },
      controlling: () => options.controlling ?? true,
      buffered: () => 0,
    },
    {
      chooseFiles: () => Promise.resolve(options.files === undefined ? null : options.files),
      progress: (p) => progress.push({ ...p }),
      received: (name, data) => received.push({ name, data }),
      finished: (direction, outcome, detail) => finished.push([direction, outcome, detail]),
    },
  );
  const text = () => String.fromCharCode(...terminal);
  return { transfers, terminal, device, received, finished, progress, text };
}

async function bytesOf(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('FileTransfers over recorded lrzsz streams', () => {
  it('downloads what sz sends byte-exact, and the shell after it is the terminal\'s', async () => {
    const t = setup();
    for (const w of load('download')) if (w.output) t.transfers.push(w.data);
    await settle();
    expect(t.received.map((r) => r.name)).toEqual(['small.bin']);
    expect(await bytesOf(t.received[0].data)).toEqual(SMALL);
    expect(t.finished).toEqual([['download', 'complete', '']]);
    expect(t.text()).toBe('sz small.bin\r\nrz\r\r\n$ ');
    expect(t.progress.at(-1)).toEqual({ direction: 'download', name: 'small.bin', size: 3000, done: 3000 });
    expect(t.device.slice(0, 5)).toEqual([0x2a, 0x2a, CAN, 0x42, 0x30]); // it answered: ZRINIT
  });

  it('ends a download complete when the device never says "OO"', async () => {
    const t = setup();
    const writes = load('download').filter((w) => !(w.output && String.fromCharCode(...w.data) === 'OO'));
    for (const w of writes) if (w.output) t.transfers.push(w.data);
    await settle();
    expect(await bytesOf(t.received[0].data)).toEqual(SMALL);
    expect(t.finished).toEqual([['download', 'complete', '']]);
    expect(t.text().endsWith('\r\n$ ')).toBe(true);
    expect(t.transfers.active).toBe(false);
  });

  it('cancel sends ZMODEM\'s abort and hands the stream back to the terminal', () => {
    const t = setup();
    const writes = load('download').filter((w) => w.output);
    writes.slice(0, 3).forEach((w) => t.transfers.push(w.data)); // into the file's data
    expect(t.transfers.active).toBe(true);
    t.transfers.cancel();
    expect(t.device.slice(-10, -5)).toEqual([CAN, CAN, CAN, CAN, CAN]);
    expect(t.finished).toEqual([['download', 'cancelled', '']]);
    t.transfers.push(Uint8Array.from([CAN, CAN, CAN, CAN, CAN, 8, 8, ...new TextEncoder().encode('\r\n$ ')])); // sz's own abort
    expect(t.text().endsWith('rz\r\r\n$ ')).toBe(true);
  });

  it('after a cancelled download, what the device still sends is dropped until its own abort', () => {
    const t = setup();
    const writes = load('download').filter((w) => w.output);
    writes.slice(0, 3).forEach((w) => t.transfers.push(w.data));
    t.transfers.cancel();
    t.transfers.push(writes[3].data); // file data that was on its way
    const lrzszAbort = [...Array<number>(10).fill(CAN), ...Array<number>(10).fill(8)];
    t.transfers.push(Uint8Array.from([...lrzszAbort, ...new TextEncoder().encode('\r\n$ ')]));
    expect(t.text()).toBe('sz small.bin\r\nrz\r\r\n$ ');
  });

  it('an observer never answers ZMODEM frames: its bytes go to the screen', () => {
    const t = setup({ controlling: false });
    for (const w of load('download')) if (w.output) t.transfers.push(w.data);
    expect(t.device).toEqual([]);
    expect(t.finished).toEqual([]);
  });

  it('the device waiting for a file (rz) is cancelled when the user picks none', async () => {
    const t = setup({ files: null });
    t.transfers.push(load('upload')[2].data); // rz's ZRINIT
    await settle();
    expect(t.finished).toEqual([['upload', 'cancelled', '']]);
    expect(t.device.slice(0, 5)).toEqual([CAN, CAN, CAN, CAN, CAN]);
  });
});

const lrzsz = existsSync('/usr/bin/sz') && existsSync('/usr/bin/rz');

/** sz or rz as the device, its stdin and stdout joined to the transfers. */
function device(command: string, args: string[], cwd: string, t: ReturnType<typeof setup>) {
  const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'ignore'] });
  let sent = 0;
  const pump = setInterval(() => {
    if (t.device.length > sent) {
      child.stdin.write(Uint8Array.from(t.device.slice(sent)));
      sent = t.device.length;
    }
  }, 1);
  child.stdout.on('data', (chunk: Buffer) => t.transfers.push(new Uint8Array(chunk)));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      clearInterval(pump);
      resolve(code);
    }),
  );
  return { exited };
}

describe.skipIf(!lrzsz)('FileTransfers against live lrzsz', () => {
  const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7919 + (i >> 8)) & 0xff);

  it('downloads from sz byte-exact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zm-'));
    writeFileSync(join(dir, 'big.bin'), big);
    const t = setup();
    const sz = device('sz', ['big.bin'], dir, t);
    expect(await sz.exited).toBe(0);
    await settle();
    expect(await bytesOf(t.received[0].data)).toEqual(big);
    expect(t.finished).toEqual([['download', 'complete', '']]);
  });

  it('uploads to rz byte-exact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zm-'));
    const t = setup({ files: [new File([big], 'up.bin')] });
    const rz = device('rz', ['-y'], dir, t);
    expect(await rz.exited).toBe(0);
    expect(new Uint8Array(readFileSync(join(dir, 'up.bin')))).toEqual(big);
    expect(t.finished).toEqual([['upload', 'complete', '']]);
  });

  it('cancel during an upload aborts rz and leaves the stream to the terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zm-'));
    const t = setup({ files: [new File([big], 'up.bin')] });
    const rz = device('rz', ['-y'], dir, t);
    while (!t.progress.some((p) => p.done > 0)) await settle();
    t.transfers.cancel();
    expect(t.finished).toEqual([['upload', 'cancelled', '']]);
    expect(await rz.exited).not.toBe(0);
    t.transfers.push(new TextEncoder().encode('\r\n$ '));
    expect(t.text().endsWith('\r\n$ ')).toBe(true);
  });
});
