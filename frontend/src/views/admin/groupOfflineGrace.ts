// Admin: a group's offline grace — how long one of its devices may be away before webhooks hear
// device.offline (docs/webhooks.md, "Offline grace and storms").

import * as groupsApi from '../../api/groups';
import type { Group, GroupPatch } from '../../api/types';
import { busy, input } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h } from '../../dom';

/** The portal's bound (DeviceApi.MAX_OFFLINE_GRACE_SECONDS): a day. */
export const MAX_GRACE_SECONDS = 86400;

/** The PATCH body of the form: empty is the deployment's grace; or the problem with what was typed. */
export function offlineGracePatch(seconds: string): { ok: true; patch: GroupPatch } | { ok: false; field: string; error: string } {
  const text = seconds.trim();
  if (text === '') {
    return { ok: true, patch: { defaultOfflineGrace: true } };
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > MAX_GRACE_SECONDS) {
    return { ok: false, field: 'offlineGraceSeconds', error: `Offline grace is a whole number of seconds, 0 to ${MAX_GRACE_SECONDS}, or empty.` };
  }
  return { ok: true, patch: { offlineGraceSeconds: value } };
}

/** The form on a group's card. */
export function groupOfflineGrace(group: Group): HTMLFormElement {
  const seconds = input({
    label: 'Offline grace (seconds)',
    name: 'offline-grace',
    type: 'number',
    value: group.offlineGraceSeconds == null ? '' : String(group.offlineGraceSeconds),
    hint: 'Empty: the deployment setting (TETHER_OFFLINE_GRACE); 0: at once',
  });
  seconds.control.min = '0';
  seconds.control.max = String(MAX_GRACE_SECONDS);
  const error = errorNotice();
  const done = statusNotice();
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'group-settings',
      attrs: { 'aria-label': `Offline grace of ${group.name}` },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          const result = offlineGracePatch(seconds.control.value);
          if (!result.ok) {
            error.show(result.error);
            return;
          }
          try {
            const saved = await busy(form, () => groupsApi.update(group.id, result.patch));
            const grace = saved?.offlineGraceSeconds ?? result.patch.offlineGraceSeconds;
            done.show(grace == null ? 'Saved: the deployment setting applies.' : `Saved: device.offline after ${grace} s away.`);
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h4', null, 'Offline alerts'),
    h('p', { class: 'hint' }, 'A device back within the grace raises no device.offline webhook.'),
    seconds.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-plain', attrs: { type: 'submit' } }, 'Save offline grace')),
    error.element,
    done.element,
  );
  return form;
}
