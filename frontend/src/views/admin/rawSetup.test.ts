import { describe, expect, it } from 'vitest';
import { connectStringProblem, ingressPatch, newDeviceBody, type NewDeviceInput } from './rawSetup';

const typed = (over: Partial<NewDeviceInput> = {}): NewDeviceInput => ({
  name: ' moxa-7 ',
  description: '',
  group: '',
  tags: 'hall-3, moxa',
  mode: 'agent',
  addresses: '',
  connectString: '',
  ...over,
});

describe('raw device bodies', () => {
  it('sends an agent device without any raw setting, even if some were typed before switching', () => {
    expect(newDeviceBody(typed({ addresses: '203.0.113.7', connectString: 'x' }))).toEqual({
      ok: true,
      body: { name: 'moxa-7', description: undefined, group: undefined, tags: ['hall-3', 'moxa'] },
    });
  });

  it('sends a raw device with its allowlist, and the connect string exactly as typed', () => {
    expect(newDeviceBody(typed({ mode: 'raw', addresses: '203.0.113.7\n198.51.100.0/24', connectString: ' Open Sesame ' }))).toEqual({
      ok: true,
      body: { name: 'moxa-7', description: undefined, group: undefined, tags: ['hall-3', 'moxa'], mode: 'raw', allowCidrs: ['203.0.113.7', '198.51.100.0/24'], connectSecret: ' Open Sesame ' },
    });
  });

  it('always sends the allowlist of a raw device, empty when nothing was typed (it admits nobody)', () => {
    const checked = newDeviceBody(typed({ mode: 'raw' }));
    expect(checked.ok && checked.body.allowCidrs).toEqual([]);
    expect(checked.ok && 'connectSecret' in checked.body).toBe(false);
  });

  it('refuses a connect string the portal would refuse, naming its field', () => {
    expect(newDeviceBody(typed({ mode: 'raw', connectString: 'x'.repeat(65) }))).toEqual({ ok: false, field: 'connectSecret', error: 'A connect string is 1-64 Latin-1 characters.' });
    expect(connectStringProblem('ü'.repeat(64))).toBeNull();
    expect(connectStringProblem('€')).not.toBeNull();
    expect(connectStringProblem('')).not.toBeNull();
  });

  it('patches the allowlist and keeps, replaces or removes the connect string', () => {
    expect(ingressPatch('203.0.113.7', '', false)).toEqual({ ok: true, body: { allowCidrs: ['203.0.113.7'] } });
    expect(ingressPatch('', 'new-secret', false)).toEqual({ ok: true, body: { allowCidrs: [], connectSecret: 'new-secret' } });
    expect(ingressPatch('203.0.113.7', '', true)).toEqual({ ok: true, body: { allowCidrs: ['203.0.113.7'], connectSecret: '' } });
    expect(ingressPatch('203.0.113.7', 'new', true)).toMatchObject({ ok: false, field: 'connectSecret' });
    expect(ingressPatch('203.0.113.7', '€', false)).toMatchObject({ ok: false, field: 'connectSecret' });
  });
});
