// The terminals' colours (live terminals and replays) for the page's light and dark themes.

/** xterm's colours for the page's theme (the host's background, --term-bg in styles.css, matches). */
export const TERMINAL_THEMES = {
  dark: { background: '#0b1020', foreground: '#e2e8f0', cursor: '#93c5fd', cursorAccent: '#0b1020', selectionBackground: '#3b82f680' },
  light: { background: '#fdfdfb', foreground: '#1f2937', cursor: '#1d4ed8', cursorAccent: '#fdfdfb', selectionBackground: '#93c5fd99' },
} as const;
