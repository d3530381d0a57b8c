// Copy and paste for a terminal: the toolbar's buttons and the Ctrl+Shift+C / Ctrl+Shift+V (and
// Ctrl+Insert / Shift+Insert) shortcuts, with a line saying what happened when the browser refuses.

import { h } from '../dom';

/** What copy and paste need of the terminal. */
export interface ClipboardTerminal {
  /** The selected text (mouse selection or search match); empty when nothing is selected. */
  selection(): string;
  /** Types {@code text} as a paste (bracketed when the application asked for that). */
  paste(text: string): void;
  focus(): void;
  /** A line for the user; empty clears it. */
  say(text: string): void;
}

/** The browser's async clipboard (navigator.clipboard); tests pass a fake. */
export interface SystemClipboard {
  writeText(text: string): Promise<void>;
  readText(): Promise<string>;
}

/** What a key press means to the clipboard: copy, leave it to the browser's paste, or nothing. */
export function clipboardShortcut(event: Pick<KeyboardEvent, 'type' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey' | 'code' | 'key'>): 'copy' | 'paste' | null {
  if (event.type !== 'keydown') return null;
  const ctrlShift = event.ctrlKey && event.shiftKey && !event.altKey && !event.metaKey;
  if ((ctrlShift && event.code === 'KeyC') || (event.ctrlKey && !event.shiftKey && event.key === 'Insert')) return 'copy';
  if ((ctrlShift && event.code === 'KeyV') || (event.shiftKey && !event.ctrlKey && event.key === 'Insert')) return 'paste';
  return null;
}

export class TerminalClipboard {
  constructor(
    private readonly term: ClipboardTerminal,
    private readonly system: () => SystemClipboard = () => navigator.clipboard,
  ) {}

  /** Copies the selection, or says to select something first. */
  async copy(): Promise<void> {
    const text = this.term.selection();
    if (!text) {
      this.term.say('Select text in the terminal first (drag, or double-click a word).');
      return;
    }
    if (await this.write(text)) {
      this.term.say(`Copied ${text.length} character${text.length === 1 ? '' : 's'}.`);
    } else {
      this.term.say('The browser did not allow copying: use Ctrl+Shift+C in the terminal.');
    }
    this.term.focus();
  }

  /** Pastes the clipboard into the terminal, through the same path as typing. */
  async paste(): Promise<void> {
    let text: string;
    try {
      text = await this.system().readText();
    } catch {
      this.term.say('The browser did not allow reading the clipboard: press Ctrl+Shift+V (or Shift+Insert) in the terminal.');
      return;
    }
    if (text) {
      this.term.paste(text); // through onData: UTF-8 to the device, bracketed if asked for
      this.term.say('');
    } else {
      this.term.say('The clipboard is empty.');
    }
    this.term.focus();
  }

  private async write(text: string): Promise<boolean> {
    try {
      await this.system().writeText(text);
      return true;
    } catch {
      // no async clipboard (plain http on another host): the old way, from a user gesture
      const area = h('textarea', { class: 'visually-hidden', attrs: { 'aria-hidden': 'true', tabindex: '-1' }, props: { value: text } });
      document.body.append(area);
      area.select();
      try {
        return document.execCommand('copy');
      } catch {
        return false;
      } finally {
        area.remove();
      }
    }
  }
}
