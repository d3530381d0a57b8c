// The serial settings panel of a serial target's terminal: baud rate, data bits, parity, stop bits
// and flow control (each "unchanged" until picked), Apply, Send break, and Send file (XMODEM-CRC,
// XMODEM-1K or YMODEM, for bootloaders: xmodemRun.ts). Only the controller may use it; the line
// under it says what was sent and how the portal answered.

import { h, uid } from '../dom';
import type { XmodemProtocol } from './xmodem';
import { PROTOCOLS } from './xmodemRun';
import {
  BAUD_RATES,
  type BreakMessage,
  breakMessage,
  DATA_BITS,
  FLOW_CONTROLS,
  FLOW_LABELS,
  type LineMessage,
  lineMessage,
  PARITIES,
  PARITY_LABELS,
  type SerialForm,
  STOP_BITS,
} from './serial';

/** A serial request: new line settings or a break. */
export type SerialRequest = 'line' | 'break';

export interface SerialActions {
  /** Sends the message to the portal; false when not connected. */
  control(message: LineMessage | BreakMessage): boolean;
  /** A request went out: its answer (`line-sent` or `error`) is for this panel. */
  sent(request: SerialRequest): void;
  /** Sends a file with XMODEM or YMODEM to a device that waits for one. */
  sendFile?(protocol: XmodemProtocol, file: File): void;
}

interface Field {
  control: HTMLSelectElement;
  row: HTMLElement;
}

function field(label: string, name: keyof SerialForm, options: { value: string; label: string }[]): Field {
  const id = uid(`serial-${name}`);
  const control = h(
    'select',
    { attrs: { id, name } },
    h('option', { props: { value: '' } }, 'unchanged'),
    options.map((o) => h('option', { props: { value: o.value } }, o.label)),
  );
  return { control, row: h('div', { class: 'field' }, h('label', { attrs: { for: id } }, label), control) };
}

const same = (values: readonly (number | string)[]) => values.map((v) => ({ value: String(v), label: String(v) }));

export class SerialPanel {
  readonly element: HTMLElement;
  private readonly feedback = h('p', { class: 'term-notice', attrs: { role: 'status' } });
  private readonly fields: Record<keyof SerialForm, Field> = {
    baud: field('Baud rate', 'baud', same(BAUD_RATES)),
    dataBits: field('Data bits', 'dataBits', same(DATA_BITS)),
    parity: field(
      'Parity',
      'parity',
      PARITIES.map((p) => ({ value: p, label: PARITY_LABELS[p] })),
    ),
    stopBits: field('Stop bits', 'stopBits', same(STOP_BITS)),
    flow: field(
      'Flow control',
      'flow',
      FLOW_CONTROLS.map((f) => ({ value: f, label: FLOW_LABELS[f] })),
    ),
  };

  constructor(private readonly actions: SerialActions) {
    const { baud, dataBits, parity, stopBits, flow } = this.fields;
    const form = h(
      'form',
      { class: 'serial-form', attrs: { 'aria-label': 'Serial settings' }, on: { submit: (event) => this.apply(event) } },
      h('div', { class: 'serial-fields' }, baud.row, dataBits.row, parity.row, stopBits.row, flow.row),
      h(
        'div',
        { class: 'actions' },
        h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Apply serial settings'),
        h(
          'button',
          {
            class: 'btn btn-plain',
            attrs: { type: 'button', title: 'Holds the line in the break condition for 250 ms' },
            on: { click: () => this.sendBreak() },
          },
          'Send break',
        ),
      ),
      this.feedback,
    );
    this.element = h('details', { class: 'serial-panel' }, h('summary', { attrs: { id: uid('serial') } }, 'Serial settings'), form, this.sendFileForm());
  }

  /** Send file: a protocol, a file, and the button (start the receiver first, e.g. `loadx`). */
  private sendFileForm(): HTMLElement {
    const protocolId = uid('xmodem-protocol');
    const fileId = uid('xmodem-file');
    const protocol = h(
      'select',
      { attrs: { id: protocolId, name: 'protocol' } },
      PROTOCOLS.map((p) => h('option', { props: { value: p.value } }, p.label)),
    );
    protocol.value = 'xmodem-1k';
    const file = h('input', { attrs: { id: fileId, type: 'file', name: 'file' } });
    const submit = (event: Event) => {
      event.preventDefault();
      const chosen = file.files?.[0];
      if (!chosen) {
        this.feedback.textContent = 'Choose a file to send.';
        return;
      }
      this.feedback.textContent = '';
      this.actions.sendFile?.(protocol.value as XmodemProtocol, chosen);
    };
    return h(
      'form',
      { class: 'serial-form', attrs: { 'aria-label': 'Send file' }, on: { submit } },
      h(
        'div',
        { class: 'serial-fields' },
        h('div', { class: 'field' }, h('label', { attrs: { for: protocolId } }, 'Protocol'), protocol),
        h('div', { class: 'field' }, h('label', { attrs: { for: fileId } }, 'File to send'), file),
      ),
      h(
        'div',
        { class: 'actions' },
        h('button', { class: 'btn btn-plain', attrs: { type: 'submit', title: 'Start the receiver first (loadx, loady, rx, rb)' } }, 'Send file'),
      ),
    );
  }

  /** Holds the line in the break condition (the panel's button and the key bar's BREAK). */
  sendBreak(): void {
    this.request(breakMessage(), 'break', 'Sending break…');
  }

  /** Only the controller may change the line: the panel's buttons follow. */
  enable(controlling: boolean): void {
    for (const control of this.element.querySelectorAll<HTMLButtonElement>('button')) {
      control.disabled = !controlling;
    }
  }

  /** The portal applied the request. */
  confirmed(request: SerialRequest): void {
    this.feedback.textContent = request === 'break' ? 'Break sent to the device.' : 'Serial settings sent to the device.';
  }

  /** The portal refused the request. */
  refused(detail: string): void {
    this.feedback.textContent = `Refused: ${detail}`;
  }

  private apply(event: Event): void {
    event.preventDefault();
    const value = (name: keyof SerialForm) => this.fields[name].control.value;
    const result = lineMessage({ baud: value('baud'), dataBits: value('dataBits'), parity: value('parity'), stopBits: value('stopBits'), flow: value('flow') });
    if (!result.ok) {
      this.feedback.textContent = result.error;
      return;
    }
    this.request(result.message, 'line', 'Sending…');
  }

  private request(message: LineMessage | BreakMessage, request: SerialRequest, pending: string): void {
    const sent = this.actions.control(message);
    if (sent) this.actions.sent(request);
    this.feedback.textContent = sent ? pending : 'Not connected.';
  }
}
