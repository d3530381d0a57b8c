// Messages for the user: errors (role=alert, read out at once) and outcomes (role=status).

import { describeError } from '../api/http';
import { h, replace } from '../dom';

export interface Notice {
  element: HTMLElement;
  show(message: string): void;
  error(error: unknown): void;
  clear(): void;
}

function notice(kind: 'error' | 'status'): Notice {
  const element = h('div', {
    class: `notice notice-${kind}`,
    attrs: { role: kind === 'error' ? 'alert' : 'status', hidden: true },
  });
  return {
    element,
    show(message: string) {
      replace(element, message);
      element.hidden = false;
    },
    error(error: unknown) {
      this.show(describeError(error));
    },
    clear() {
      replace(element);
      element.hidden = true;
    },
  };
}

export function errorNotice(): Notice {
  return notice('error');
}

export function statusNotice(): Notice {
  return notice('status');
}
