// "Console rules" on a group's card (admins): regular expressions matched against the lines the
// group's devices print; a match raises console.match (an audit entry and a badge on the device).
// A pattern the portal refuses shows the portal's reason next to the pattern field.

import * as rulesApi from '../../api/consoleRules';
import type { ConsoleRule, NewConsoleRule, Severity } from '../../api/types';
import { busy, input, problemField, select } from '../../components/form';
import { errorNotice, statusNotice } from '../../components/notice';
import { describeError } from '../../api/http';
import { h, replace, uid } from '../../dom';

/** The portal's defaults and bounds (docs/api.md "Console rules"). */
export const DEFAULT_COOLDOWN_SECONDS = 300;
export const MAX_COOLDOWN_SECONDS = 86400;
export const MAX_PATTERN_CHARS = 512;

export const SEVERITY_OPTIONS: { value: Severity; label: string }[] = [
  { value: 'info', label: 'Info' },
  { value: 'warning', label: 'Warning' },
  { value: 'critical', label: 'Critical' },
];

/** The fields of the form a check (here or the portal's) can be about. */
export type RuleField = 'name' | 'pattern' | 'severity' | 'cooldownSeconds';

/**
 * The POST body of the new-rule form, checked as far as the page can: the pattern's syntax is the
 * portal's to judge (RE2, not JavaScript's). An empty cool-down is the default.
 */
export function consoleRuleBody(name: string, pattern: string, severity: string, cooldown: string): { ok: true; rule: NewConsoleRule } | { ok: false; field: RuleField; error: string } {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 64) {
    return { ok: false, field: 'name', error: 'A name of 1 to 64 characters.' };
  }
  if (pattern === '') {
    return { ok: false, field: 'pattern', error: 'A regular expression, such as Kernel panic.' };
  }
  if (pattern.length > MAX_PATTERN_CHARS) {
    return { ok: false, field: 'pattern', error: `At most ${MAX_PATTERN_CHARS} characters.` };
  }
  if (!SEVERITY_OPTIONS.some((o) => o.value === severity)) {
    return { ok: false, field: 'severity', error: 'Pick a severity.' };
  }
  const text = cooldown.trim();
  if (text !== '' && (!/^\d+$/.test(text) || Number(text) > MAX_COOLDOWN_SECONDS)) {
    return { ok: false, field: 'cooldownSeconds', error: `A whole number of seconds, 0 to ${MAX_COOLDOWN_SECONDS}.` };
  }
  return {
    ok: true,
    rule: { name: trimmed, pattern, severity: severity as Severity, cooldownSeconds: text === '' ? DEFAULT_COOLDOWN_SECONDS : Number(text) },
  };
}

