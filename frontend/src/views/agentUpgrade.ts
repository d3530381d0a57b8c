// "Upgrade agent" on a device's page (admins): the version the portal serves, the button (enabled
// when the agent can upgrade itself and is older), and the latest upgrade's progress and outcome.

import * as upgradesApi from '../api/agentUpgrades';
import type { UpgradeStatus } from '../api/agentUpgrades';
import type { Device } from '../api/types';
import { button } from '../components/form';
import { errorNotice } from '../components/notice';
import { h } from '../dom';
import { exact } from '../format';
import { olderVersion } from '../versions';

/** How often an upgrade under way is re-read, and for how long at most (download and trial fit). */
export const POLL_MILLIS = 2000;
export const POLL_LIMIT_MILLIS = 15 * 60 * 1000;

export interface AgentUpgradePanel {
  element: HTMLElement;
  /** The device as re-read (presence, a finished upgrade): the button follows it. */
  setDevice(device: Device): void;
  dispose(): void;
}

/** Why the button is off, or null when the agent can be upgraded to {@code offered}. */
export function upgradeBlocker(device: Device, offered: string | null): string | null {
  if (!offered) return 'This portal serves no agent jar to upgrade to.';
  if (!device.online) return 'The device is offline.';
  if (!device.agentUpgradable) return 'This agent cannot upgrade itself: reinstall it.';
  if (!olderVersion(device.agentVersion, offered)) return `The agent is not older than ${offered}.`;
  return null;
}

export function outcomeText(status: UpgradeStatus): string {
  if (status.outcome === null) return `Upgrade to ${status.to} under way (asked by ${status.requestedBy} at ${exact(status.requestedAt)})…`;
  if (status.outcome === 'ok') return `Upgraded from ${status.from ?? '?'} to ${status.to} at ${exact(status.finishedAt)}.`;
  return `Upgrade to ${status.to} failed: ${status.detail}`;
}

export function agentUpgradePanel(initial: Device, reread: () => void): AgentUpgradePanel {
  let device = initial;
  let offered: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;
  let pollUntil = 0;
  const offeredLine = h('p', { class: 'muted' }, 'Looking up the agent this portal serves…');
  const why = h('p', { class: 'hint' });
  const progress = h('p', { class: 'notice notice-status', attrs: { role: 'status', hidden: true } });
  const error = errorNotice();
  const upgrade = button('Upgrade agent', { kind: 'primary', onClick: () => void start() });

  const renderButton = () => {
    const blocker = upgradeBlocker(device, offered);
    upgrade.disabled = blocker !== null || timer !== undefined;
    why.textContent = blocker ?? '';
    why.hidden = blocker === null;
  };

  const show = (status: UpgradeStatus | null) => {
    progress.hidden = status === null;
    progress.textContent = status ? outcomeText(status) : '';
  };

  const poll = async () => {
    timer = undefined;
    if (disposed) return;
    try {
      const status = await upgradesApi.latest(device.id);
      show(status);
      if (status && status.outcome === null && Date.now() < pollUntil) {
        timer = setTimeout(() => void poll(), POLL_MILLIS);
      } else if (status && status.outcome !== null) {
        reread(); // the version the agent reported
      }
    } catch (e) {
      error.error(e);
    }
    renderButton();
  };

  const start = async () => {
    error.clear();
    upgrade.disabled = true;
    try {
      const asked = await upgradesApi.ask(device.id);
      progress.hidden = false;
      progress.textContent = `Upgrade from ${asked.from ?? '?'} to ${asked.to} under way…`;
      pollUntil = Date.now() + POLL_LIMIT_MILLIS;
      timer = setTimeout(() => void poll(), POLL_MILLIS);
    } catch (e) {
      error.error(e);
    }
    renderButton();
  };

  const element = h(
    'section',
    { attrs: { 'aria-labelledby': 'agent-upgrade-title' } },
    h('h2', { attrs: { id: 'agent-upgrade-title' } }, 'Agent upgrade'),
    offeredLine,
    h('div', { class: 'actions' }, upgrade),
    why,
    progress,
    error.element,
  );
  renderButton();

  void upgradesApi
    .offeredVersion()
    .then((version) => {
      offered = version;
      offeredLine.textContent = version ? `This portal serves agent ${version}.` : 'This portal serves no agent jar with a version.';
      renderButton();
    })
    .catch((e) => error.error(e));
  void upgradesApi
    .latest(device.id)
    .then((status) => {
      show(status);
      if (status && status.outcome === null) {
        pollUntil = Date.now() + POLL_LIMIT_MILLIS;
        timer = setTimeout(() => void poll(), POLL_MILLIS);
        renderButton();
      }
    })
    .catch(() => {
      // the button still works; its answer says what is wrong
    });

  return {
    element,
    setDevice(changed: Device) {
      device = changed;
      renderButton();
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}
