import { describe, expect, it } from 'vitest';
import { controlCharacter, KEY_BAR, keySequence, StickyCtrl } from './keys';

const plain = { applicationCursor: false, ctrl: false };

describe('key bar sequences', () => {
  it('sends ESC and TAB as themselves', () => {
    expect(keySequence('esc', plain)).toBe('\x1b');
    expect(keySequence('tab', plain)).toBe('\t');
  });

  it('sends CSI arrows normally and SS3 arrows in application cursor mode', () => {
    expect(['up', 'down', 'right', 'left'].map((k) => keySequence(k as 'up', plain))).toEqual(['\x1b[A', '\x1b[B', '\x1b[C', '\x1b[D']);
    expect(keySequence('up', { applicationCursor: true, ctrl: false })).toBe('\x1bOA');
    expect(keySequence('left', { applicationCursor: true, ctrl: false })).toBe('\x1bOD');
  });

  it('sends xterm Ctrl+arrow sequences with Ctrl', () => {
    expect(keySequence('right', { applicationCursor: false, ctrl: true })).toBe('\x1b[1;5C');
    expect(keySequence('up', { applicationCursor: true, ctrl: true })).toBe('\x1b[1;5A');
  });

  it('names every button for screen readers', () => {
    expect(KEY_BAR.map((k) => k.name)).toEqual(['Esc', 'Tab', 'Arrow up', 'Arrow down', 'Arrow left', 'Arrow right', 'Tilde', 'Pipe', 'Ctrl-C (interrupt)', 'Ctrl-D (end of input)']);
  });

  it('sends ~, |, ETX (Ctrl-C) and EOT (Ctrl-D), the same with the sticky Ctrl on', () => {
    for (const ctrl of [false, true]) {
      const modes = { applicationCursor: false, ctrl };
      expect(['tilde', 'pipe', 'ctrl-c', 'ctrl-d'].map((k) => keySequence(k as 'tilde', modes))).toEqual(['~', '|', '\x03', '\x04']);
    }
  });
});

describe('control characters', () => {
  it('maps letters either case to 0x01-0x1A', () => {
    expect(controlCharacter('a')).toBe('\x01');
    expect(controlCharacter('c')).toBe('\x03');
    expect(controlCharacter('C')).toBe('\x03');
    expect(controlCharacter('z')).toBe('\x1a');
  });

  it('maps the punctuation a terminal maps', () => {
    expect(controlCharacter('[')).toBe('\x1b');
    expect(controlCharacter('\\')).toBe('\x1c');
    expect(controlCharacter(']')).toBe('\x1d');
    expect(controlCharacter(' ')).toBe('\x00');
    expect(controlCharacter('@')).toBe('\x00');
    expect(controlCharacter('?')).toBe('\x7f');
    expect(controlCharacter('_')).toBe('\x1f');
  });

  it('leaves what Ctrl does not change', () => {
    expect(controlCharacter('é')).toBeNull();
    expect(controlCharacter('ab')).toBeNull();
    expect(controlCharacter('')).toBeNull();
  });
});

describe('StickyCtrl', () => {
  it('turns the next typed character into its control character, then lets go', () => {
    const changes: boolean[] = [];
    const ctrl = new StickyCtrl((on) => changes.push(on));
    ctrl.toggle();
    expect(ctrl.active).toBe(true);
    expect(ctrl.apply('c')).toBe('\x03');
    expect(ctrl.active).toBe(false);
    expect(ctrl.apply('c')).toBe('c');
    expect(changes).toEqual([true, false]);
  });

  it('passes pasted text and unmappable keys unchanged, still letting go', () => {
    const ctrl = new StickyCtrl();
    ctrl.toggle();
    expect(ctrl.apply('pasted text')).toBe('pasted text');
    expect(ctrl.active).toBe(false);
  });

  it('applies to a key-bar key and is toggled off by a second press', () => {
    const ctrl = new StickyCtrl();
    ctrl.toggle();
    expect(ctrl.key('left', false)).toBe('\x1b[1;5D');
    expect(ctrl.key('left', false)).toBe('\x1b[D');
    ctrl.toggle();
    ctrl.toggle();
    expect(ctrl.active).toBe(false);
    expect(ctrl.key('esc', false)).toBe('\x1b');
  });
});
