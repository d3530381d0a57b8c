import { describe, expect, it } from 'vitest';
import { parseLiveEvent } from '../live/presence';
import { unreadLabel } from './notifications';

describe('the unread badge', () => {
  it('is empty at none, the count below the bound, 99+ past it', () => {
    expect(unreadLabel({ unread: 0, unreadMore: false })).toBe('');
    expect(unreadLabel({ unread: 7, unreadMore: false })).toBe('7');
    expect(unreadLabel({ unread: 99, unreadMore: true })).toBe('99+');
  });

  it('moves on a notification event of the live stream', () => {
    expect(parseLiveEvent('{"type":"notification","id":12,"kind":"device.offline"}')).toEqual({ type: 'notification', event: { id: 12, kind: 'device.offline' } });
    expect(parseLiveEvent('{"type":"notification","id":"12","kind":"x"}')).toBeNull();
  });
});
