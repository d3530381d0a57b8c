// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { clipboardShortcut, type SystemClipboard, TerminalClipboard } from './clipboard';

/** A clipboard that holds text, or refuses like a browser without permission. */
class FakeClipboard implements SystemClipboard {
  constructor(
    public text = '',
    private readonly allowed = true,
  ) {}
  async writeText(text: string): Promise<void> {
    if (!this.allowed) throw new DOMException('denied', 'NotAllowedError');
    this.text = text;
  }
  async readText(): Promise<string> {
    if (!this.allowed) throw new DOMException('denied', 'NotAllowedError');
    return this.text;
  }
}

const setup = (selection: string, system: SystemClipboard) => {
  const said: string[] = [];
  const pasted: string[] = [];
  let focused = 0;
  const clipboard = new TerminalClipboard(
    { selection: () => selection, paste: (text) => pasted.push(text), focus: () => focused++, say: (text) => said.push(text) },
    () => system,
  );
  return { clipboard, said, pasted, focused: () => focused };
};

const key = (over: Partial<KeyboardEvent>) => ({ type: 'keydown', ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, code: '', key: '', ...over });

describe('clipboardShortcut', () => {
  it('copies on Ctrl+Shift+C and Ctrl+Insert', () => {
    expect(clipboardShortcut(key({ ctrlKey: true, shiftKey: true, code: 'KeyC', key: 'C' }))).toBe('copy');
    expect(clipboardShortcut(key({ ctrlKey: true, key: 'Insert' }))).toBe('copy');
  });

  it('leaves Ctrl+Shift+V and Shift+Insert to the browser paste', () => {
    expect(clipboardShortcut(key({ ctrlKey: true, shiftKey: true, code: 'KeyV', key: 'V' }))).toBe('paste');
    expect(clipboardShortcut(key({ shiftKey: true, key: 'Insert' }))).toBe('paste');
  });

  it('lets Ctrl+C, Alt or Meta combinations and key-ups through to the device', () => {
    expect(clipboardShortcut(key({ ctrlKey: true, code: 'KeyC', key: 'c' }))).toBeNull();
    expect(clipboardShortcut(key({ ctrlKey: true, shiftKey: true, altKey: true, code: 'KeyC' }))).toBeNull();
    expect(clipboardShortcut(key({ ctrlKey: true, shiftKey: true, metaKey: true, code: 'KeyV' }))).toBeNull();
    expect(clipboardShortcut(key({ type: 'keyup', ctrlKey: true, shiftKey: true, code: 'KeyC' }))).toBeNull();
  });
});

describe('TerminalClipboard', () => {
  it('copies the selection and says how much', async () => {
    const system = new FakeClipboard();
    const { clipboard, said, focused } = setup('uptime', system);
    await clipboard.copy();
    expect(system.text).toBe('uptime');
    expect(said).toEqual(['Copied 6 characters.']);
    expect(focused()).toBe(1);
  });

  it('asks for a selection first when there is none', async () => {
    const system = new FakeClipboard('before');
    const { clipboard, said } = setup('', system);
    await clipboard.copy();
    expect(system.text).toBe('before');
    expect(said).toEqual(['Select text in the terminal first (drag, or double-click a word).']);
  });

  it('pastes through the terminal, and says when the clipboard is empty', async () => {
    const full = setup('', new FakeClipboard('ls -l\r'));
    await full.clipboard.paste();
    expect(full.pasted).toEqual(['ls -l\r']);
    expect(full.said).toEqual(['']);
    const empty = setup('', new FakeClipboard(''));
    await empty.clipboard.paste();
    expect(empty.pasted).toEqual([]);
    expect(empty.said).toEqual(['The clipboard is empty.']);
  });

  it('points to the keyboard shortcut when the browser refuses to read the clipboard', async () => {
    const { clipboard, said, pasted, focused } = setup('', new FakeClipboard('secret', false));
    await clipboard.paste();
    expect(pasted).toEqual([]);
    expect(said).toEqual(['The browser did not allow reading the clipboard: press Ctrl+Shift+V (or Shift+Insert) in the terminal.']);
    expect(focused()).toBe(0);
  });
});
