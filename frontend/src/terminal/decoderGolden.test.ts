import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDecoder, parseEncoding } from './decoder';

// The same golden cases run against the portal's Java decoder (StreamDecoderTest): the terminal
// and the recording exports must turn the same bytes into the same text.

interface GoldenCase {
  name: string;
  encoding: string;
  chunks: number[][];
  /** What each decode call returns, then what flush returns. */
  outputs: string[];
  expected: string;
}

const golden = JSON.parse(
  readFileSync(new URL('./decoder-golden.json', import.meta.url), 'utf8'),
) as { cases: GoldenCase[] };

describe('decoder golden cases (shared with the Java StreamDecoder)', () => {
  it('has cases for every encoding', () => {
    const encodings = new Set(golden.cases.map((c) => c.encoding));
    expect([...encodings].sort()).toEqual(['cp437', 'latin-1', 'utf-8']);
  });

  it.each(golden.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const encoding = parseEncoding(c.encoding);
    expect(encoding).not.toBeNull();
    const decoder = createDecoder(encoding!);
    const outputs = c.chunks.map((chunk) => decoder.decode(Uint8Array.from(chunk)));
    outputs.push(decoder.flush());
    expect(outputs).toEqual(c.outputs);
    expect(outputs.join('')).toBe(c.expected);
  });
});
