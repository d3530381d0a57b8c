// A modal confirmation for destructive actions (a native <dialog>, so focus and Escape work).

import { h } from '../dom';

export interface ConfirmOptions {
  title: string;
  message: string;
  confirmLabel: string;
}

export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  return new Promise((resolve) => {
    const titleId = `confirm-title-${Date.now()}`;
    const dialog = h('dialog', { class: 'confirm', attrs: { 'aria-labelledby': titleId } });
    const finish = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    dialog.append(
      h('h2', { attrs: { id: titleId } }, options.title),
      h('p', null, options.message),
      h(
        'div',
        { class: 'actions' },
        h('button', { class: 'btn btn-plain', attrs: { type: 'button' }, on: { click: () => finish(false) } }, 'Cancel'),
        h('button', { class: 'btn btn-danger', attrs: { type: 'button' }, on: { click: () => finish(true) } }, options.confirmLabel),
      ),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      finish(false);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
