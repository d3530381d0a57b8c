// The status line of a terminal: the state as a badge and a sentence, the size the portal
// confirmed, and Reconnect or Disconnect (whichever applies).

import { h } from '../dom';
import type { TerminalState } from './connection';
import { describeState, stateLabel } from './states';

export interface StatusActions {
  reconnect(): void;
  disconnect(): void;
}

export class StatusBar {
  readonly element: HTMLElement;
  private readonly badge = h('span', { class: 'term-badge' });
  private readonly text = h('span', { class: 'term-state-text' });
  private readonly size = h('span', { class: 'term-size muted' });
  private readonly reconnectButton: HTMLButtonElement;
  private readonly disconnectButton: HTMLButtonElement;

  constructor(actions: StatusActions) {
    this.reconnectButton = h('button', { class: 'btn btn-primary', attrs: { type: 'button' }, on: { click: () => actions.reconnect() } }, 'Reconnect');
    this.disconnectButton = h('button', { class: 'btn btn-plain', attrs: { type: 'button' }, on: { click: () => actions.disconnect() } }, 'Disconnect');
    this.element = h(
      'div',
      { class: 'term-status' },
      h('p', { class: 'term-state', attrs: { role: 'status', 'aria-live': 'polite' } }, this.badge, ' ', this.text),
      this.size,
      h('div', { class: 'actions' }, this.reconnectButton, this.disconnectButton),
    );
  }

  /** Shows {@code state} of the terminal to {@code label}: Reconnect unless connecting, live or moving (it reconnects by itself). */
  show(state: TerminalState, label: string): void {
    const { kind } = state;
    this.badge.className = `term-badge term-badge-${kind}`;
    this.badge.textContent = stateLabel(kind);
    this.text.textContent = describeState(state, label);
    this.reconnectButton.hidden = kind === 'connecting' || kind === 'live' || kind === 'moving';
    this.disconnectButton.hidden = !this.reconnectButton.hidden;
  }

  /** The size the portal confirmed, shown while live; null shows none. */
  showSize(size: { cols: number; rows: number } | null): void {
    this.size.textContent = size ? `${size.cols}×${size.rows}` : '';
    this.size.title = size ? 'Terminal size, as the portal confirmed it' : '';
  }
}
