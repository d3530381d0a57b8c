// Admin: device groups (the unit grants are given on), each with its session recording policy, how
// long recordings are kept, the encoding and tags its new devices get, its console logging and its
// console rules.

import * as groupsApi from '../../api/groups';
import type { Group, GroupPatch, RecordingPolicy } from '../../api/types';
import { busy, input, select } from '../../components/form';
import { consoleRules } from './consoleRules';
import { groupConsoleLog } from './groupConsoleLog';
import { groupOfflineGrace } from './groupOfflineGrace';
import { groupSecondFactor } from './groupSecondFactor';
import { groupUpgrade } from './groupUpgrade';
import { errorNotice, statusNotice } from '../../components/notice';
import { h, replace, uid } from '../../dom';
import { parseTags } from '../../format';
import type { View } from '../../router';
import { DEFAULT_ENCODING, ENCODING_LABELS } from '../../terminal/encodingPrefs';

/** The portal records output unless a group says otherwise (docs/api.md "Sessions"). */
export const DEFAULT_RECORDING: RecordingPolicy = 'output';

export const RECORDING_OPTIONS: { value: RecordingPolicy; label: string }[] = [
  { value: 'off', label: 'Off' },
  { value: 'output', label: 'Output only' },
  { value: 'all', label: 'Output and input' },
];

/**
 * The PATCH body of a group's settings form. An empty retention means the deployment default,
 * sent as defaultRetention: true; anything else must be a whole number of days, 1 to
 * MAX_RETENTION_DAYS (the portal refuses more: 100 years is "keep").
 */
export const MAX_RETENTION_DAYS = 36500;

export function groupPatch(recording: string, retention: string): { ok: true; patch: GroupPatch } | { ok: false; error: string } {
  if (!RECORDING_OPTIONS.some((o) => o.value === recording)) {
    return { ok: false, error: 'Pick a recording policy.' };
  }
  const text = retention.trim();
  if (text === '') {
    return { ok: true, patch: { recording: recording as RecordingPolicy, defaultRetention: true } };
  }
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > MAX_RETENTION_DAYS) {
    return { ok: false, error: `Retention is a whole number of days (1 to ${MAX_RETENTION_DAYS}), or empty for the default.` };
  }
  return { ok: true, patch: { recording: recording as RecordingPolicy, retentionDays: Number(text) } };
}

/** A device may carry this many tags (DeviceApi.MAX_TAGS); a group's defaults count among them. */
export const MAX_TAGS = 32;

const TAG = /^[A-Za-z0-9_.:-]{1,64}$/;

/** The PATCH body of a group's defaults form: its new devices' encoding and tags. */
export function groupDefaultsPatch(encoding: string, tags: string): { ok: true; patch: GroupPatch } | { ok: false; error: string } {
  if (!(encoding in ENCODING_LABELS)) {
    return { ok: false, error: 'Pick an encoding.' };
  }
  const list = [...new Set(parseTags(tags))];
  const bad = list.find((t) => !TAG.test(t));
  if (bad !== undefined) {
    return { ok: false, error: `Tag "${bad}": tags use letters, digits and _ . : - (at most 64).` };
  }
  if (list.length > MAX_TAGS) {
    return { ok: false, error: `At most ${MAX_TAGS} default tags.` };
  }
  return { ok: true, patch: { defaultEncoding: encoding, defaultTags: list } };
}

export function groupsView(): View {
  const name = input({ label: 'Group name', name: 'group-name', required: true, maxlength: 64, hint: 'Letters, digits and _ . -' });
  const error = errorNotice();
  const done = statusNotice();
  const list = h('ul', { class: 'plain-list group-list', attrs: { 'aria-label': 'Groups' } });

  const load = async () => {
    try {
      const groups = await groupsApi.list();
      replace(list, groups.map(groupItem));
    } catch (e) {
      error.error(e);
    }
  };

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'card',
      attrs: { 'aria-labelledby': 'new-group-title' },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          try {
            const group = await busy(form, () => groupsApi.create(name.control.value.trim()));
            form.reset();
            done.show(`Group ${group.name} created.`);
            void load();
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h2', { attrs: { id: 'new-group-title' } }, 'New group'),
    error.element,
    done.element,
    name.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-primary', attrs: { type: 'submit' } }, 'Create group')),
  );
  void load();
  return {
    title: 'Groups',
    element: h(
      'section',
      null,
      h('h1', null, 'Groups'),
      form,
      h('h2', null, 'All groups'),
      h(
        'p',
        { class: 'hint' },
        'Recording applies to sessions that start after a change. "Output and input" also records what users type, including passwords typed at prompts.',
      ),
      h('p', { class: 'hint' }, "A group's new devices (created on Manage devices, imported from CSV or enrolled) get its default encoding unless they name one, and its default tags besides their own. Devices already in the group keep theirs."),
      list,
    ),
  };
}

