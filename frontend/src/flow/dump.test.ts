import { describe, expect, it } from 'vitest';
import { clockTime, DIRECTION_LABELS, formatDump, parseFlowFrame, printable } from './dump';

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('parseFlowFrame', () => {
  it('reads the direction byte and keeps the rest as the chunk', () => {
    const fromDevice = parseFlowFrame(bytes(0x01, 0x4f, 0x4b).buffer);
    expect(fromDevice?.direction).toBe('device-to-host');
    expect([...fromDevice!.bytes]).toEqual([0x4f, 0x4b]);
    const toDevice = parseFlowFrame(bytes(0x02, 0x0d));
    expect(toDevice?.direction).toBe('host-to-device');
    expect(DIRECTION_LABELS[toDevice!.direction]).toBe('host → device');
    expect(DIRECTION_LABELS['device-to-host']).toBe('device → host');
  });

  it('ignores empty frames and unknown directions', () => {
    expect(parseFlowFrame(new Uint8Array(0))).toBeNull();
    expect(parseFlowFrame(bytes(0x03, 0x41))).toBeNull();
  });

  it('accepts a direction byte alone (an empty chunk)', () => {
    expect(parseFlowFrame(bytes(0x01))?.bytes.length).toBe(0);
  });
});

describe('formatDump', () => {
  it('shows hex and printable ASCII, dots for the rest', () => {
    expect(formatDump(bytes(0x48, 0x69, 0x0d, 0x0a, 0x1b, 0x7f, 0xc3, 0xa9, 0x20, 0x7e))).toEqual({
      hex: ['48 69 0d 0a 1b 7f c3 a9 20 7e'],
      ascii: ['Hi...... ~'],
      omitted: 0,
    });
  });

  it('breaks lines every 16 bytes, the two columns in step', () => {
    const dump = formatDump(Uint8Array.from({ length: 20 }, (_, i) => 0x41 + i));
    expect(dump.hex).toEqual(['41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50', '51 52 53 54']);
    expect(dump.ascii).toEqual(['ABCDEFGHIJKLMNOP', 'QRST']);
  });

  it('shows at most the row limit and says how much was left out', () => {
    const dump = formatDump(new Uint8Array(100).fill(0x61), 32);
    expect(dump.hex.length).toBe(2);
    expect(dump.omitted).toBe(68);
  });

  it('turns markup-looking bytes into plain characters (the view renders them as text)', () => {
    expect(formatDump(new TextEncoder().encode('<b>')).ascii).toEqual(['<b>']);
    expect(printable(0x3c)).toBe('<');
    expect(printable(0x00)).toBe('.');
  });

  it('handles an empty chunk', () => {
    expect(formatDump(new Uint8Array(0))).toEqual({ hex: [], ascii: [], omitted: 0 });
  });
});

describe('clockTime', () => {
  it('prints local time with milliseconds', () => {
    expect(clockTime(new Date(2026, 10, 25, 9, 5, 7, 42))).toBe('09:05:07.042');
  });
});
