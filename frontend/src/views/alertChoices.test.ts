import { describe, expect, it } from 'vitest';
import { addressState, key, ticked, toItems } from './alertChoices';

describe('the alert grid', () => {
  const events = ['device.offline', 'session.started', 'console.match'];
  const scopes = [
    { groupId: null, name: 'All my groups' },
    { groupId: 3, name: 'plant' },
    { groupId: 5, name: 'lab' },
  ];

  it('ticks what the API answered, per scope', () => {
    const keys = ticked([
      { groupId: null, events: ['device.offline'] },
      { groupId: 5, events: ['console.match', 'session.started'] },
    ]);
    expect([...keys].sort()).toEqual(['5|console.match', '5|session.started', 'all|device.offline']);
  });

  it('sends rows in grid order and leaves rows without a tick out', () => {
    const keys = new Set([key(5, 'console.match'), key(null, 'device.offline'), key(5, 'device.offline')]);
    expect(toItems(scopes, events, keys)).toEqual([
      { groupId: null, events: ['device.offline'] },
      { groupId: 5, events: ['device.offline', 'console.match'] },
    ]);
  });

  it('round-trips', () => {
    const items = [{ groupId: 3, events: ['session.started'] }];
    expect(toItems(scopes, events, ticked(items))).toEqual(items);
  });
});

describe('the address line', () => {
  it('says what to do in each state', () => {
    expect(addressState({ address: null, confirmed: false, mailAvailable: false })).toMatch(/sends no e-mail/);
    expect(addressState({ address: null, confirmed: false, mailAvailable: true })).toMatch(/No address yet/);
    expect(addressState({ address: 'a@b.example', confirmed: false, mailAvailable: true })).toMatch(/waiting for confirmation/);
    expect(addressState({ address: 'a@b.example', confirmed: true, mailAvailable: true })).toMatch(/confirmed/);
  });
});
