// "Upgrade agents" on a group's card (admins): the group's online agents that can upgrade themselves
// and are older than the portal's jar, upgraded a few at a time by the portal.

import * as upgradesApi from '../../api/agentUpgrades';
import { busy, button } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h } from '../../dom';

export function groupUpgrade(group: string): HTMLElement {
  const error = errorNotice();
  const done = statusNotice();
  const box: HTMLElement = h('div', { class: 'group-upgrade' });
  const run = button('Upgrade agents', {
    ariaLabel: `Upgrade agents of ${group}`,
    onClick: () => {
      error.clear();
      done.clear();
      void busy(box, () => upgradesApi.upgradeGroup(group))
        .then((wave) =>
          done.show(
            wave.devices.length === 0
              ? `No agent in ${group} to upgrade to ${wave.to}: none online, able to upgrade itself and older.`
              : `Upgrading ${wave.devices.length} agent(s) to ${wave.to}, ${wave.atOnce} at a time: ${wave.devices.join(', ')}. Each device's page and the audit log show the outcome.`,
          ),
        )
        .catch((e) => error.error(e));
    },
  });
  box.append(h('div', { class: 'actions' }, run), error.element, done.element);
  return box;
}
