// Light or dark: the system's setting (prefers-color-scheme) unless the user picked one with the
// header's switch (remembered in this browser). The page's colours follow data-theme on <html>;
// the terminals listen for changes and swap xterm's palette.

import { type KeyValueStore, defaultStore, readPref, writePref } from './store';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_KEY = 'tether.theme';

export function parseThemeChoice(value: string | null): ThemeChoice {
  return value === 'light' || value === 'dark' ? value : 'system';
}

export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  return choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;
}

/** The switch goes system → dark → light → system. */
export function nextThemeChoice(choice: ThemeChoice): ThemeChoice {
  return choice === 'system' ? 'dark' : choice === 'dark' ? 'light' : 'system';
}

export const THEME_CHOICE_LABELS: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

const listeners = new Set<(theme: Theme) => void>();
let choice: ThemeChoice = 'system';
const systemQuery = (): MediaQueryList | null => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

export function themeChoice(): ThemeChoice {
  return choice;
}

export function currentTheme(): Theme {
  return resolveTheme(choice, systemQuery()?.matches ?? false);
}

/** Reads the remembered choice, applies it, and follows the system setting from then on. */
export function startTheme(store: KeyValueStore | null = defaultStore()): void {
  choice = parseThemeChoice(readPref(THEME_KEY, store));
  apply();
  systemQuery()?.addEventListener('change', apply);
}

export function chooseTheme(next: ThemeChoice, store: KeyValueStore | null = defaultStore()): void {
  choice = next;
  writePref(THEME_KEY, next, store);
  apply();
}

/** Calls {@code listener} on every change of the theme in effect; returns the unsubscribe. */
export function onThemeChange(listener: (theme: Theme) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function apply(): void {
  const theme = currentTheme();
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
  for (const listener of listeners) listener(theme);
}
