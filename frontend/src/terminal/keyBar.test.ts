// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { KeyBar } from './keyBar';

const setup = (shown = false, applicationCursor = false) => {
  const sent: string[] = [];
  let toggles = 0;
  const bar = new KeyBar({ send: (data) => sent.push(data), applicationCursor: () => applicationCursor, shown, toggled: () => toggles++ });
  const key = (name: string) => [...bar.element.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent) === name)!;
  return { bar, sent, key, toggles: () => toggles };
};

describe('KeyBar', () => {
  it('sends what each key stands for, arrows as the application asked', () => {
    const { sent, key } = setup();
    key('Esc').click();
    key('Tab').click();
    key('Arrow up').click();
    expect(sent).toEqual(['\x1b', '\t', '\x1b[A']);
    const ss3 = setup(false, true);
    ss3.key('Arrow left').click();
    expect(ss3.sent).toEqual(['\x1bOD']);
  });

  it('sends ~, |, Ctrl-C and Ctrl-D as their bytes, Ctrl or not', () => {
    const { sent, key } = setup();
    key('Tilde').click();
    key('Pipe').click();
    key('Ctrl-C (interrupt)').click();
    key('Ctrl').click();
    key('Ctrl-D (end of input)').click();
    expect(sent).toEqual(['~', '|', '\x03', '\x04']);
    expect(key('Ctrl').getAttribute('aria-pressed')).toBe('false');
  });

  it('offers BREAK only where the target is serial', () => {
    expect(setup().key('Send break')).toBeUndefined();
    let breaks = 0;
    const bar = new KeyBar({ send: () => {}, applicationCursor: () => false, shown: true, toggled: () => {}, sendBreak: () => breaks++ });
    bar.element.querySelector<HTMLButtonElement>('button[aria-label="Send break"]')!.click();
    expect(breaks).toBe(1);
  });

  it('applies a tapped Ctrl to the next typed key only, and shows it pressed meanwhile', () => {
    const { bar, key } = setup();
    key('Ctrl').click();
    expect(key('Ctrl').getAttribute('aria-pressed')).toBe('true');
    expect(bar.apply('c')).toBe('\x03');
    expect(key('Ctrl').getAttribute('aria-pressed')).toBe('false');
    expect(bar.apply('c')).toBe('c');
  });

  it('starts shown only where asked (touch screens), and the toggle shows and hides it', () => {
    const { bar, toggles } = setup(false);
    expect(bar.element.hidden).toBe(true);
    expect(bar.toggle.getAttribute('aria-expanded')).toBe('false');
    bar.toggle.click();
    expect(bar.element.hidden).toBe(false);
    expect(bar.toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggles()).toBe(1);
    expect(setup(true).bar.element.hidden).toBe(false);
  });

  it('keeps the focus in the terminal when a key is pressed', () => {
    const { bar } = setup(true);
    const press = new MouseEvent('mousedown', { cancelable: true, bubbles: true });
    bar.element.querySelector('button')!.dispatchEvent(press);
    expect(press.defaultPrevented).toBe(true);
  });
});
