// The file transfer line of a terminal (ZMODEM, fileTransfer.ts): what moves and how far, as text
// and a progress bar, with Cancel; for `rz` on the device a file picker; a downloaded file is
// handed to the browser's downloads and stays offered as a link until the next transfer.

import { bytes } from '../components/sessionBits';
import { h } from '../dom';
import type { TransferDirection, TransferOutcome, TransferProgress, TransferUi } from './fileTransfer';

export interface TransferActions {
  /** The user cancels the running transfer. */
  cancel(): void;
  /** A transfer ended while a control of this line had the focus: give it back to the terminal. */
  refocus(): void;
}

/** "Receiving small.bin (2.0 MiB): 1.1 MiB" */
export function progressText(p: TransferProgress): string {
  const verb = p.direction === 'download' ? 'Receiving' : 'Sending';
  const size = p.size === null ? '' : ` (${bytes(p.size)})`;
  const retries = p.retries ? `, ${p.retries} ${p.retries === 1 ? 'retry' : 'retries'}` : '';
  return `${verb} ${p.name}${size}: ${bytes(p.done)}${retries}`;
}

/** What the line says when a transfer ended. */
export function finishedText(direction: TransferDirection, outcome: TransferOutcome, detail: string, name: string | null): string {
  const what = name ?? (direction === 'download' ? 'the download' : 'the upload');
  switch (outcome) {
    case 'complete':
      return direction === 'download' ? `Received ${what}.` : `Sent ${what}.`;
    case 'cancelled':
      return `Cancelled ${what}: ${detail || 'the device was told to stop (ZMODEM abort).'}`;
    case 'failed':
      return `The file transfer failed (${detail}); the terminal is yours again.`;
  }
}

export class TransferPanel implements TransferUi {
  readonly element: HTMLElement;
  private readonly text = h('span', { class: 'term-transfer-text', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly bar = h('progress', { attrs: { max: '1', value: '0', 'aria-label': 'File transfer progress' } });
  private readonly picker = h('input', { class: 'term-transfer-files', attrs: { type: 'file', multiple: true, 'aria-label': 'Files to send to the device' } });
  private readonly cancelButton: HTMLButtonElement;
  private readonly save = h('a', { class: 'btn btn-plain', attrs: { hidden: true } });
  private choosing: ((files: File[] | null) => void) | null = null;
  private name: string | null = null;

  constructor(private readonly actions: TransferActions) {
    this.cancelButton = h(
      'button',
      {
        class: 'btn btn-plain',
        attrs: { type: 'button' },
        on: {
          click: () => {
            if (this.choosing) this.chosen(null);
            else actions.cancel();
          },
        },
      },
      'Cancel',
    );
    this.picker.addEventListener('change', () => this.chosen(Array.from(this.picker.files ?? [])));
    this.element = h('div', { class: 'term-transfer', attrs: { hidden: true } }, this.text, this.bar, this.picker, this.cancelButton, this.save);
  }

  chooseFiles(): Promise<File[] | null> {
    this.begin(null);
    this.text.textContent = 'The device waits for files (rz): choose them to send.';
    this.bar.hidden = true;
    this.picker.value = '';
    this.picker.hidden = false;
    return new Promise((resolve) => (this.choosing = resolve));
  }

  progress(p: TransferProgress): void {
    if (this.name !== p.name) this.begin(p.name);
    this.text.textContent = progressText(p);
    this.bar.hidden = false;
    this.bar.max = Math.max(p.size ?? p.done, 1);
    this.bar.value = p.done;
  }

  received(name: string, data: Blob): void {
    if (this.save.href) URL.revokeObjectURL(this.save.href);
    this.save.href = URL.createObjectURL(data);
    this.save.download = name;
    this.save.textContent = `Save ${name}`;
    this.save.hidden = false;
    this.save.click(); // to the browser's downloads at once; the link stays for another copy
  }

  finished(direction: TransferDirection, outcome: TransferOutcome, detail: string): void {
    const hadFocus = this.element.contains(document.activeElement);
    this.chosen(null);
    this.text.textContent = finishedText(direction, outcome, detail, this.name);
    this.element.dataset.outcome = outcome;
    this.bar.hidden = true;
    this.picker.hidden = true;
    this.cancelButton.hidden = true;
    if (hadFocus) this.actions.refocus(); // the hidden Cancel button would keep the keys
  }

  private begin(name: string | null): void {
    this.name = name;
    this.element.hidden = false;
    delete this.element.dataset.outcome;
    this.cancelButton.hidden = false;
    this.picker.hidden = true;
  }

  private chosen(files: File[] | null): void {
    const resolve = this.choosing;
    this.choosing = null;
    this.picker.hidden = true;
    resolve?.(files && files.length ? files : null);
  }
}
