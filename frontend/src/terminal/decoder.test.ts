import { describe, expect, it } from 'vitest';
import { createDecoder, parseEncoding } from './decoder';

const bytes = (...values: number[]) => Uint8Array.from(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('UTF-8 stream decoder', () => {
  it('keeps a two-byte character split across chunks', () => {
    const d = createDecoder('utf-8');
    const e = utf8('é'); // C3 A9
    expect(d.decode(e.subarray(0, 1))).toBe('');
    expect(d.decode(e.subarray(1))).toBe('é');
  });

  it('keeps a four-byte emoji split over three chunks', () => {
    const d = createDecoder('utf-8');
    const e = utf8('a😀b'); // 61 F0 9F 98 80 62
    expect(d.decode(e.subarray(0, 2))).toBe('a');
    expect(d.decode(e.subarray(2, 4))).toBe('');
    expect(d.decode(e.subarray(4))).toBe('😀b');
  });

  it('decodes every split point of a mixed text identically to one chunk', () => {
    const text = 'x€ü😀\u001b[1m日本\r\n';
    const all = utf8(text);
    for (let cut = 0; cut <= all.length; cut++) {
      const d = createDecoder('utf-8');
      expect(d.decode(all.subarray(0, cut)) + d.decode(all.subarray(cut)) + d.flush()).toBe(text);
    }
  });

  it('turns invalid bytes into U+FFFD and goes on', () => {
    const d = createDecoder('utf-8');
    expect(d.decode(bytes(0x41, 0xff, 0x42))).toBe('A\ufffdB');
  });

  it('flushes an unfinished character at the end of the stream as U+FFFD', () => {
    const d = createDecoder('utf-8');
    expect(d.decode(bytes(0xe2, 0x82))).toBe('');
    expect(d.flush()).toBe('\ufffd');
  });

  it('does not swallow a leading byte order mark (it is data on a serial line)', () => {
    expect(createDecoder('utf-8').decode(bytes(0xef, 0xbb, 0xbf, 0x41))).toBe('\ufeffA');
  });
});

describe('Latin-1 decoder', () => {
  it('maps every byte to the code point of the same value (not windows-1252)', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = createDecoder('latin-1').decode(all);
    expect(text.length).toBe(256);
    for (let i = 0; i < 256; i++) {
      expect(text.charCodeAt(i)).toBe(i);
    }
    expect(createDecoder('latin-1').decode(bytes(0x80))).toBe('\u0080'); // windows-1252 would say €
  });

  it('decodes chunks larger than one conversion slice', () => {
    const big = new Uint8Array(100_000).fill(0xe9);
    expect(createDecoder('latin-1').decode(big)).toBe('é'.repeat(100_000));
  });
});

describe('CP437 decoder', () => {
  it('shows box drawing and accented letters of the upper half', () => {
    const d = createDecoder('cp437');
    expect(d.decode(bytes(0xc9, 0xcd, 0xbb))).toBe('╔═╗');
    expect(d.decode(bytes(0x80, 0x81, 0xe1, 0xff))).toBe('Çüß\u00a0');
  });

  it('keeps control characters so escape sequences and line ends still work', () => {
    expect(createDecoder('cp437').decode(bytes(0x1b, 0x5b, 0x48, 0x0d, 0x0a, 0x7f))).toBe('\u001b[H\r\n\u007f');
  });

  it('is stateless across chunks: each byte is one character', () => {
    const d = createDecoder('cp437');
    expect(d.decode(bytes(0xb0)) + d.decode(bytes(0xb1)) + d.flush()).toBe('░▒');
  });
});

describe('parseEncoding', () => {
  it('accepts the usual names and rejects unknown ones', () => {
    expect(parseEncoding('UTF8')).toBe('utf-8');
    expect(parseEncoding('ISO-8859-1')).toBe('latin-1');
    expect(parseEncoding('latin1')).toBe('latin-1');
    expect(parseEncoding('IBM437')).toBe('cp437');
    expect(parseEncoding('ebcdic')).toBeNull();
    expect(parseEncoding(undefined)).toBeNull();
  });
});
