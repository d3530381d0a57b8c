// The requests a terminal makes of the portal that an answer settles: serial settings or a break
// (answered `line-sent` or `error`) and a sharing action (answered by a new role, or `error`). The
// last one sent is the one pending; its answer goes to the part that asked.

import type { SerialRequest } from './serialPanel';

export type PaneRequest = SerialRequest | 'sharing';

/** Who hears an answer. */
export interface AnswerListeners {
  serialConfirmed(request: SerialRequest): void;
  serialRefused(detail: string): void;
  sharingRefused(detail: string): void;
  /** An `error` nobody here asked for (perhaps a resize sent before the portal said the role). */
  unasked(detail: string): void;
}

export class PendingRequest {
  private pending: PaneRequest | null = null;

  constructor(private readonly listeners: AnswerListeners) {}

  /** A request went out: the next answer is for it. */
  sent(request: PaneRequest): void {
    this.pending = request;
  }

  /** The role changed: that answers a pending sharing action (every one that succeeds changes the role). True when it did. */
  roleChanged(): boolean {
    if (this.pending !== 'sharing') return false;
    this.pending = null;
    return true;
  }

  /** `line-sent`: the serial settings or the break went to the device. */
  lineSent(): void {
    this.listeners.serialConfirmed(this.pending === 'break' ? 'break' : 'line');
    this.pending = null;
  }

  /** `error`: the portal refused the pending request, or something nobody asked for. */
  refused(detail: string): void {
    if (this.pending === 'sharing') this.listeners.sharingRefused(detail);
    else if (this.pending) this.listeners.serialRefused(detail);
    else this.listeners.unasked(detail);
    this.pending = null;
  }
}
