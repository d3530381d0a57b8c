import { describe, expect, it } from 'vitest';
import { offlineGracePatch } from './groupOfflineGrace';

describe('offline grace form', () => {
  it('sends the seconds typed, zero included', () => {
    expect(offlineGracePatch(' 90 ')).toEqual({ ok: true, patch: { offlineGraceSeconds: 90 } });
    expect(offlineGracePatch('0')).toEqual({ ok: true, patch: { offlineGraceSeconds: 0 } });
  });

  it('goes back to the deployment setting when empty', () => {
    expect(offlineGracePatch('  ')).toEqual({ ok: true, patch: { defaultOfflineGrace: true } });
  });

  it('names the field of a value the portal would refuse', () => {
    expect(offlineGracePatch('-1')).toMatchObject({ ok: false, field: 'offlineGraceSeconds' });
    expect(offlineGracePatch('1.5')).toMatchObject({ ok: false, field: 'offlineGraceSeconds' });
    expect(offlineGracePatch('86401')).toMatchObject({ ok: false, field: 'offlineGraceSeconds' });
  });
});
