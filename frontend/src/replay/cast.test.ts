import { describe, expect, it } from 'vitest';
import { CastError, parseCast, parseSize } from './cast';

const header = { version: 2, width: 100, height: 30, timestamp: 1764064800, title: 'plc-7/console' };
const cast = (...lines: unknown[]) => [header, ...lines].map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

describe('parseCast', () => {
  it('reads the header and the output, input and marker events', () => {
    const parsed = parseCast(cast([0.5, 'o', 'login: '], [1.25, 'i', 'root\r'], [1.3, 'o', 'root\r\n'], [9, 'm', 'gap: recording stopped (limit)']));
    expect(parsed.header).toEqual({ version: 2, width: 100, height: 30, timestamp: 1764064800, title: 'plc-7/console', idleTimeLimit: null });
    expect(parsed.events).toEqual([
      { time: 0.5, type: 'o', data: 'login: ' },
      { time: 1.25, type: 'i', data: 'root\r' },
      { time: 1.3, type: 'o', data: 'root\r\n' },
      { time: 9, type: 'm', data: 'gap: recording stopped (limit)' },
    ]);
    expect(parsed.skipped).toBe(0);
  });

  it('keeps escape sequences and non-ASCII text as the JSON strings carry them', () => {
    const parsed = parseCast(cast([0.1, 'o', '\u001b[1;32mcafé ╔═╗\u001b[0m']));
    expect(parsed.events[0].data).toBe('\u001b[1;32mcafé ╔═╗\u001b[0m');
  });

  it('reads the idle time limit of the header', () => {
    const text = JSON.stringify({ version: 2, width: 80, height: 24, idle_time_limit: 1.5 }) + '\n';
    expect(parseCast(text).header.idleTimeLimit).toBe(1.5);
  });

  it('rejects another version, a missing header and an empty recording', () => {
    expect(() => parseCast(JSON.stringify({ version: 1, width: 80, height: 24, stdout: [] }))).toThrow(/version 1; this player reads version 2/);
    expect(() => parseCast('[0.1, "o", "x"]\n')).toThrow(CastError);
    expect(() => parseCast('not json\n')).toThrow(/asciicast header/);
    expect(() => parseCast('\n\n')).toThrow(/empty/);
  });

  it('skips unreadable lines (a live recording cut mid-line) and ignores unknown event codes', () => {
    const parsed = parseCast(cast([0.1, 'o', 'a'], [0.2, 'x', 'future'], '[0.3, "o"', [0.4, 'o'], ['t', 'o', 'b'], [0.5, 'o', 'c']));
    expect(parsed.events.map((e) => e.data)).toEqual(['a', 'c']);
    expect(parsed.skipped).toBe(3);
  });

  it('never lets time go backwards, so output keeps its order', () => {
    const parsed = parseCast(cast([1, 'o', 'a'], [0.5, 'o', 'b'], [2, 'o', 'c']));
    expect(parsed.events.map((e) => e.time)).toEqual([1, 1, 2]);
  });

  it('falls back to 80x24 when the header has no usable size, and accepts CRLF lines', () => {
    const parsed = parseCast('{"version": 2}\r\n[0.1, "o", "x"]\r\n');
    expect(parsed.header).toMatchObject({ width: 80, height: 24 });
    expect(parsed.events).toEqual([{ time: 0.1, type: 'o', data: 'x' }]);
  });
});

describe('parseSize', () => {
  it('reads COLSxROWS', () => {
    expect(parseSize('120x40')).toEqual({ cols: 120, rows: 40 });
    expect(parseSize('0x40')).toBeNull();
    expect(parseSize('wide')).toBeNull();
  });
});
