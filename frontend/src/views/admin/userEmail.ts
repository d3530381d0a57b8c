// Admin: a user's e-mail address for alerts; an admin's word confirms it at once.

import * as alertsApi from '../../api/alerts';
import { errorNotice, statusNotice } from '../../components/notice';
import { h } from '../../dom';
import { addressEditor } from '../addressEditor';

export function userEmailCard(userId: number): HTMLElement {
  const error = errorNotice();
  const done = statusNotice();
  const editor = addressEditor({
    label: 'The user\u2019s e-mail address',
    hint: 'Confirmed at once; the user picks alerts on their account page',
    testId: 'user-email-state',
    error,
    done,
    save: (address) => alertsApi.setUserEmail(userId, address),
    saved: () => 'Address saved and confirmed.',
    remove: async () => {
      await alertsApi.removeUserEmail(userId);
      return alertsApi.userEmail(userId);
    },
    removed: 'Address removed.',
  });
  alertsApi.userEmail(userId).then(editor.show, (e: unknown) => error.error(e));
  return h('section', { class: 'card', attrs: { 'aria-labelledby': 'user-email-title' } }, h('h2', { attrs: { id: 'user-email-title' } }, 'E-mail alerts'), editor.state, error.element, done.element, editor.form);
}
