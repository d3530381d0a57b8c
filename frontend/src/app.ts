// The shell: header with navigation and sign-out, the routed view in <main>, and the rules that
// send a signed-out user to the sign-in page (and back where they were after signing in). On narrow
// screens the navigation folds behind a Menu button; the theme switch, the skip link (to the
// terminal on terminal pages) and the "?" shortcuts list live here too.

import { http } from './api/http';
import { h, replace } from './dom';
import { isAppLink, match, type Route, type View } from './router';
import * as session from './session';
import { routes } from './routes';
import { terminalView } from './views/terminal';
import { keepCellsLabelled } from './components/stackedTables';
import { listenForShortcutsKey, showShortcuts } from './components/shortcuts';
import { chooseTheme, nextThemeChoice, startTheme, THEME_CHOICE_LABELS, themeChoice } from './prefs/theme';
import { closeAllTerminals, onTerminalCountChange, openTerminalCount, terminalsTakeSessionEnd } from './terminal/registry';
import { unreadBadge } from './views/unreadBadge';
import { takeRememberedNext } from './views/signIn';

export const SIGN_IN_PATH = '/sign-in';

export class App {
  private readonly header = h('header', { class: 'top' });
  private readonly main = h('main', { attrs: { id: 'main', tabindex: '-1' } });
  private readonly skip = h('a', { class: 'skip', attrs: { href: '#main' }, on: { click: (event) => this.skipTo(event) } }, 'Skip to content');
  private view: View | null = null;

  constructor(private readonly root: HTMLElement) {}

  async start(): Promise<void> {
    startTheme();
    replace(this.root, this.skip, this.header, this.main);
    keepCellsLabelled(this.main);
    listenForShortcutsKey();
    http.onUnauthorized(() => {
      // the session expired or was revoked: sign in again, then come back here
      session.forget();
      if (terminalsTakeSessionEnd()) {
        this.renderHeader(); // a terminal page shows why its terminals closed and links to sign-in
        return;
      }
      closeAllTerminals();
      // already there: rendering it anew would wipe what the user is typing (the live stream keeps
      // retrying after a sign-out, and each failure asks GET /api/me, which answers 401)
      if (location.pathname === SIGN_IN_PATH) return;
      this.navigate(signInPath(location.pathname + location.search), { replace: true });
    });
    document.addEventListener('click', (event) => {
      const anchor = (event.target as Element | null)?.closest?.('a');
      if (anchor && isAppLink(anchor, event, location.origin)) {
        event.preventDefault();
        const url = new URL(anchor.href);
        this.navigate(url.pathname + url.search);
      }
    });
    window.addEventListener('popstate', () => void this.render());
    onTerminalCountChange(() => this.renderHeader());
    try {
      await session.restore();
    } catch {
      // the portal is unreachable: the sign-in page will say so on submit
    }
    await this.render();
  }

  navigate(path: string, options: { replace?: boolean } = {}): void {
    if (options.replace) {
      history.replaceState(null, '', path);
    } else {
      history.pushState(null, '', path);
    }
    void this.render();
  }

  private async render(): Promise<void> {
    const path = location.pathname;
    const found = match(routes, path);
    const signedIn = session.me() !== null;
    if (!signedIn) {
      closeAllTerminals(); // nothing of a previous session's terminals stays for the next user
    }
    if (!signedIn && !found?.route.public) {
      history.replaceState(null, '', signInPath(path === '/' ? null : path + location.search));
      return this.render();
    }
    if (signedIn && path === '/') {
      const next = takeRememberedNext(); // back from single sign-on to where the user was going
      if (next && next !== '/') {
        history.replaceState(null, '', next);
        return this.render();
      }
    }
    if (signedIn && path === SIGN_IN_PATH) {
      history.replaceState(null, '', '/');
      return this.render();
    }
    this.view?.dispose?.();
    this.renderHeader();
    const view = found ? this.allowed(found.route) : notFound();
    const context = {
      params: found?.params ?? {},
      query: new URLSearchParams(location.search),
      navigate: (to: string, options?: { replace?: boolean }) => this.navigate(to, options),
    };
    this.view = view ?? found!.route.view(context);
    replace(this.main, this.view.element);
    const terminalPage = found?.route.view === terminalView;
    this.skip.textContent = terminalPage ? 'Skip to the terminal' : 'Skip to content';
    document.body.classList.toggle('terminal-page', terminalPage);
    document.title = `${this.view.title} · Tether`;
  }