/** One group: its name (a link to its devices) and a form for its recording settings. */
function groupItem(group: Group): HTMLElement {
  const recording = select('Recording', 'recording', RECORDING_OPTIONS, group.recording ?? DEFAULT_RECORDING);
  const retention = input({
    label: 'Retention (days)',
    name: 'retention-days',
    type: 'number',
    value: group.retentionDays === null || group.retentionDays === undefined ? '' : String(group.retentionDays),
    hint: "Empty: the deployment's default (TETHER_RECORDING_RETENTION)",
  });
  retention.control.min = '1';
  retention.control.max = String(MAX_RETENTION_DAYS);
  retention.control.step = '1';
  const warningId = uid('recording-warning');
  const warning = h('p', { class: 'hint warning', attrs: { id: warningId, hidden: true } }, 'Input capture records what users type, including passwords typed at prompts.');
  recording.control.setAttribute('aria-describedby', warningId);
  const showWarning = () => {
    warning.hidden = recording.control.value !== 'all';
  };
  recording.control.addEventListener('change', showWarning);
  showWarning();
  const error = errorNotice();
  const done = statusNotice();
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'group-settings',
      attrs: { 'aria-label': `Recording of ${group.name}` },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          const result = groupPatch(recording.control.value, retention.control.value);
          if (!result.ok) {
            error.show(result.error);
            return;
          }
          try {
            const saved = await busy(form, () => groupsApi.update(group.id, result.patch));
            const days = saved ? saved.retentionDays : result.patch.retentionDays ?? null;
            done.show(`Saved: ${RECORDING_OPTIONS.find((o) => o.value === (saved?.recording ?? result.patch.recording))?.label.toLowerCase()}, ${days ? `kept ${days} days` : 'kept for the default time'}.`);
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    recording.row,
    warning,
    retention.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-plain', attrs: { type: 'submit' } }, 'Save')),
    error.element,
    done.element,
  );
  return h(
    'li',
    { class: 'card', attrs: { 'data-group': group.name } },
    h('h3', null, h('a', { attrs: { href: `/?group=${encodeURIComponent(group.name)}` } }, group.name)),
    form,
    groupSecondFactor(group),
    defaultsForm(group),
    groupConsoleLog(group),
    groupOfflineGrace(group),
    consoleRules(group.name),
    groupUpgrade(group.name),
  );
}

/** The group's defaults for its new devices: encoding and tags. */
function defaultsForm(group: Group): HTMLFormElement {
  const encoding = select(
    'Default encoding',
    'default-encoding',
    Object.entries(ENCODING_LABELS).map(([value, label]) => ({ value, label })),
    group.defaultEncoding ?? DEFAULT_ENCODING,
  );
  const tags = input({ label: 'Default tags', name: 'default-tags', value: (group.defaultTags ?? []).join(' '), hint: 'Separated by commas or spaces; empty: none' });
  const error = errorNotice();
  const done = statusNotice();
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'group-settings',
      attrs: { 'aria-label': `New devices in ${group.name}` },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          const result = groupDefaultsPatch(encoding.control.value, tags.control.value);
          if (!result.ok) {
            error.show(result.error);
            return;
          }
          try {
            const saved = await busy(form, () => groupsApi.update(group.id, result.patch));
            const savedTags = saved?.defaultTags ?? result.patch.defaultTags ?? [];
            done.show(`Saved: new devices get ${ENCODING_LABELS[(saved?.defaultEncoding ?? result.patch.defaultEncoding) as keyof typeof ENCODING_LABELS]}, ${savedTags.length ? `tags ${savedTags.join(' ')}` : 'no default tags'}.`);
          } catch (e) {
            error.error(e);
          }
        },
      },
    },
    h('h4', null, 'New devices'),
    encoding.row,
    tags.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-plain', attrs: { type: 'submit' } }, 'Save defaults')),
    error.element,
    done.element,
  );
  return form;
}