/** "5 min", "1 h 30 min", "45 s", "none": a cool-down as people read it. */
export function cooldownLabel(seconds: number): string {
  if (seconds === 0) return 'none';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h} h` : '', m ? `${m} min` : '', s ? `${s} s` : ''].filter(Boolean).join(' ');
}

/** A message shown under one field, read with it (aria-describedby) while it is there. */
function fieldError(control: HTMLElement): { element: HTMLElement; show(message: string): void; clear(): void } {
  const id = uid('field-error');
  const element = h('p', { class: 'field-error', attrs: { id, hidden: true } });
  const describedBy = control.getAttribute('aria-describedby');
  return {
    element,
    show(message: string) {
      replace(element, message);
      element.hidden = false;
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', [describedBy, id].filter(Boolean).join(' '));
    },
    clear() {
      replace(element);
      element.hidden = true;
      control.removeAttribute('aria-invalid');
      if (describedBy) control.setAttribute('aria-describedby', describedBy);
      else control.removeAttribute('aria-describedby');
    },
  };
}

export function consoleRules(group: string): HTMLElement {
  const titleId = uid('console-rules-title');
  const listError = errorNotice();
  const list = h('div');
  const name = input({ label: 'Rule name', name: 'rule-name', required: true, maxlength: 64 });
  const pattern = input({ label: 'Pattern', name: 'rule-pattern', required: true, maxlength: MAX_PATTERN_CHARS, hint: 'RE2 syntax, found anywhere in a line; (?i) ignores case' });
  const severity = select('Severity', 'rule-severity', SEVERITY_OPTIONS, 'warning');
  const cooldown = input({ label: 'Cool-down (seconds)', name: 'rule-cooldown', type: 'number', value: String(DEFAULT_COOLDOWN_SECONDS), hint: 'Quiet this long after raising, per device target' });
  cooldown.control.min = '0';
  cooldown.control.max = String(MAX_COOLDOWN_SECONDS);
  cooldown.control.step = '1';
  const controls: Record<RuleField, HTMLElement> = { name: name.control, pattern: pattern.control, severity: severity.control, cooldownSeconds: cooldown.control };
  const rows: Record<RuleField, HTMLElement> = { name: name.row, pattern: pattern.row, severity: severity.row, cooldownSeconds: cooldown.row };
  const errors = Object.fromEntries(
    (Object.keys(controls) as RuleField[]).map((field) => {
      const e = fieldError(controls[field]);
      rows[field].append(e.element);
      return [field, e];
    }),
  ) as Record<RuleField, ReturnType<typeof fieldError>>;
  const error = errorNotice();
  const done = statusNotice();

  const showFieldError = (field: RuleField, message: string) => {
    errors[field].show(message);
    controls[field].focus();
  };

  const render = (rules: ConsoleRule[]) => {
    if (rules.length === 0) {
      replace(list, h('p', { class: 'muted' }, 'No console rules.'));
      return;
    }
    replace(
      list,
      h(
        'table',
        { class: 'list console-rule-list' },
        h('caption', { class: 'visually-hidden' }, `Console rules of ${group}`),
        h('thead', null, h('tr', null, ['Name', 'Pattern', 'Severity', 'Cool-down', 'Actions'].map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
        h('tbody', null, rules.map(ruleRow)),
      ),
    );
  };

  const ruleRow = (rule: ConsoleRule): HTMLElement =>
    h(
      'tr',
      { attrs: { 'data-rule-id': rule.id } },
      h('th', { attrs: { scope: 'row' } }, rule.name),
      h('td', null, h('code', null, rule.pattern)),
      h('td', null, rule.severity),
      h('td', null, cooldownLabel(rule.cooldownSeconds)),
      h(
        'td',
        null,
        h(
          'button',
          {
            class: 'btn btn-small btn-danger',
            attrs: { type: 'button', 'aria-label': `Delete console rule ${rule.name} of ${group}` },
            on: {
              click: (event) => {
                listError.clear();
                done.clear();
                const button = event.currentTarget as HTMLButtonElement;
                void busy(button.closest('tr') ?? button, () => rulesApi.remove(group, rule.id))
                  .then(() => {
                    done.show(`Console rule ${rule.name} deleted.`);
                    return load();
                  })
                  .catch((e) => listError.error(e));
              },
            },
          },
          'Delete',
        ),
      ),
    );

  const load = async () => {
    try {
      render(await rulesApi.list(group));
    } catch (e) {
      listError.error(e);
    }
  };

  const form: HTMLFormElement = h(
    'form',
    {
      class: 'group-settings',
      attrs: { 'aria-label': `New console rule for ${group}`, novalidate: true },
      on: {
        submit: async (event) => {
          event.preventDefault();
          error.clear();
          done.clear();
          Object.values(errors).forEach((e) => e.clear());
          const result = consoleRuleBody(name.control.value, pattern.control.value, severity.control.value, cooldown.control.value);
          if (!result.ok) {
            showFieldError(result.field, result.error);
            return;
          }
          try {
            const created = await busy(form, () => rulesApi.create(group, result.rule));
            form.reset();
            done.show(`Console rule ${created.name} added.`);
            void load();
          } catch (e) {
            const field = problemField(e);
            if (field !== null && field in controls) {
              showFieldError(field as RuleField, describeError(e)); // e.g. the pattern's syntax error
            } else {
              error.error(e);
            }
          }
        },
      },
    },
    name.row,
    pattern.row,
    severity.row,
    cooldown.row,
    h('div', { class: 'actions' }, h('button', { class: 'btn btn-plain', attrs: { type: 'submit' } }, 'Add rule')),
    error.element,
  );

  void load();
  return h(
    'section',
    { class: 'console-rules', attrs: { 'aria-labelledby': titleId } },
    h('h4', { attrs: { id: titleId } }, 'Console rules'),
    h('p', { class: 'hint' }, 'A line a device of this group prints that matches a rule raises console.match: an entry in the audit log and a badge on the device. A rule then stays quiet on that device target for its cool-down.'),
    listError.element,
    list,
    form,
    done.element,
  );
}
