// The code field a form shows once the portal asks for a fresh second factor (link ports and raw
// ingress on a group that requires one: api/freshFactor.ts).

import { ApiError } from '../api/http';
import { input } from './form';

export interface FreshCodeField {
  row: HTMLElement;
  control: HTMLInputElement;
  /** Shows the field and moves the focus to it. */
  ask: () => void;
  /** The code typed, while the field is shown. */
  value: () => string | undefined;
  /** Empties and hides the field (after a success). */
  reset: () => void;
}

/** What to tell the user when the portal wants a fresh code for {@code what} ("a link port"). */
export function freshCodePrompt(error: unknown, what: string): string {
  if (error instanceof ApiError && error.detail.includes('is wrong')) {
    return 'That code is wrong or was used already: enter the current one from your authenticator app.';
  }
  return `This device's group requires a second factor, and ${what} lets connections in without one: enter a current code from your authenticator app to confirm it is you.`;
}

export function freshCodeField(): FreshCodeField {
  const field = input({
    label: 'Code from your authenticator app',
    name: 'fresh-code',
    autocomplete: 'one-time-code',
    maxlength: 6,
    hint: 'Six digits, used once.',
  });
  field.control.inputMode = 'numeric';
  field.row.hidden = true;
  return {
    row: field.row,
    control: field.control,
    ask: () => {
      field.row.hidden = false;
      field.control.value = '';
      field.control.focus();
    },
    value: () => (field.row.hidden ? undefined : field.control.value),
    reset: () => {
      field.control.value = '';
      field.row.hidden = true;
    },
  };
}
