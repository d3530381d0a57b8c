// What the Webhooks page shows of an endpoint's filter and of a delivery's attempts, as text.

import type { Attempt, Delivery } from '../../api/webhooks';

/** Event types typed into one box: separated by commas or spaces, duplicates dropped. */
export function parseEvents(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((e) => e.length > 0))];
}

/** One attempt as a line: "200 in 12 ms", or the error when there was no answer. */
export function attemptText(a: Attempt): string {
  const outcome = a.status === null ? 'no answer' : String(a.status);
  return `${outcome} in ${a.durationMs} ms${a.error ? `: ${a.error}` : ''}`;
}

/** The delivery's state as the admin reads it, with when it is tried next while pending. */
export function deliveryState(d: Delivery): string {
  if (d.state !== 'pending') return d.state;
  return d.attempts.length === 0 ? 'queued' : 'retrying';
}
