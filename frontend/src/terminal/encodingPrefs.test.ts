import { describe, expect, it } from 'vitest';
import { encodingKey, initialEncoding, type KeyValueStore } from './encodingPrefs';

function store(entries: Record<string, string> = {}): KeyValueStore {
  const map = new Map(Object.entries(entries));
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
  };
}

describe('initialEncoding', () => {
  it('uses the device setting when this browser chose nothing', () => {
    expect(initialEncoding(7, 'cp437', store())).toBe('cp437');
  });

  it("prefers this browser's own choice for the device", () => {
    expect(initialEncoding(7, 'cp437', store({ [encodingKey(7)]: 'latin-1' }))).toBe('latin-1');
  });

  it('falls back to UTF-8 for an unknown or missing setting', () => {
    expect(initialEncoding(7, undefined, store())).toBe('utf-8');
    expect(initialEncoding(7, 'ebcdic', null)).toBe('utf-8');
  });
});
