// The key bar for touch screens (Ctrl, Esc, Tab, arrows, ~, |, Ctrl-C, Ctrl-D and, on serial
// targets, BREAK) and the toolbar button that shows it. It shows by default where the pointer is
// coarse; tapping a key keeps the terminal focused.

import { h } from '../dom';
import { KEY_BAR, StickyCtrl } from './keys';

export interface KeyBarOptions {
  /** Sends what a key (or typed data through the sticky Ctrl) produced. */
  send(data: string): void;
  /** DECCKM as the terminal has it now (arrows as SS3 instead of CSI). */
  applicationCursor(): boolean;
  /** Shown at first: true on touch screens. */
  shown: boolean;
  /** The bar was shown or hidden (the terminal refits). */
  toggled(): void;
  /** Sends a serial break (a control message, not bytes); absent for targets that are not serial. */
  sendBreak?: () => void;
}

/** True where the main pointer is coarse (a touch screen). */
export function coarsePointer(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(pointer: coarse)').matches;
}

export class KeyBar {
  readonly element: HTMLElement;
  /** "Key bar": the toolbar's button that shows or hides it. */
  readonly toggle: HTMLButtonElement;
  private readonly ctrl: StickyCtrl;
  private readonly ctrlButton: HTMLButtonElement;

  constructor(options: KeyBarOptions) {
    this.ctrlButton = h(
      'button',
      { class: 'btn btn-key', attrs: { type: 'button', 'aria-pressed': 'false', title: 'Ctrl applies to the next key' }, on: { click: () => this.ctrl.toggle() } },
      'Ctrl',
    );
    this.ctrl = new StickyCtrl((on) => this.ctrlButton.setAttribute('aria-pressed', String(on)));
    this.element = h(
      'div',
      { class: 'key-bar', attrs: { role: 'toolbar', 'aria-label': 'Key bar' } },
      this.ctrlButton,
      KEY_BAR.map((k) =>
        h(
          'button',
          { class: 'btn btn-key', attrs: { type: 'button', 'aria-label': k.name }, on: { click: () => options.send(this.ctrl.key(k.key, options.applicationCursor())) } },
          k.label,
        ),
      ),
      options.sendBreak
        ? h('button', { class: 'btn btn-key', attrs: { type: 'button', 'aria-label': 'Send break', title: 'Serial break (250 ms)' }, on: { click: () => options.sendBreak?.() } }, 'BREAK')
        : null,
    );
    // keep the terminal focused when a key-bar key is tapped (no keyboard popping up and down)
    this.element.addEventListener('mousedown', (event) => event.preventDefault());
    this.element.hidden = !options.shown;
    this.toggle = h(
      'button',
      {
        class: 'btn btn-plain',
        attrs: { type: 'button', 'aria-expanded': String(options.shown) },
        on: {
          click: () => {
            this.element.hidden = !this.element.hidden;
            this.toggle.setAttribute('aria-expanded', String(!this.element.hidden));
            options.toggled();
          },
        },
      },
      'Key bar',
    );
  }

  /** Typed data through the sticky Ctrl (a Ctrl tapped on the bar applies to the next key). */
  apply(data: string): string {
    return this.ctrl.apply(data);
  }
}
