import { describe, expect, it } from 'vitest';
import { olderVersion } from './versions';

describe('olderVersion', () => {
  it('orders as the portal does', () => {
    expect(olderVersion('0.1.0', '0.2.0')).toBe(true);
    expect(olderVersion('0.9.0', '0.10.0')).toBe(true);
    expect(olderVersion('0.1.0-SNAPSHOT', '0.1.0')).toBe(true);
    expect(olderVersion('1.0.0-alpha.1', '1.0.0-alpha.beta')).toBe(true);
    expect(olderVersion('1.0.0-beta.2', '1.0.0-beta.11')).toBe(true);
    expect(olderVersion('0.2.0', '0.1.0')).toBe(false);
    expect(olderVersion('0.1.0', '0.1.0')).toBe(false);
    expect(olderVersion('0.1.0', '0.1.0-SNAPSHOT')).toBe(false);
  });

  it('never calls garbage older', () => {
    for (const bad of ['', 'dev', '1.2', '01.2.3', 'raw-tcp', null, undefined]) {
      expect(olderVersion(bad, '9.9.9')).toBe(false);
      expect(olderVersion('0.0.1', bad)).toBe(false);
    }
  });
});
