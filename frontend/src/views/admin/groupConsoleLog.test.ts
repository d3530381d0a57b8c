import { describe, expect, it } from 'vitest';
import { consoleLogPatch } from './groupConsoleLog';

describe('console logging form', () => {
  it('sends the policy with the size in bytes and the days', () => {
    expect(consoleLogPatch('always', '16', '7')).toEqual({ ok: true, patch: { consoleLog: 'always', consoleLogMaxBytes: 16 * 1024 * 1024, consoleLogDays: 7 } });
  });

  it('takes the portal defaults for empty fields', () => {
    expect(consoleLogPatch('off', '', ' ')).toEqual({ ok: true, patch: { consoleLog: 'off', consoleLogMaxBytes: 64 * 1024 * 1024, consoleLogDays: 30 } });
  });

  it('names the field of a value the portal would refuse', () => {
    expect(consoleLogPatch('sometimes', '1', '1')).toMatchObject({ ok: false, field: 'consoleLog' });
    expect(consoleLogPatch('always', '0', '1')).toMatchObject({ ok: false, field: 'consoleLogMaxBytes' });
    expect(consoleLogPatch('always', '1.5', '1')).toMatchObject({ ok: false, field: 'consoleLogMaxBytes' });
    expect(consoleLogPatch('always', '1', '36501')).toMatchObject({ ok: false, field: 'consoleLogDays' });
  });
});
