// "?" anywhere outside a text field or terminal lists the keyboard shortcuts in a dialog (a native
// <dialog>: focus stays inside, Escape closes it).

import { h } from '../dom';

export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: '?', what: 'This list of shortcuts' },
  { keys: 'Tab (first on a page)', what: 'Skip link: to the content, or to the terminal on a terminal page' },
  { keys: '← → Home End', what: 'Move between terminal tabs (on the tab row)' },
  { keys: 'Ctrl+Shift+C / Ctrl+Insert', what: 'Copy the terminal selection' },
  { keys: 'Ctrl+Shift+V / Shift+Insert', what: 'Paste into the terminal' },
  { keys: 'Ctrl+Shift+F', what: 'Terminal full screen on and off (Esc also leaves)' },
  { keys: 'Ctrl+Shift+E', what: 'Leave the terminal: focus moves to its tools line' },
  { keys: 'Enter / Shift+Enter, Esc', what: 'Next / previous search match; leave the search box' },
];

/** True when "?" is meant as typing: a text field, a select, or the terminal itself. */
export function typingTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return el.isContentEditable || el.closest('input, textarea, select, .xterm') !== null;
}

export function showShortcuts(): void {
  if (document.querySelector('dialog.shortcuts')) return;
  const dialog = h('dialog', { class: 'confirm shortcuts', attrs: { 'aria-labelledby': 'shortcuts-title' } });
  const close = () => {
    dialog.close();
    dialog.remove();
  };
  dialog.append(
    h('h2', { attrs: { id: 'shortcuts-title' } }, 'Keyboard shortcuts'),
    h('dl', { class: 'facts' }, SHORTCUTS.flatMap((s) => [h('dt', null, h('kbd', null, s.keys)), h('dd', null, s.what)])),
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'button' }, on: { click: close } }, 'Close')),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
}

export function listenForShortcutsKey(): void {
  document.addEventListener('keydown', (event) => {
    if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !typingTarget(event.target)) {
      event.preventDefault();
      showShortcuts();
    }
  });
}
