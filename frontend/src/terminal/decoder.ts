// The one place where a device's raw bytes become text for display. The tunnel and anything stored
// (recordings, exports) stay bytes; a terminal or an export makes one StreamDecoder per stream and
// feeds it every chunk in order, so a character split across two chunks comes out whole.

export type DeviceEncoding = 'utf-8' | 'latin-1' | 'cp437';

export const ENCODINGS: readonly DeviceEncoding[] = ['utf-8', 'latin-1', 'cp437'];

export interface StreamDecoder {
  readonly encoding: DeviceEncoding;
  /** Decodes the next chunk; bytes of an unfinished character wait for the next call. */
  decode(chunk: Uint8Array): string;
  /** Ends the stream: an unfinished character becomes U+FFFD. */
  flush(): string;
}

/** Accepts the usual spellings (UTF8, ISO-8859-1, IBM437, ...); unknown names are null. */
export function parseEncoding(name: string | null | undefined): DeviceEncoding | null {
  const key = (name ?? '').trim().toLowerCase().replace(/[\s_]/g, '-');
  switch (key) {
    case 'utf-8':
    case 'utf8':
      return 'utf-8';
    case 'latin-1':
    case 'latin1':
    case 'iso-8859-1':
    case 'iso8859-1':
      return 'latin-1';
    case 'cp437':
    case 'ibm437':
    case 'ibm-437':
    case 'cp-437':
    case '437':
      return 'cp437';
    default:
      return null;
  }
}

export function createDecoder(encoding: DeviceEncoding): StreamDecoder {
  switch (encoding) {
    case 'utf-8':
      return new Utf8Decoder();
    case 'latin-1':
      return new TableDecoder('latin-1', LATIN1);
    case 'cp437':
      return new TableDecoder('cp437', CP437);
  }
}

class Utf8Decoder implements StreamDecoder {
  readonly encoding = 'utf-8' as const;
  // fatal: false: a device's garbage shows as U+FFFD instead of ending the session
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  decode(chunk: Uint8Array): string {
    return this.decoder.decode(chunk, { stream: true });
  }

  flush(): string {
    return this.decoder.decode();
  }
}

/** Single-byte encodings: every byte is one character, so there is no state to carry. */
class TableDecoder implements StreamDecoder {
  constructor(
    readonly encoding: DeviceEncoding,
    private readonly table: Uint16Array,
  ) {}

  decode(chunk: Uint8Array): string {
    let out = '';
    const units = new Uint16Array(Math.min(chunk.length, CHUNK));
    for (let start = 0; start < chunk.length; start += CHUNK) {
      const end = Math.min(start + CHUNK, chunk.length);
      for (let i = start; i < end; i++) {
        units[i - start] = this.table[chunk[i]];
      }
      out += String.fromCharCode.apply(null, units.subarray(0, end - start) as unknown as number[]);
    }
    return out;
  }

  flush(): string {
    return '';
  }
}

/** fromCharCode takes its arguments on the stack: convert in slices this big. */
const CHUNK = 8192;

/**
 * ISO-8859-1: byte = code point. (The WHATWG "latin1" label of TextDecoder means windows-1252,
 * which turns 0x80-0x9F into curly quotes and the euro sign: not what a serial device sent.)
 */
const LATIN1 = Uint16Array.from({ length: 256 }, (_, i) => i);

/**
 * Code page 437 (the IBM PC's, still in BIOS and bootloader consoles): the upper half are its
 * box-drawing and accented glyphs. 0x00-0x1F and 0x7F stay control characters, not the CP437
 * pictures (smileys, arrows), because the terminal must still see CR, LF, BS and ESC sequences.
 */
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅ' +
  'ÉæÆôöòûùÿÖÜ¢£¥₧ƒ' +
  'áíóúñÑªº¿⌐¬½¼¡«»' +
  '░▒▓│┤╡╢╖╕╣║╗╝╜╛┐' +
  '└┴┬├─┼╞╟╚╔╩╦╠═╬╧' +
  '╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀' +
  'αßΓπΣσµτΦΘΩδ∞φε∩' +
  '≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const CP437 = Uint16Array.from({ length: 256 }, (_, i) => (i < 0x80 ? i : CP437_HIGH.charCodeAt(i - 0x80)));
