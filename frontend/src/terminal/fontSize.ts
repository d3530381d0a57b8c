// The terminal's font size: A− / A+ in the terminal line, remembered in this browser for every
// terminal (a wall screen wants it large, a phone small).

import { type KeyValueStore, defaultStore, readPref, writePref } from '../prefs/store';

export const FONT_SIZE_KEY = 'tether.terminal.fontSize';
export const DEFAULT_FONT_SIZE = 14;
/** Below 8 px nothing is legible; above 32 px a phone shows fewer than 20 columns. */
export const MIN_FONT_SIZE = 8;
export const MAX_FONT_SIZE = 32;

export function clampFontSize(size: number): number {
  return Number.isFinite(size) ? Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, Math.round(size))) : DEFAULT_FONT_SIZE;
}

export function loadFontSize(store: KeyValueStore | null = defaultStore()): number {
  const stored = readPref(FONT_SIZE_KEY, store);
  return stored === null ? DEFAULT_FONT_SIZE : clampFontSize(Number(stored));
}

/** The size one step ({@code delta} = ±1) from {@code size}, saved for the next terminal. */
export function stepFontSize(size: number, delta: number, store: KeyValueStore | null = defaultStore()): number {
  const next = clampFontSize(size + delta);
  writePref(FONT_SIZE_KEY, String(next), store);
  return next;
}
