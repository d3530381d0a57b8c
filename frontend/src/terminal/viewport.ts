// How tall the terminal may be so that it owns the screen: from where it starts on the page to the
// bottom of the visual viewport (which shrinks when a phone's on-screen keyboard opens), less what
// sits under it (the key bar), so the key bar rests on the keyboard and the cursor line stays seen.

/** Below this the terminal shows too few rows to be of use; the page scrolls instead. */
export const MIN_HOST_PX = 120;

export interface ViewportLayout {
  /** The visual viewport's height (window.visualViewport.height, else innerHeight). */
  viewportHeight: number;
  /** The terminal host's top, relative to the document (not the scroll position). */
  hostTop: number;
  /** What is laid out under the host and must stay on screen (key bar, paddings). */
  below: number;
}

export function hostHeight(layout: ViewportLayout): number {
  return Math.max(MIN_HOST_PX, Math.floor(layout.viewportHeight - layout.hostTop - layout.below));
}

/** The visual viewport's height now. */
export function visibleHeight(): number {
  return window.visualViewport?.height ?? window.innerHeight;
}
