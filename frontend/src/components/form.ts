// Labelled form controls: every control gets a <label for> so it has an accessible name.

import { ApiError } from '../api/http';
import { h, uid } from '../dom';

export interface InputOptions {
  label: string;
  name: string;
  type?: string;
  value?: string;
  required?: boolean;
  autocomplete?: string;
  placeholder?: string;
  hint?: string;
  minlength?: number;
  maxlength?: number;
  pattern?: string;
}

export interface Field<E extends HTMLElement> {
  /** The label + control (+ hint) wrapper to put in a form. */
  row: HTMLElement;
  control: E;
}

export function input(options: InputOptions): Field<HTMLInputElement> {
  const id = uid(options.name);
  const hintId = options.hint ? `${id}-hint` : null;
  const control = h('input', {
    attrs: {
      id,
      name: options.name,
      type: options.type ?? 'text',
      required: options.required ?? false,
      autocomplete: options.autocomplete ?? 'off',
      placeholder: options.placeholder,
      minlength: options.minlength,
      maxlength: options.maxlength,
      pattern: options.pattern,
      'aria-describedby': hintId,
    },
    props: { value: options.value ?? '' },
  });
  return { row: row(id, options.label, control, hintId, options.hint), control };
}

export function textarea(options: InputOptions & { rows?: number }): Field<HTMLTextAreaElement> {
  const id = uid(options.name);
  const hintId = options.hint ? `${id}-hint` : null;
  const control = h('textarea', {
    attrs: {
      id,
      name: options.name,
      rows: options.rows ?? 3,
      maxlength: options.maxlength,
      'aria-describedby': hintId,
    },
    props: { value: options.value ?? '' },
  });
  return { row: row(id, options.label, control, hintId, options.hint), control };
}

export interface Option {
  value: string;
  label: string;
}

export function select(label: string, name: string, options: Option[], value = ''): Field<HTMLSelectElement> {
  const id = uid(name);
  const control = h(
    'select',
    { attrs: { id, name } },
    options.map((o) => h('option', { props: { value: o.value, selected: o.value === value } }, o.label)),
  );
  return { row: row(id, label, control, null), control };
}

/** Replaces a select's options, keeping the chosen value when it still exists. */
export function setOptions(control: HTMLSelectElement, options: Option[]): void {
  const chosen = control.value;
  control.replaceChildren(
    ...options.map((o) => h('option', { props: { value: o.value, selected: o.value === chosen } }, o.label)),
  );
}

export function checkbox(label: string, name: string, checked = false): Field<HTMLInputElement> {
  const id = uid(name);
  const control = h('input', { attrs: { id, name, type: 'checkbox' }, props: { checked } });
  const wrapper = h('div', { class: 'field field-check' }, control, h('label', { attrs: { for: id } }, label));
  return { row: wrapper, control };
}

function row(id: string, label: string, control: HTMLElement, hintId: string | null, hint?: string): HTMLElement {
  return h(
    'div',
    { class: 'field' },
    h('label', { attrs: { for: id } }, label),
    control,
    hint ? h('p', { class: 'hint', attrs: { id: hintId } }, hint) : null,
  );
}

export function button(label: string, options: { type?: 'button' | 'submit'; kind?: 'primary' | 'danger' | 'plain'; ariaLabel?: string; onClick?: () => void } = {}): HTMLButtonElement {
  return h(
    'button',
    {
      class: `btn btn-${options.kind ?? 'plain'}`,
      attrs: { type: options.type ?? 'button', 'aria-label': options.ariaLabel },
      on: options.onClick ? { click: () => options.onClick?.() } : undefined,
    },
    label,
  );
}

/** Disables a form's controls while {@code work} runs. */
export async function busy<T>(form: HTMLFormElement | HTMLElement, work: () => Promise<T>): Promise<T> {
  const controls = [...form.querySelectorAll<HTMLButtonElement | HTMLInputElement>('button, input, select, textarea')];
  const before = controls.map((c) => c.disabled);
  controls.forEach((c) => (c.disabled = true));
  form.setAttribute('aria-busy', 'true');
  try {
    return await work();
  } finally {
    controls.forEach((c, i) => (c.disabled = before[i]));
    form.removeAttribute('aria-busy');
  }
}

/**
 * Marks the control a problem is about (the `field` of the portal's problem JSON, or of a check made
 * before sending) with aria-invalid and moves focus to it; clears the mark from the others. The
 * message itself goes to the form's error notice.
 */
export function markInvalid(controls: Record<string, HTMLElement>, field: string | null): void {
  for (const [name, control] of Object.entries(controls)) {
    if (name === field) {
      control.setAttribute('aria-invalid', 'true');
      control.focus();
    } else {
      control.removeAttribute('aria-invalid');
    }
  }
}

/** The `field` of an ApiError (a validation problem), else null. */
export function problemField(error: unknown): string | null {
  return error instanceof ApiError ? error.field : null;
}

export interface RadioGroup {
  /** A fieldset whose legend names the group. */
  row: HTMLFieldSetElement;
  controls: HTMLInputElement[];
  value(): string;
}

/** Radio buttons in a fieldset: the legend is the group's accessible name, each label a button's. */
export function radioGroup(legend: string, name: string, options: Option[], value: string): RadioGroup {
  const groupName = uid(name);
  const controls = options.map((o) =>
    // the default is an attribute, so form.reset() comes back to it
    h('input', { attrs: { id: uid(name), name: groupName, type: 'radio', value: o.value, checked: o.value === value } }),
  );
  const row = h(
    'fieldset',
    { class: 'field radio-group' },
    h('legend', null, legend),
    options.map((o, i) => h('div', { class: 'field-check' }, controls[i], h('label', { attrs: { for: controls[i].id } }, o.label))),
  );
  return { row, controls, value: () => controls.find((c) => c.checked)?.value ?? value };
}
