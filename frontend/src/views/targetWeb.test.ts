import { describe, expect, it } from 'vitest';
import { fingerprintText, webCapable } from './targetWeb';

describe('device web targets', () => {
  it('groups a fingerprint in fours for reading', () => {
    expect(fingerprintText('0123456789abcdef')).toBe('0123 4567 89ab cdef');
    expect(fingerprintText(null)).toBe('');
  });

  it('offers web pages for TCP targets only', () => {
    expect(webCapable({ kind: 'tcp' })).toBe(true);
    expect(webCapable({ kind: 'serial' })).toBe(false);
  });
});
