// Admin: a user's e-mail address for alerts; an admin's word confirms it at once.

import * as alertsApi from '../../api/alerts';
import { busy, input, markInvalid, problemField } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h } from '../../dom';
import { addressState } from '../alertChoices';

export function userEmailCard(userId: number): HTMLElement {
  const address = input({ label: 'E-mail address', name: 'user-email', type: 'email', hint: 'Confirmed at once; the user picks alerts on their account page' });
  const state = h('p', { attrs: { 'data-testid': 'user-email-state' } });
  const error = errorNotice();
  const done = statusNotice();
  const remove = h('button', { class: 'btn', attrs: { type: 'button' } }, 'Remove address');
  const show = (view: alertsApi.EmailView) => {
    state.textContent = addressState(view);
    address.control.value = view.address ?? '';
    remove.hidden = view.address === null;
  };
  const form: HTMLFormElement = h(
    'form',
    {
      attrs: { 'aria-label': 'E-mail address' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          markInvalid({ address: address.control }, null);
          try {
            show(await busy(form, () => alertsApi.setUserEmail(userId, address.control.value.trim())));
            done.show('Address saved and confirmed.');
          } catch (e) {
            error.error(e);
            markInvalid({ address: address.control }, problemField(e));
          }
        },
      },
    },
    address.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save address'), remove),
  );
  remove.addEventListener('click', async () => {
    error.clear();
    try {
      await alertsApi.removeUserEmail(userId);
      show(await alertsApi.userEmail(userId));
      done.show('Address removed.');
    } catch (e) {
      error.error(e);
    }
  });
  alertsApi.userEmail(userId).then(show, (e: unknown) => error.error(e));
  return h('section', { class: 'card', attrs: { 'aria-labelledby': 'user-email-title' } }, h('h2', { attrs: { id: 'user-email-title' } }, 'E-mail alerts'), state, error.element, done.element, form);
}
