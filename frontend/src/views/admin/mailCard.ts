// Admin: the portal's mail (the webhooks page's "E-mail" card): which server, the last mail sent,
// the last error, and a test mail.

import * as alertsApi from '../../api/alerts';
import type { MailStatus } from '../../api/alerts';
import { busy, input, markInvalid, problemField } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h, replace } from '../../dom';
import { exact } from '../../format';

/** What the card says about the server, in each state. */
export function mailStatusLines(status: MailStatus): string[] {
  if (!status.configured) return ['Off: set TETHER_SMTP_HOST (and TETHER_SMTP_PORT, _SECURITY, _USERNAME, _PASSWORD_FILE) to send alerts by e-mail.'];
  const lines = [`Server: ${status.server ?? ''}`];
  lines.push(status.lastSentAt ? `Last mail sent: ${exact(status.lastSentAt)}` : 'No mail sent yet.');
  if (status.lastError) lines.push(`Last error (${status.lastErrorAt ? exact(status.lastErrorAt) : ''}): ${status.lastError}`);
  return lines;
}

export function mailCard(): HTMLElement {
  const to = input({ label: 'Send a test mail to', name: 'test-mail-to', type: 'email', hint: 'Empty: your own confirmed address' });
  const lines = h('div', { attrs: { 'data-testid': 'mail-status' } });
  const error = errorNotice();
  const done = statusNotice();
  const load = async () => {
    try {
      const status = await alertsApi.mailStatus();
      replace(lines, mailStatusLines(status).map((l) => h('p', l.startsWith('Last error') ? { class: 'field-error' } : null, l)));
    } catch (e) {
      error.error(e);
    }
  };
  const form: HTMLFormElement = h(
    'form',
    {
      attrs: { 'aria-label': 'Test mail' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          markInvalid({ to: to.control }, null);
          try {
            const sent = await busy(form, () => alertsApi.testMail(to.control.value.trim()));
            done.show(`Test mail sent to ${sent.sentTo}.`);
          } catch (e) {
            error.error(e);
            markInvalid({ to: to.control }, problemField(e));
          }
          await load();
        },
      },
    },
    to.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn', attrs: { type: 'submit' } }, 'Send test mail')),
  );
  void load();
  return h('section', { class: 'card', attrs: { 'aria-labelledby': 'mail-title' } }, h('h2', { attrs: { id: 'mail-title' } }, 'E-mail'), lines, error.element, done.element, form);
}
