// The data-flow view's wire format and its hex dump, without any DOM (docs/api.md "View data flow"):
// each binary message is one direction byte (0x01 device → host, 0x02 host → device) and the bytes
// that went that way; a row shows them as hex and printable ASCII, 16 bytes a line.

export type Direction = 'device-to-host' | 'host-to-device';

export const DIRECTION_LABELS: Record<Direction, string> = {
  'device-to-host': 'device → host',
  'host-to-device': 'host → device',
};

const DIRECTION_BYTES: Record<number, Direction> = { 0x01: 'device-to-host', 0x02: 'host-to-device' };

export interface FlowChunk {
  direction: Direction;
  bytes: Uint8Array;
}

/** One binary message; null when it is empty or its direction byte is unknown (a newer portal's). */
export function parseFlowFrame(data: ArrayBuffer | Uint8Array): FlowChunk | null {
  const all = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (all.length === 0) return null;
  const direction = DIRECTION_BYTES[all[0]];
  return direction ? { direction, bytes: all.subarray(1) } : null;
}

/** Bytes per dump line. */
export const BYTES_PER_LINE = 16;
/**
 * A row shows at most this much of its chunk: the dump is for looking at traffic, and a device
 * pouring out a log must not build megabytes of DOM per row.
 */
export const MAX_ROW_BYTES = 4096;

export interface Dump {
  /** "48 65 6c 6c 6f", one line per 16 bytes. */
  hex: string[];
  /** The same bytes as printable ASCII, "." for anything else. */
  ascii: string[];
  /** Bytes of the chunk not shown (beyond MAX_ROW_BYTES). */
  omitted: number;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** The printable-ASCII column's character for {@code byte}: itself from space to ~, else ".". */
export function printable(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
}

export function formatDump(bytes: Uint8Array, maxBytes = MAX_ROW_BYTES, perLine = BYTES_PER_LINE): Dump {
  const shown = Math.min(bytes.length, maxBytes);
  const hex: string[] = [];
  const ascii: string[] = [];
  for (let start = 0; start < shown; start += perLine) {
    const end = Math.min(start + perLine, shown);
    let h = '';
    let a = '';
    for (let i = start; i < end; i++) {
      h += (i > start ? ' ' : '') + HEX[bytes[i]];
      a += printable(bytes[i]);
    }
    hex.push(h);
    ascii.push(a);
  }
  return { hex, ascii, omitted: bytes.length - shown };
}

/** "10:42:07.123": a chunk's arrival, local time with milliseconds. */
export function clockTime(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
}
