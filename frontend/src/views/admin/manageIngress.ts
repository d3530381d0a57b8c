// The admin part of a raw device's ingress: who may dial in, and the connect string (set, keep or
// remove). The connect string itself is never shown: the portal keeps only a hash of it.

import * as devicesApi from '../../api/devices';
import { wantsFreshFactor } from '../../api/freshFactor';
import type { Device } from '../../api/types';
import { busy, checkbox, input, markInvalid, problemField, textarea } from '../../components/form';
import { freshCodeField, freshCodePrompt } from '../../components/freshCode';
import { errorNotice, statusNotice } from '../../components/notice';
import { h } from '../../dom';
import { ALLOWED_SOURCES_HINT, ingressPatch, MAX_CONNECT_SECRET } from './rawSetup';

export function manageIngress(device: Device, updated: (device: Device) => void): HTMLElement {
  const ingress = device.ingress;
  const addresses = textarea({
    label: 'Allowed source addresses',
    name: 'allowCidrs',
    rows: 3,
    value: (ingress?.allowCidrs ?? []).join('\n'),
    hint: ALLOWED_SOURCES_HINT,
  });
  const hintFor = (required: boolean) =>
    required
      ? 'A connect string is set. Type a new one to replace it, or leave this empty to keep it.'
      : `Optional: 1-${MAX_CONNECT_SECRET} Latin-1 characters the unit sends first on every connection. Leave empty for none.`;
  const connectString = input({ label: 'Connect string', name: 'connectSecret', maxlength: MAX_CONNECT_SECRET, hint: hintFor(ingress?.connectString === true) });
  connectString.control.spellcheck = false;
  const connectHint = connectString.row.querySelector('.hint')!;
  const remove = checkbox('Remove the connect string', 'removeConnectSecret');
  const code = freshCodeField();
  const error = errorNotice();
  const done = statusNotice();
  const invalid = { allowCidrs: addresses.control, connectSecret: connectString.control };

  /** The parts that depend on whether a connect string is set now. */
  const show = (required: boolean) => {
    connectHint.textContent = hintFor(required);
    remove.row.hidden = !required;
    remove.control.checked = false;
  };
  show(ingress?.connectString === true);

  const form: HTMLFormElement = h(
    'form',
    {
      attrs: { 'aria-labelledby': 'ingress-settings-title' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          const checked = ingressPatch(addresses.control.value, connectString.control.value, remove.control.checked);
          if (!checked.ok) {
            error.show(checked.error);
            markInvalid(invalid, checked.field);
            return;
          }
          try {
            const changed = await busy(form, () => devicesApi.update(device.id, checked.body, code.value()));
            code.reset();
            markInvalid(invalid, null);
            addresses.control.value = (changed.ingress?.allowCidrs ?? checked.body.allowCidrs ?? []).join('\n');
            connectString.control.value = '';
            show(changed.ingress?.connectString === true);
            done.show('Ingress settings saved.');
            updated(changed);
          } catch (e) {
            if (wantsFreshFactor(e)) {
              error.show(freshCodePrompt(e, 'a raw ingress'));
              code.ask();
              return;
            }
            error.error(e);
            markInvalid(invalid, problemField(e));
          }
        },
      },
    },
    h('h3', { attrs: { id: 'ingress-settings-title' } }, 'Change ingress settings'),
    error.element,
    done.element,
    addresses.row,
    connectString.row,
    remove.row,
    code.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Save ingress settings')),
  );
  return form;
}
