// The on-screen key bar (touch screens have no Ctrl, Esc, Tab or arrow keys, and phone keyboards
// hide ~ and |): what each key sends, and the sticky Ctrl that turns the next typed character into
// its control character. BREAK is not a byte: the key bar asks the serial panel for it.

export type KeyBarKey = 'esc' | 'tab' | 'up' | 'down' | 'left' | 'right' | 'tilde' | 'pipe' | 'ctrl-c' | 'ctrl-d';

export interface KeyBarButton {
  key: KeyBarKey;
  /** What the button shows. */
  label: string;
  /** Its accessible name. */
  name: string;
}

export const KEY_BAR: readonly KeyBarButton[] = [
  { key: 'esc', label: 'Esc', name: 'Esc' },
  { key: 'tab', label: 'Tab', name: 'Tab' },
  { key: 'up', label: '↑', name: 'Arrow up' },
  { key: 'down', label: '↓', name: 'Arrow down' },
  { key: 'left', label: '←', name: 'Arrow left' },
  { key: 'right', label: '→', name: 'Arrow right' },
  { key: 'tilde', label: '~', name: 'Tilde' },
  { key: 'pipe', label: '|', name: 'Pipe' },
  { key: 'ctrl-c', label: '^C', name: 'Ctrl-C (interrupt)' },
  { key: 'ctrl-d', label: '^D', name: 'Ctrl-D (end of input)' },
];

/** Keys whose bytes are fixed: Ctrl does not change them (the sticky Ctrl still lets go). */
const FIXED: Partial<Record<KeyBarKey, string>> = { tilde: '~', pipe: '|', 'ctrl-c': '\x03', 'ctrl-d': '\x04' };

const ARROW_LETTER: Record<string, string> = { up: 'A', down: 'B', right: 'C', left: 'D' };

export interface KeyModes {
  /** DECCKM: the application asked for SS3 arrows (ESC O A) instead of CSI (ESC [ A). */
  applicationCursor: boolean;
  /** The sticky Ctrl is on. */
  ctrl: boolean;
}

/** The characters a key-bar key sends (keyboard input is UTF-8 on the wire; these are ASCII). */
export function keySequence(key: KeyBarKey, modes: KeyModes): string {
  const fixed = FIXED[key];
  if (fixed !== undefined) {
    return fixed;
  }
  switch (key) {
    case 'esc':
      return '\x1b';
    case 'tab':
      // Ctrl+Tab has no standard sequence: a terminal sends a plain Tab
      return '\t';
    default: {
      const letter = ARROW_LETTER[key];
      if (modes.ctrl) {
        return `\x1b[1;5${letter}`; // xterm's modifier 5 = Ctrl
      }
      return modes.applicationCursor ? `\x1bO${letter}` : `\x1b[${letter}`;
    }
  }
}

/**
 * The control character for Ctrl+{@code ch} as a terminal sends it (Ctrl+C = 0x03, Ctrl+[ = ESC,
 * Ctrl+Space = NUL, Ctrl+? = DEL); null for a character Ctrl does not change.
 */
export function controlCharacter(ch: string): string | null {
  if (ch.length !== 1) {
    return null;
  }
  const code = ch.charCodeAt(0);
  if (code >= 0x61 && code <= 0x7a) {
    return String.fromCharCode(code - 0x60); // a-z
  }
  if (code >= 0x40 && code <= 0x5f) {
    return String.fromCharCode(code - 0x40); // @ A-Z [ \ ] ^ _
  }
  switch (ch) {
    case ' ':
    case '2':
      return '\x00';
    case '?':
    case '8':
      return '\x7f';
    case '3':
      return '\x1b';
    case '4':
      return '\x1c';
    case '5':
      return '\x1d';
    case '6':
      return '\x1e';
    case '7':
    case '/':
      return '\x1f';
    default:
      return null;
  }
}

/**
 * The sticky Ctrl of the key bar: pressed once, it applies to the next key (typed or from the bar)
 * and then lets go, like the Ctrl of a phone's terminal app.
 */
export class StickyCtrl {
  private on = false;

  constructor(private readonly changed: (on: boolean) => void = () => {}) {}

  get active(): boolean {
    return this.on;
  }

  toggle(): void {
    this.set(!this.on);
  }

  release(): void {
    this.set(false);
  }

  /**
   * Typed input on its way to the device: with Ctrl on, a single character becomes its control
   * character (and Ctrl lets go); anything else passes unchanged.
   */
  apply(data: string): string {
    if (!this.on) {
      return data;
    }
    this.set(false);
    return controlCharacter(data) ?? data;
  }

  /** A key-bar key: sends with the current Ctrl state, then Ctrl lets go. */
  key(key: KeyBarKey, applicationCursor: boolean): string {
    const sequence = keySequence(key, { applicationCursor, ctrl: this.on });
    this.set(false);
    return sequence;
  }

  private set(on: boolean): void {
    if (on !== this.on) {
      this.on = on;
      this.changed(on);
    }
  }
}
