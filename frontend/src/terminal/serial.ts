// The serial settings panel's model: what the user chose, turned into the terminal socket's
// {"type": "line", ...} message (docs/api.md "Terminal"). The portal does not report a port's
// current settings, so every field starts as "unchanged" and only the fields the user set are sent.

export const BAUD_RATES = [300, 1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600] as const;
export const DATA_BITS = [5, 6, 7, 8] as const;
export const PARITIES = ['none', 'odd', 'even', 'mark', 'space'] as const;
export const STOP_BITS = ['1', '1.5', '2'] as const;
export const FLOW_CONTROLS = ['none', 'rtscts', 'xonxoff'] as const;

export type Parity = (typeof PARITIES)[number];
export type StopBits = (typeof STOP_BITS)[number];
export type FlowControlMode = (typeof FLOW_CONTROLS)[number];

/** The portal's limits (LineSettings.MAX_BAUD, MAX_BREAK_MILLIS). */
export const MIN_BAUD = 50;
export const MAX_BAUD = 4_000_000;
export const DEFAULT_BREAK_MS = 250;
export const MAX_BREAK_MS = 10_000;

export const FLOW_LABELS: Record<FlowControlMode, string> = { none: 'None', rtscts: 'RTS/CTS (hardware)', xonxoff: 'XON/XOFF (software)' };
export const PARITY_LABELS: Record<Parity, string> = { none: 'None', odd: 'Odd', even: 'Even', mark: 'Mark', space: 'Space' };

/** The form's values as strings; '' means "leave unchanged". */
export interface SerialForm {
  baud: string;
  dataBits: string;
  parity: string;
  stopBits: string;
  flow: string;
}

export interface LineMessage {
  type: 'line';
  baud?: number;
  dataBits?: number;
  parity?: Parity;
  stopBits?: number;
  flow?: FlowControlMode;
}

export interface BreakMessage {
  type: 'break';
  ms: number;
}

export type LineResult = { ok: true; message: LineMessage } | { ok: false; field: keyof SerialForm; error: string };

/** Validates the form and builds the message with only the fields that were set. */
export function lineMessage(form: SerialForm): LineResult {
  const message: LineMessage = { type: 'line' };
  const baud = form.baud.trim();
  if (baud !== '') {
    const value = Number(baud);
    if (!/^\d+$/.test(baud) || value < MIN_BAUD || value > MAX_BAUD) {
      return { ok: false, field: 'baud', error: `Baud rate must be a whole number from ${MIN_BAUD} to ${MAX_BAUD}.` };
    }
    message.baud = value;
  }
  if (form.dataBits !== '') {
    const value = Number(form.dataBits);
    if (!(DATA_BITS as readonly number[]).includes(value)) {
      return { ok: false, field: 'dataBits', error: 'Data bits must be 5, 6, 7 or 8.' };
    }
    message.dataBits = value;
  }
  if (form.parity !== '') {
    if (!(PARITIES as readonly string[]).includes(form.parity)) {
      return { ok: false, field: 'parity', error: 'Parity must be none, odd, even, mark or space.' };
    }
    message.parity = form.parity as Parity;
  }
  if (form.stopBits !== '') {
    if (!(STOP_BITS as readonly string[]).includes(form.stopBits)) {
      return { ok: false, field: 'stopBits', error: 'Stop bits must be 1, 1.5 or 2.' };
    }
    message.stopBits = Number(form.stopBits);
  }
  if (form.flow !== '') {
    if (!(FLOW_CONTROLS as readonly string[]).includes(form.flow)) {
      return { ok: false, field: 'flow', error: 'Flow control must be none, RTS/CTS or XON/XOFF.' };
    }
    message.flow = form.flow as FlowControlMode;
  }
  if (Object.keys(message).length === 1) {
    return { ok: false, field: 'baud', error: 'Choose at least one setting to change.' };
  }
  return { ok: true, message };
}

export function breakMessage(ms = DEFAULT_BREAK_MS): BreakMessage {
  return { type: 'break', ms: Math.min(MAX_BREAK_MS, Math.max(1, Math.round(ms))) };
}
