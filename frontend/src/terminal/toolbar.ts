// The tools row of a terminal: Copy, Paste, the search box, the display encoding and the button
// that shows the key bar. The row lays the parts out; each part does its own work.

import { h, uid } from '../dom';
import { type DeviceEncoding, ENCODINGS } from './decoder';
import { ENCODING_LABELS } from './encodingPrefs';

export interface ToolbarParts {
  /** "plc/console": names the row for screen readers. */
  label: string;
  copy(): void;
  paste(): void;
  /** The search box's element. */
  search: HTMLElement;
  encoding: DeviceEncoding;
  /** The user picked another display encoding. */
  encodingChosen(encoding: DeviceEncoding): void;
  /** The key bar's toggle button. */
  keyBarToggle: HTMLElement;
}

export class TerminalToolbar {
  readonly element: HTMLElement;
  private readonly encodingSelect: HTMLSelectElement;

  constructor(parts: ToolbarParts) {
    const encodingId = uid('encoding');
    this.encodingSelect = h(
      'select',
      { attrs: { id: encodingId, name: 'encoding' }, on: { change: () => parts.encodingChosen(this.encodingSelect.value as DeviceEncoding) } },
      ENCODINGS.map((e) => h('option', { props: { value: e, selected: e === parts.encoding } }, ENCODING_LABELS[e])),
    );
    const button = (label: string, shortcut: string, click: () => void) =>
      h('button', { class: 'btn btn-plain', attrs: { type: 'button', title: shortcut }, on: { click } }, label);
    this.element = h(
      'div',
      { class: 'term-toolbar', attrs: { role: 'group', 'aria-label': `Terminal tools for ${parts.label}` } },
      button('Copy', 'Ctrl+Shift+C', () => parts.copy()),
      button('Paste', 'Ctrl+Shift+V', () => parts.paste()),
      parts.search,
      h('div', { class: 'term-encoding' }, h('label', { attrs: { for: encodingId } }, 'Encoding'), this.encodingSelect),
      parts.keyBarToggle,
    );
  }

  /** Shows {@code encoding} as the chosen one (the workspace applies a choice to all of a device's terminals). */
  showEncoding(encoding: DeviceEncoding): void {
    this.encodingSelect.value = encoding;
  }
}
