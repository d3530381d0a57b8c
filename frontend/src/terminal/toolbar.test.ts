// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { h } from '../dom';
import type { DeviceEncoding } from './decoder';
import { TerminalToolbar } from './toolbar';

const setup = () => {
  const calls: string[] = [];
  const chosen: DeviceEncoding[] = [];
  const toolbar = new TerminalToolbar({
    label: 'plc/console',
    copy: () => calls.push('copy'),
    paste: () => calls.push('paste'),
    search: h('div', { class: 'term-search' }),
    encoding: 'latin-1',
    encodingChosen: (e) => chosen.push(e),
    keyBarToggle: h('button', null, 'Key bar'),
  });
  const encoding = toolbar.element.querySelector('select')!;
  return { toolbar, calls, chosen, encoding };
};

describe('TerminalToolbar', () => {
  it('is a group named for its terminal: Copy, Paste, search, encoding, key bar in that order', () => {
    const { toolbar } = setup();
    expect(toolbar.element.getAttribute('aria-label')).toBe('Terminal tools for plc/console');
    expect([...toolbar.element.children].map((c) => c.className || c.textContent)).toEqual(['btn btn-plain', 'btn btn-plain', 'term-search', 'term-encoding', 'Key bar']);
  });

  it('hands Copy and Paste to the pane, with their shortcuts as titles', () => {
    const { toolbar, calls } = setup();
    const [copy, paste] = [...toolbar.element.querySelectorAll('button')];
    copy.click();
    paste.click();
    expect(calls).toEqual(['copy', 'paste']);
    expect([copy.title, paste.title]).toEqual(['Ctrl+Shift+C', 'Ctrl+Shift+V']);
  });

  it("starts on the device's encoding, reports the user's pick, and shows a choice made elsewhere", () => {
    const { toolbar, chosen, encoding } = setup();
    expect(encoding.value).toBe('latin-1');
    encoding.value = 'cp437';
    encoding.dispatchEvent(new Event('change'));
    expect(chosen).toEqual(['cp437']);
    toolbar.showEncoding('utf-8');
    expect(encoding.value).toBe('utf-8');
  });
});
