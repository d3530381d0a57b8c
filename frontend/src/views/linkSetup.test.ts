import { describe, expect, it } from 'vitest';
import { hostSoftwareHint, linkAddress, newLinkBody } from './linkSetup';

describe('link port bodies', () => {
  it('sends the target, the allowlist and take over; the port only when typed', () => {
    expect(newLinkBody({ target: 'console', addresses: '192.0.2.10\n10.1.0.0/16', port: '', takeOver: false })).toEqual({
      ok: true,
      body: { target: 'console', allowCidrs: ['192.0.2.10', '10.1.0.0/16'], takeOver: false },
    });
    expect(newLinkBody({ target: 'serial', addresses: '', port: ' 20001 ', takeOver: true })).toEqual({
      ok: true,
      body: { target: 'serial', allowCidrs: [], takeOver: true, port: 20001 },
    });
  });

  it('refuses a port that is no port, and a missing target, naming the field', () => {
    for (const port of ['0', '65536', '20 001', '-1', '1e4', 'abc']) {
      expect(newLinkBody({ target: 'console', addresses: '', port, takeOver: false })).toMatchObject({ ok: false, field: 'port' });
    }
    expect(newLinkBody({ target: ' ', addresses: '', port: '', takeOver: false })).toMatchObject({ ok: false, field: 'target' });
  });

  it('says where host software connects, bracketing a bare IPv6 host', () => {
    expect(linkAddress('portal.example.com', 20001)).toBe('portal.example.com:20001');
    expect(linkAddress('[2001:db8::1]', 20001)).toBe('[2001:db8::1]:20001');
    expect(linkAddress('2001:db8::1', 20001)).toBe('[2001:db8::1]:20001');
    expect(hostSoftwareHint('10.0.0.5', 20002)).toBe('Point host software at 10.0.0.5:20002');
  });
});
