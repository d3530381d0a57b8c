// The device page's "Console log" cell of one target: whether the target is logged and why (its own
// setting or the group's default), and for admins the setting itself (always, off, or the group's
// default), saved at once with PATCH /api/devices/{id} {"targets": {NAME: {"log": …}}}.

import * as devicesApi from '../api/devices';
import type { Device, DeviceTarget, TargetLogSetting } from '../api/types';
import { select } from '../components/form';
import type { Notice } from '../components/notice';
import { h } from '../dom';

/** "Logged (this target's setting)", "Not logged (group default)"; null from portals without logging. */
export function logPolicyText(t: Pick<DeviceTarget, 'log' | 'logSetting'>): string | null {
  if (t.log === undefined) return null;
  const state = t.log === 'always' ? 'Logged' : 'Not logged';
  return `${state} (${t.logSetting ? "this target's setting" : 'group default'})`;
}

/** The admin's choices; the first one hands the target back to its group. */
export const LOG_SETTINGS: { value: TargetLogSetting; label: string }[] = [
  { value: 'default', label: 'Group default' },
  { value: 'always', label: 'Always log' },
  { value: 'off', label: 'Off' },
];

/** What the admin saved, in words for the page's status line. */
export function savedText(target: string, setting: TargetLogSetting): string {
  const what = setting === 'always' ? 'always logged' : setting === 'off' ? 'not logged' : "logged as its group's default says";
  return `Console logging saved: ${target} is ${what}.`;
}

/** A target's Console log link is offered once it is logged, or was set by hand (it may have a log). */
export function mayHaveLog(t: Pick<DeviceTarget, 'log' | 'logSetting'>): boolean {
  return t.log === 'always' || (t.logSetting !== undefined && t.logSetting !== null);
}

export interface LogCellOptions {
  admin: boolean;
  /** Where outcomes and errors of a change are said (it outlives the re-rendered table). */
  status: Notice;
  error: Notice;
  /** The device as the PATCH answered it. */
  updated(device: Device): void;
}

/** The cell's content: the policy in words, and for admins the setting. */
export function logCell(device: Device, t: DeviceTarget, options: LogCellOptions): HTMLElement | null {
  const text = logPolicyText(t);
  if (text === null) return null;
  const policy = h('span', { class: `log-policy ${t.log === 'always' ? 'log-on' : ''}` }, text);
  // a raw device server's single stream is never logged (the portal refuses `always` for it)
  if (!options.admin || device.mode === 'raw') return policy;
  const setting = select(`Console logging of ${t.name}`, 'log', LOG_SETTINGS, t.logSetting ?? 'default');
  setting.row.classList.add('log-setting');
  setting.control.dataset.logTarget = t.name;
  setting.control.addEventListener('change', async () => {
    const chosen = setting.control.value as TargetLogSetting;
    options.status.clear();
    options.error.clear();
    setting.control.disabled = true;
    try {
      const changed = await devicesApi.update(device.id, { targets: { [t.name]: { log: chosen } } });
      options.updated(changed);
      options.status.show(savedText(t.name, chosen));
      // the table was drawn anew: the keyboard stays on this target's setting
      [...document.querySelectorAll<HTMLSelectElement>('select[data-log-target]')].find((s) => s.dataset.logTarget === t.name)?.focus();
    } catch (e) {
      options.error.error(e);
      setting.control.value = t.logSetting ?? 'default';
    } finally {
      setting.control.disabled = false;
    }
  });
  return h('div', { class: 'log-cell' }, policy, setting.row);
}
