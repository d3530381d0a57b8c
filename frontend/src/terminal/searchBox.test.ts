// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { SearchBox } from './searchBox';

const setup = (matches: string[] = []) => {
  const calls: string[] = [];
  const said: string[] = [];
  const box = new SearchBox({
    findNext: (text) => (calls.push(`next ${text}`), matches.includes(text)),
    findPrevious: (text) => (calls.push(`previous ${text}`), matches.includes(text)),
    clearDecorations: () => calls.push('clear'),
    leave: () => calls.push('leave'),
    say: (text) => said.push(text),
  });
  const input = box.element.querySelector('input')!;
  const key = (key: string, shiftKey = false) => {
    const event = new KeyboardEvent('keydown', { key, shiftKey, cancelable: true });
    input.dispatchEvent(event);
    return event;
  };
  const button = (name: string) => box.element.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`)!;
  return { box, input, calls, said, key, button };
};

describe('SearchBox', () => {
  it('finds forward on Enter and Find next, backward on Shift+Enter and Find previous', () => {
    const { input, calls, key, button } = setup(['boot']);
    input.value = 'boot';
    expect(key('Enter').defaultPrevented).toBe(true);
    key('Enter', true);
    button('Find previous').click();
    button('Find next').click();
    expect(calls).toEqual(['next boot', 'previous boot', 'previous boot', 'next boot']);
  });

  it('says when nothing matches, and clears that line on a match', () => {
    const { input, said, button } = setup(['ok']);
    input.value = 'panic';
    button('Find next').click();
    input.value = 'ok';
    button('Find next').click();
    expect(said).toEqual(['No match for “panic”.', '']);
  });

  it('clears the marks when the field is empty, without searching', () => {
    const { calls, said, button } = setup();
    button('Find next').click();
    expect(calls).toEqual(['clear']);
    expect(said).toEqual([]);
  });

  it('gives the keyboard back to the terminal on Escape', () => {
    const { calls, key } = setup();
    key('Escape');
    expect(calls).toEqual(['clear', 'leave']);
  });

  it('is a search landmark with a labelled field', () => {
    const { box, input } = setup();
    expect(box.element.getAttribute('role')).toBe('search');
    expect(box.element.querySelector(`label[for="${input.id}"]`)!.textContent).toBe('Find');
  });
});
