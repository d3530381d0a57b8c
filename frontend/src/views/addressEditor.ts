// An e-mail address field with "Save address" and "Remove address", and a line saying the state
// (none, waiting for confirmation, confirmed): the account page's and the admin user page's.

import type { EmailView } from '../api/alerts';
import { busy, input, markInvalid, problemField } from '../components/form';
import type { Notice } from '../components/notice';
import { h } from '../dom';
import { addressState } from './alertChoices';

export interface AddressEditorOptions {
  label: string;
  hint: string;
  testId: string;
  error: Notice;
  done: Notice;
  save: (address: string) => Promise<EmailView>;
  saved: (view: EmailView) => string;
  remove: () => Promise<EmailView>;
  removed: string;
}

export interface AddressEditor {
  state: HTMLElement;
  form: HTMLFormElement;
  show: (view: EmailView) => void;
}

export function addressEditor(o: AddressEditorOptions): AddressEditor {
  const address = input({ label: 'E-mail address', name: `${o.testId}-address`, type: 'email', autocomplete: 'email', hint: o.hint });
  const state = h('p', { attrs: { 'aria-live': 'polite', 'data-testid': o.testId } });
  const remove = h('button', { class: 'btn', attrs: { type: 'button', hidden: true } }, 'Remove address');
  const show = (view: EmailView) => {
    state.textContent = addressState(view);
    address.control.value = view.address ?? '';
    remove.hidden = view.address === null;
  };
  const begin = () => {
    o.error.clear();
    o.done.clear();
    markInvalid({ address: address.control }, null);
  };
  const form: HTMLFormElement = h(
    'form',
    {
      attrs: { 'aria-label': o.label },
      on: {
        submit: async (event) => {
          event.preventDefault();
          begin();
          try {
            const view = await busy(form, () => o.save(address.control.value.trim()));
            show(view);
            o.done.show(o.saved(view));
          } catch (e) {
            o.error.error(e);
            markInvalid({ address: address.control }, problemField(e));
          }
        },
      },
    },
    address.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save address'), remove),
  );
  remove.addEventListener('click', async () => {
    begin();
    try {
      show(await o.remove());
      o.done.show(o.removed);
    } catch (e) {
      o.error.error(e);
    }
  });
  return { state, form, show };
}
