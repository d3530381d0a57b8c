// The terminal line's view buttons: Tools (shows or hides the sharing bar, the tools row and the
// serial settings, so the terminal gets the screen), A− and A+ (font size, remembered), and Full
// screen (the Fullscreen API on the pane; the same button, then labelled "Exit full screen", and
// Esc leave it).

import { h, uid } from '../dom';
import { readPref, writePref } from '../prefs/store';
import { MAX_FONT_SIZE, MIN_FONT_SIZE } from './fontSize';

export const TOOLS_KEY = 'tether.terminal.tools';

export interface ViewActions {
  /** The region the Tools button shows and hides. */
  tools: HTMLElement;
  /** Tools shown or hidden, font changed, full screen entered or left: the terminal refits. */
  changed(): void;
  fontSize(): number;
  /** One step smaller (−1) or larger (+1). */
  stepFont(delta: number): void;
  /** The element that goes full screen. */
  fullscreenTarget: HTMLElement;
}

/** Tools start hidden on small screens (phones, short windows) unless the user chose otherwise. */
export function toolsShownAtFirst(stored: string | null, small: boolean): boolean {
  return stored === 'shown' ? true : stored === 'hidden' ? false : !small;
}

export class ViewControls {
  readonly element: HTMLElement;
  readonly toolsButton: HTMLButtonElement;
  private readonly smaller: HTMLButtonElement;
  private readonly larger: HTMLButtonElement;
  private readonly fullscreen: HTMLButtonElement;

  constructor(private readonly actions: ViewActions) {
    const small = typeof matchMedia === 'function' && matchMedia('(max-width: 40rem), (max-height: 36rem)').matches;
    actions.tools.id ||= uid('term-tools');
    actions.tools.hidden = !toolsShownAtFirst(readPref(TOOLS_KEY), small);
    this.toolsButton = h(
      'button',
      {
        class: 'btn btn-plain',
        attrs: { type: 'button', 'aria-controls': actions.tools.id, 'aria-expanded': String(!actions.tools.hidden), title: 'Sharing, copy and paste, search, encoding, serial settings' },
        on: { click: () => this.setTools(actions.tools.hidden) },
      },
      'Tools',
    );
    // the name starts with what the button shows (speech control users say "A plus")
    const fontButton = (label: string, name: string, delta: number) =>
      h('button', { class: 'btn btn-plain', attrs: { type: 'button', 'aria-label': `${label} (${name})` }, on: { click: () => this.stepFont(delta) } }, label);
    this.smaller = fontButton('A−', 'smaller text', -1);
    this.larger = fontButton('A+', 'larger text', 1);
    this.fullscreen = h(
      'button',
      { class: 'btn btn-plain', attrs: { type: 'button', 'aria-pressed': 'false', title: 'Ctrl+Shift+F; Esc leaves' }, on: { click: () => void this.toggleFullscreen() } },
      'Full screen',
    );
    this.fullscreen.hidden = typeof document.documentElement.requestFullscreen !== 'function';
    this.element = h('div', { class: 'term-view', attrs: { role: 'group', 'aria-label': 'Terminal view' } }, this.toolsButton, this.smaller, this.larger, this.fullscreen);
    this.updateFont();
  }

  setTools(shown: boolean): void {
    this.actions.tools.hidden = !shown;
    this.toolsButton.setAttribute('aria-expanded', String(shown));
    writePref(TOOLS_KEY, shown ? 'shown' : 'hidden');
    this.actions.changed();
  }

  get isFullscreen(): boolean {
    return document.fullscreenElement === this.actions.fullscreenTarget;
  }

  async toggleFullscreen(): Promise<void> {
    try {
      if (this.isFullscreen) await document.exitFullscreen();
      else await this.actions.fullscreenTarget.requestFullscreen();
    } catch {
      // refused (not allowed by the browser or an iframe): the page stays as it is
    }
  }

  /** document's fullscreenchange: the button says how to leave. */
  fullscreenChanged(): void {
    const on = this.isFullscreen;
    this.fullscreen.textContent = on ? 'Exit full screen' : 'Full screen';
    this.fullscreen.setAttribute('aria-pressed', String(on));
    this.actions.changed();
  }

  private stepFont(delta: number): void {
    this.actions.stepFont(delta);
    this.updateFont();
    this.actions.changed();
  }

  private updateFont(): void {
    const size = this.actions.fontSize();
    this.smaller.disabled = size <= MIN_FONT_SIZE;
    this.larger.disabled = size >= MAX_FONT_SIZE;
    this.smaller.title = `Smaller text (now ${size} px)`;
    this.larger.title = `Larger text (now ${size} px)`;
  }
}
