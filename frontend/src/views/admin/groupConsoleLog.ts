// Admin: a group's console logging — whether its serial targets are kept open and logged while
// nobody is connected, and how much of each target's log is kept (docs/console-log.md).

import * as groupsApi from '../../api/groups';
import type { ConsoleLogPolicy, Group, GroupPatch } from '../../api/types';
import { busy, input, select } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { h } from '../../dom';

const MIB = 1024 * 1024;

/** The portal's defaults (DeviceGroup.DEFAULT_LOG_MAX_BYTES, DEFAULT_LOG_DAYS). */
export const DEFAULT_LOG_MIB = 64;
export const DEFAULT_LOG_DAYS = 30;

/** The largest size offered: 64 GiB a target is far beyond any serial console's output. */
export const MAX_LOG_MIB = 65536;

export const CONSOLE_LOG_OPTIONS: { value: ConsoleLogPolicy; label: string }[] = [
  { value: 'off', label: 'Off (targets can still be logged one by one)' },
  { value: 'always', label: 'Every serial target' },
];

/** The PATCH body of the console logging form, or the problem with what was typed. */
export function consoleLogPatch(policy: string, mib: string, days: string): { ok: true; patch: GroupPatch } | { ok: false; field: string; error: string } {
  if (!CONSOLE_LOG_OPTIONS.some((o) => o.value === policy)) {
    return { ok: false, field: 'consoleLog', error: 'Pick whether serial targets are logged.' };
  }
  const size = mib.trim() === '' ? DEFAULT_LOG_MIB : Number(mib.trim());
  if (!Number.isInteger(size) || size < 1 || size > MAX_LOG_MIB) {
    return { ok: false, field: 'consoleLogMaxBytes', error: `Keep per target is a whole number of MiB, 1 to ${MAX_LOG_MIB}.` };
  }
  const kept = days.trim() === '' ? DEFAULT_LOG_DAYS : Number(days.trim());
  if (!Number.isInteger(kept) || kept < 1 || kept > 36500) {
    return { ok: false, field: 'consoleLogDays', error: 'Keep for is a whole number of days, 1 to 36500.' };
  }
  return { ok: true, patch: { consoleLog: policy as ConsoleLogPolicy, consoleLogMaxBytes: size * MIB, consoleLogDays: kept } };
}

/** The form on a group's card. */
export function groupConsoleLog(group: Group): HTMLFormElement {
  const policy = select('Console logging', 'console-log', CONSOLE_LOG_OPTIONS, group.consoleLog ?? 'off');
  const size = input({
    label: 'Keep per target (MiB)',
    name: 'console-log-mib',
    type: 'number',
    value: String(Math.round((group.consoleLogMaxBytes ?? DEFAULT_LOG_MIB * MIB) / MIB)),
    hint: 'The oldest output goes first beyond this',
  });
  size.control.min = '1';
  size.control.max = String(MAX_LOG_MIB);
  const days = input({ label: 'Keep for (days)', name: 'console-log-days', type: 'number', value: String(group.consoleLogDays ?? DEFAULT_LOG_DAYS) });
  days.control.min = '1';
  days.control.max = '36500';
  const error = errorNotice();
  const done = statusNotice();
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'group-settings',
      attrs: { 'aria-label': `Console logging of ${group.name}` },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          const result = consoleLogPatch(policy.control.value, size.control.value, days.control.value);
          if (!result.ok) {
            error.show(result.error);
            return;
          }
          try {
            const saved = await busy(form, () => groupsApi.update(group.id, result.patch));
            const on = (saved?.consoleLog ?? result.patch.consoleLog) === 'always';
            done.show(`Saved: ${on ? 'every serial target is logged' : 'serial targets are logged only one by one'}, ${Math.round((saved?.consoleLogMaxBytes ?? result.patch.consoleLogMaxBytes ?? 0) / MIB)} MiB for ${saved?.consoleLogDays ?? result.patch.consoleLogDays} days each.`);
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h4', null, 'Console logging'),
    h('p', { class: 'hint' }, 'A logged target is kept open and everything it prints is stored, also while nobody is connected. Typed input is never logged.'),
    policy.row,
    size.row,
    days.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-plain', attrs: { type: 'submit' } }, 'Save console logging')),
    error.element,
    done.element,
  );
  return form;
}
