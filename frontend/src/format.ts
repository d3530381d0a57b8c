// How times and states read on screen.

/** "just now", "5 min ago", "3 h ago", "2 d ago", or the date for older times; "never" for null. */
export function ago(iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) {
    return 'never';
  }
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) {
    return iso;
  }
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  if (seconds < 45) {
    return 'just now';
  }
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.round(minutes / 60);
  if (hours < 48) {
    return `${hours} h ago`;
  }
  const days = Math.round(hours / 24);
  if (days < 30) {
    return `${days} d ago`;
  }
  return then.toISOString().slice(0, 10);
}

/** An exact UTC timestamp for tooltips and tables: "2026-11-25 10:42:07 UTC". */
export function exact(iso: string | null | undefined): string {
  if (!iso) {
    return '—';
  }
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) {
    return iso;
  }
  return `${then.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * A time in this browser's time zone, to the second: "2026-11-25 11:42:07" (the console log's lines,
 * read beside a clock on the wall); the zone is said once on the page ({@link localZone}).
 */
export function localTime(iso: string | null | undefined): string {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) {
    return iso || '—';
  }
  return `${localMinutes(date).replace('T', ' ')}:${two(date.getSeconds())}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** "2026-11-25T11:42" in this browser's time zone. */
function localMinutes(date: Date): string {
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** This browser's offset from UTC at {@code at}, as "UTC+01:00". */
export function localZone(at: Date = new Date()): string {
  const minutes = -at.getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `UTC${sign}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}

/** A datetime-local input's value (local time) as ISO-8601 UTC; undefined when empty. */
export function localInputToIso(value: string): string | undefined {
  if (!value) {
    return undefined;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** An ISO-8601 time as a datetime-local input's value (local time, minutes); empty when unreadable. */
export function isoToLocalInput(iso: string | null | undefined): string {
  if (!iso) {
    return '';
  }
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : localMinutes(date);
}

/** Splits "a, b  c" into tags ["a", "b", "c"]. */
export function parseTags(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

/**
 * Splits an address list as people type it (one per line, or separated by commas or spaces) into
 * addresses and CIDRs, in order, each once. The portal checks each one.
 */
export function parseAddressList(text: string): string[] {
  const seen = new Set<string>();
  for (const item of text.split(/[\s,;]+/)) {
    if (item) seen.add(item);
  }
  return [...seen];
}
