// The web terminal pages: /devices/{id}/terminal/{target} opens (or shows) that target's tab, and
// /terminals shows the open ones. xterm.js is loaded only when a terminal page is first visited.

import { describeError } from '../api/http';
import { h, replace } from '../dom';
import type { View, ViewContext } from '../router';

export function terminalView(context: ViewContext): View {
  const element = h('div', { class: 'terminal-page' }, h('p', { class: 'muted', attrs: { role: 'status' } }, 'Loading the terminal…'));
  let disposed = false;
  let detach: (() => void) | null = null;
  import('../terminal/workspace')
    .then(({ workspace }) => {
      if (disposed) return;
      const ws = workspace();
      replace(element);
      ws.attach(element, context.navigate);
      detach = () => ws.detach();
      if (context.params.id !== undefined) {
        void ws.open(Number(context.params.id), context.params.target ?? '');
      }
    })
    .catch((e) => {
      if (disposed) return;
      replace(
        element,
        h('h1', null, 'Terminal'),
        h('p', { class: 'notice notice-error', attrs: { role: 'alert' } }, `The terminal could not be loaded: ${describeError(e)}. Reload the page to try again.`),
      );
    });
  return {
    title: 'Terminal',
    element,
    dispose() {
      disposed = true;
      detach?.();
    },
  };
}
