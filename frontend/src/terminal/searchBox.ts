// Find in the terminal: a search field with previous and next. Enter finds the next match
// (Shift+Enter the previous one), Escape clears the marks and gives the keyboard back to the terminal.

import { h, uid } from '../dom';

/** What the search needs of the terminal (xterm's SearchAddon has the first three). */
export interface SearchTarget {
  findNext(text: string): boolean;
  findPrevious(text: string): boolean;
  clearDecorations(): void;
  /** Escape: the terminal gets the keyboard back, with no search selection left. */
  leave(): void;
  /** A line for the user ("No match for …"); empty clears it. */
  say(text: string): void;
}

export class SearchBox {
  readonly element: HTMLElement;
  private readonly input: HTMLInputElement;

  constructor(private readonly target: SearchTarget) {
    const id = uid('term-search');
    this.input = h('input', {
      attrs: { id, type: 'search', name: 'search', autocomplete: 'off' },
      on: { keydown: (event) => this.onKey(event as KeyboardEvent) },
    });
    const step = (label: string, forward: boolean, arrow: string) =>
      h('button', { class: 'btn btn-plain', attrs: { type: 'button', 'aria-label': label }, on: { click: () => this.find(forward) } }, arrow);
    this.element = h(
      'div',
      { class: 'term-search', attrs: { role: 'search', 'aria-label': 'Search the terminal' } },
      h('label', { attrs: { for: id } }, 'Find'),
      this.input,
      step('Find previous', false, '↑'),
      step('Find next', true, '↓'),
    );
  }

  /** Marks the next (or previous) match of what the field holds; an empty field clears the marks. */
  find(forward: boolean): void {
    const text = this.input.value;
    if (!text) {
      this.target.clearDecorations();
      return;
    }
    const found = forward ? this.target.findNext(text) : this.target.findPrevious(text);
    this.target.say(found ? '' : `No match for “${text}”.`);
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      this.find(!event.shiftKey);
    } else if (event.key === 'Escape') {
      this.target.clearDecorations();
      this.target.leave();
    }
  }
}
