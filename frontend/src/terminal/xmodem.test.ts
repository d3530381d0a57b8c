import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { block, crc16, MAX_TRIES, XmodemSender, type XmodemOutcome, type XmodemProtocol } from './xmodem';

const ACK = 0x06;
const NAK = 0x15;
const C = 0x43;

/** A sender whose timers the test fires by hand. */
function setup(protocol: XmodemProtocol, data: Uint8Array) {
  const sent: Uint8Array[] = [];
  const finished: [XmodemOutcome, string][] = [];
  const timers: (() => void)[] = [];
  const sender = new XmodemSender(protocol, 'fw.bin', data, {
    send: (bytes) => sent.push(bytes),
    progress: () => {},
    finished: (outcome, detail) => finished.push([outcome, detail]),
    timer: (_ms, fn) => {
      timers.push(fn);
      return () => timers.splice(timers.indexOf(fn), 1);
    },
  });
  return { sender, sent, finished, timers };
}

describe('XmodemSender', () => {
  it('computes CRC-16/XMODEM', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x31c3);
  });

  it('pads the last XMODEM block with SUB and numbers blocks from 1', () => {
    const b = block(1, Uint8Array.of(0x41), 128, true);
    expect([b[0], b[1], b[2], b[3], b[4], b[130]]).toEqual([0x01, 1, 0xfe, 0x41, 0x1a, 0x1a]);
    expect(b.length).toBe(133);
  });

  it('sends a block again on NAK, and gives up after the tenth try with CAN', () => {
    const t = setup('xmodem-1k', new Uint8Array(10));
    t.sender.start();
    t.sender.receive(Uint8Array.of(C));
    for (let i = 1; i < MAX_TRIES; i++) t.sender.receive(Uint8Array.of(NAK));
    expect(t.sent.length).toBe(MAX_TRIES);
    expect(t.finished).toEqual([]);
    t.sender.receive(Uint8Array.of(NAK));
    expect(t.finished[0][0]).toBe('failed');
    expect(Array.from(t.sent.at(-1)!)).toEqual(new Array(8).fill(0x18));
  });

  it('text instead of the ACK of EOT ends the send: the receiver left (lrzsz rx on a tty), no EOT goes to its shell', () => {
    const t = setup('xmodem-1k', new Uint8Array(10));
    t.sender.start();
    t.sender.receive(Uint8Array.of(C));
    t.sender.receive(Uint8Array.of(ACK));
    expect(Array.from(t.sent.at(-1)!)).toEqual([0x04]);
    expect(t.sender.receive(new TextEncoder().encode('$ '))).toBe(0); // the prompt is the terminal's
    expect(t.finished).toEqual([['complete', 'the device answered the end without an ACK']]);
    expect(t.sent.length).toBe(2);
  });

  it('a silent receiver gets the block again when the timer fires', () => {
    const t = setup('xmodem-crc', new Uint8Array(200));
    t.sender.start();
    t.sender.receive(Uint8Array.of(C));
    t.timers.at(-1)!();
    expect(t.sent.length).toBe(2);
    expect(t.sent[1]).toEqual(t.sent[0]);
    t.sender.receive(Uint8Array.of(ACK));
    expect(t.sent[2][1]).toBe(2); // the next block
  });
});

const lrzsz = existsSync('/usr/bin/rx') && existsSync('/usr/bin/rb');

/** rx or rb as the device; the sender's real timers. */
async function sendTo(command: string, args: string[], protocol: XmodemProtocol, data: Uint8Array) {
  const dir = mkdtempSync(join(tmpdir(), 'xm-'));
  const child = spawn(command, args, { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
  const result = new Promise<[XmodemOutcome, string]>((resolve) => {
    const sender = new XmodemSender(protocol, 'fw.bin', data, {
      send: (bytes) => child.stdin.write(bytes),
      progress: () => {},
      finished: (outcome, detail) => resolve([outcome, detail]),
      timer: (ms, fn) => {
        const id = setTimeout(fn, ms);
        return () => clearTimeout(id);
      },
    });
    child.stdout.on('data', (chunk: Buffer) => sender.receive(new Uint8Array(chunk)));
    sender.start();
  });
  const outcome = await result;
  const code = await new Promise<number | null>((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)));
  return { outcome, code, file: new Uint8Array(readFileSync(join(dir, 'fw.bin'))) };
}

describe.skipIf(!lrzsz)('XmodemSender against live lrzsz', () => {
  const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 31 + (i >> 7)) & 0xff);

  it('XMODEM-1K to rx: byte-exact, padded with SUB to the block size', async () => {
    const r = await sendTo('rx', ['-c', 'fw.bin'], 'xmodem-1k', data);
    expect(r.outcome).toEqual(['complete', '']);
    expect(r.code).toBe(0);
    expect(r.file.length).toBe(Math.ceil(data.length / 1024) * 1024);
    expect(r.file.subarray(0, data.length)).toEqual(data);
    expect(r.file.subarray(data.length).every((b) => b === 0x1a)).toBe(true);
  });

  it('XMODEM-CRC to rx: byte-exact, padded to 128', async () => {
    const r = await sendTo('rx', ['-c', 'fw.bin'], 'xmodem-crc', data.subarray(0, 5000));
    expect(r.outcome).toEqual(['complete', '']);
    expect(r.file.length).toBe(Math.ceil(5000 / 128) * 128);
    expect(r.file.subarray(0, 5000)).toEqual(data.subarray(0, 5000));
  });

  it('YMODEM to rb: byte-exact, its size from block 0', async () => {
    const r = await sendTo('rb', [], 'ymodem', data);
    expect(r.outcome).toEqual(['complete', '']);
    expect(r.code).toBe(0);
    expect(r.file).toEqual(data);
  });
});