  /** The skip link: to the shown terminal on a terminal page (its keyboard input), else to <main>. */
  private skipTo(event: Event): void {
    event.preventDefault();
    const terminal = this.main.querySelector<HTMLElement>('.term-panel:not([hidden]) .xterm-helper-textarea');
    (terminal ?? this.main).focus();
  }

  /** The theme switch and the shortcuts button: there signed in or not. */
  private tools(): HTMLElement {
    // a symbol on screen (the header must fit one line at 1280 px), the choice in its name and title
    const theme = h(
      'button',
      {
        class: 'btn btn-plain btn-icon',
        attrs: { type: 'button', 'aria-label': THEME_CHOICE_LABELS[themeChoice()], title: `${THEME_CHOICE_LABELS[themeChoice()]} (light, dark or as the system says)` },
        on: {
          click: () => {
            chooseTheme(nextThemeChoice(themeChoice()));
            theme.setAttribute('aria-label', THEME_CHOICE_LABELS[themeChoice()]);
            theme.title = `${THEME_CHOICE_LABELS[themeChoice()]} (light, dark or as the system says)`;
          },
        },
      },
      '◐',
    );
    const keys = h('button', { class: 'btn btn-plain btn-icon', attrs: { type: 'button', 'aria-label': 'Keyboard shortcuts', title: 'Keyboard shortcuts (?)' }, on: { click: showShortcuts } }, '?');
    return h('div', { class: 'tools' }, theme, keys);
  }

  /** null when the route may be shown; otherwise the view that says why not. */
  private allowed(route: Route): View | null {
    if (route.admin && !session.isAdmin()) {
      return {
        title: 'Not allowed',
        element: h('section', null, h('h1', null, 'Not allowed'), h('p', null, 'This page is for admins.')),
      };
    }
    return null;
  }

  private renderHeader(): void {
    const profile = session.me();
    if (!profile) {
      replace(this.header, h('span', { class: 'brand' }, 'Tether'), h('div', { class: 'who' }, this.tools()));
      return;
    }
    const link = (href: string, label: string) => {
      const current = location.pathname === href || (href !== '/' && location.pathname.startsWith(`${href}/`));
      return h('li', null, h('a', { attrs: { href, 'aria-current': current ? 'page' : null } }, label));
    };
    const signOut = h(
      'button',
      {
        class: 'btn btn-plain',
        attrs: { type: 'button' },
        on: {
          click: async () => {
            signOut.disabled = true;
            closeAllTerminals();
            try {
              await session.signOut();
            } catch {
              // the session is gone either way
            }
            this.navigate(SIGN_IN_PATH);
          },
        },
      },
      'Sign out',
    );
    const menu = h(
      'button',
      {
        class: 'btn btn-plain menu-button',
        attrs: { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'main-menu' },
        on: {
          click: () => {
            const open = menu.getAttribute('aria-expanded') !== 'true';
            menu.setAttribute('aria-expanded', String(open));
            this.header.classList.toggle('menu-open', open);
          },
        },
      },
      'Menu',
    );
    replace(
      this.header,
      h('a', { class: 'brand', attrs: { href: '/' } }, 'Tether'),
      menu,
      h(
        'nav',
        { attrs: { 'aria-label': 'Main', id: 'main-menu' } },
        h(
          'ul',
          null,
          link('/', 'Overview'),
          link('/devices', 'Devices'),
          link('/sessions', 'Sessions'),
          link('/tokens', 'API tokens'),
          link('/audit', 'Audit log'),
          openTerminalCount() > 0 ? link('/terminals', `Terminals (${openTerminalCount()})`) : null,
          profile.admin ? [link('/admin/users', 'Users'), link('/admin/groups', 'Groups'), link('/admin/devices', 'Manage devices'), link('/admin/enrollment', 'Enrollment'), link('/admin/nodes', 'Nodes')] : null,
        ),
      ),
      h(
        'div',
        { class: 'who' },
        unreadBadge(),
        h('a', { attrs: { href: '/account', 'aria-label': `${profile.username} (your account)` } }, profile.username),
        profile.admin ? h('span', { class: 'badge badge-role' }, 'admin') : null,
        this.tools(),
        signOut,
      ),
    );
    this.header.classList.remove('menu-open');
  }
}

export function signInPath(next: string | null): string {
  return next && next !== '/' && !next.startsWith(SIGN_IN_PATH) ? `${SIGN_IN_PATH}?next=${encodeURIComponent(next)}` : SIGN_IN_PATH;
}

function notFound(): View {
  return {
    title: 'Not found',
    element: h('section', null, h('h1', null, 'Page not found'), h('p', null, h('a', { attrs: { href: '/devices' } }, 'Back to the devices'))),
  };
}
