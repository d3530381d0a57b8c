import { describe, expect, it } from 'vitest';
import type { Delivery } from '../../api/webhooks';
import { attemptText, deliveryState, parseEvents } from './webhookRows';

describe('webhook rows', () => {
  it('reads event types separated by commas or spaces, each once', () => {
    expect(parseEvents(' device.*, session.ended  device.* audit.*,')).toEqual(['device.*', 'session.ended', 'audit.*']);
  });

  it('shows an answered attempt by its status and a refused one by its error', () => {
    expect(attemptText({ at: '', status: 500, durationMs: 12, error: null, response: 'oops' })).toBe('500 in 12 ms');
    expect(attemptText({ at: '', status: null, durationMs: 3, error: 'refused: 127.0.0.1 is loopback', response: null })).toBe(
      'no answer in 3 ms: refused: 127.0.0.1 is loopback',
    );
  });

  it('tells a queued delivery from one being retried', () => {
    const d: Delivery = { id: 1, type: 'device.online', messageId: 'msg_1', state: 'pending', createdAt: '', nextAttemptAt: '', attempts: [] };
    expect(deliveryState(d)).toBe('queued');
    expect(deliveryState({ ...d, attempts: [{ at: '', status: 500, durationMs: 1, error: null, response: null }] })).toBe('retrying');
    expect(deliveryState({ ...d, state: 'delivered' })).toBe('delivered');
  });
});
