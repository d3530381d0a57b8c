// asciicast v2 (https://docs.asciinema.org/manual/asciicast/v2/), the portal's `cast` export of a
// session recording: a JSON header line {version: 2, width, height, timestamp?, title?,
// idle_time_limit?}, then one JSON array per event: [seconds since the start, code, data] with
// code "o" (output), "i" (input, only when the group recorded keystrokes), "m" (marker: the portal
// marks a gap in the recording this way) or "r" (resize, "COLSxROWS").

export type CastEventType = 'o' | 'i' | 'm' | 'r';

export interface CastHeader {
  version: 2;
  width: number;
  height: number;
  /** Unix seconds of the start; null when absent. */
  timestamp: number | null;
  title: string | null;
  /** The recorder's idle-time limit in seconds, when it set one. */
  idleTimeLimit: number | null;
}

export interface CastEvent {
  /** Seconds since the start, never decreasing. */
  time: number;
  type: CastEventType;
  data: string;
}

export interface Cast {
  header: CastHeader;
  events: CastEvent[];
  /** Event lines that could not be read (e.g. a line cut short while the session is live). */
  skipped: number;
}

export class CastError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CastError';
  }
}

const TYPES: ReadonlySet<string> = new Set(['o', 'i', 'm', 'r']);

/** A terminal of this size when the header does not say (asciinema's own default). */
const DEFAULT_SIZE = { width: 80, height: 24 };

const positiveInt = (value: unknown, fallback: number) =>
  typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 10_000 ? value : fallback;

export function parseCast(text: string): Cast {
  const lines = text.split('\n');
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  if (i === lines.length) {
    throw new CastError('the recording is empty');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(lines[i]);
  } catch {
    throw new CastError('the recording does not start with an asciicast header');
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new CastError('the recording does not start with an asciicast header');
  }
  const head = raw as Record<string, unknown>;
  if (head.version !== 2) {
    throw new CastError(`the recording is asciicast version ${String(head.version)}; this player reads version 2`);
  }
  const idle = head.idle_time_limit;
  const header: CastHeader = {
    version: 2,
    width: positiveInt(head.width, DEFAULT_SIZE.width),
    height: positiveInt(head.height, DEFAULT_SIZE.height),
    timestamp: typeof head.timestamp === 'number' ? head.timestamp : null,
    title: typeof head.title === 'string' ? head.title : null,
    idleTimeLimit: typeof idle === 'number' && idle > 0 ? idle : null,
  };
  const events: CastEvent[] = [];
  let skipped = 0;
  let last = 0;
  for (i++; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    if (!Array.isArray(event) || event.length < 3 || typeof event[0] !== 'number' || !Number.isFinite(event[0]) || typeof event[1] !== 'string' || typeof event[2] !== 'string') {
      skipped++;
      continue;
    }
    if (!TYPES.has(event[1])) {
      continue; // the format lets writers add codes: a reader ignores what it does not know
    }
    // a clock that steps back would reorder output: hold it at the last time instead
    last = Math.max(last, event[0]);
    events.push({ time: last, type: event[1] as CastEventType, data: event[2] });
  }
  return { header, events, skipped };
}

/** "COLSxROWS" of a resize event; null when unreadable. */
export function parseSize(data: string): { cols: number; rows: number } | null {
  const m = /^(\d{1,5})x(\d{1,5})$/.exec(data.trim());
  if (!m) return null;
  const cols = Number(m[1]);
  const rows = Number(m[2]);
  return cols > 0 && rows > 0 ? { cols, rows } : null;
}
