// A value shown once (a token, a command line) with a copy button.

import { h, uid } from '../dom';

/** Copies text; falls back to a selection + execCommand where the Clipboard API is missing (plain http). */
export async function copyText(text: string, source?: HTMLTextAreaElement | HTMLInputElement): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the selection
  }
  if (source) {
    source.focus();
    source.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
  return false;
}

/** A read-only box with {@code value} and a "Copy LABEL" button. */
export function copyBox(label: string, value: string, rows = 1): HTMLElement {
  const id = uid('copy');
  const box =
    rows > 1
      ? h('textarea', { class: 'mono', attrs: { id, rows, readonly: true, spellcheck: 'false' }, props: { value } })
      : h('input', { class: 'mono', attrs: { id, type: 'text', readonly: true, spellcheck: 'false' }, props: { value } });
  const result = h('span', { class: 'copy-result', attrs: { role: 'status' } });
  const copy = h(
    'button',
    {
      class: 'btn btn-plain',
      attrs: { type: 'button', 'aria-label': `Copy ${label}` },
      on: {
        click: async () => {
          const ok = await copyText(value, box);
          result.textContent = ok ? 'Copied' : 'Select the text and copy it';
        },
      },
    },
    'Copy',
  );
  return h('div', { class: 'copy-box' }, h('label', { attrs: { for: id } }, label), h('div', { class: 'copy-row' }, box, copy, result));
}
