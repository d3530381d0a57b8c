// Every page of the UI and who may see it.

import type { Route } from './router';
import { signInView } from './views/signIn';
import { dashboardView } from './views/dashboard';
import { fleetView } from './views/fleet';
import { deviceView } from './views/device';
import { tokensView } from './views/tokens';
import { auditView } from './views/audit';
import { accountView } from './views/account';
import { usersView } from './views/admin/users';
import { userView } from './views/admin/user';
import { groupsView } from './views/admin/groups';
import { devicesAdminView } from './views/admin/devices';
import { nodesView } from './views/admin/nodes';
import { ENROLLMENT_PATH, enrollmentView } from './views/admin/enrollment';
import { WEBHOOKS_PATH, webhooksView } from './views/admin/webhooks';
import { terminalView } from './views/terminal';
import { sessionsView } from './views/sessions';
import { sessionView } from './views/session';
import { flowView } from './views/flow';
import { consoleLogView } from './views/consoleLog';
import { CONFIRM_EMAIL_PATH, confirmEmailView } from './views/confirmEmail';
import { NOTIFICATIONS_PATH, notificationsView } from './views/notifications';
import { cliLoginView } from './views/cliLogin';
import { CLI_LOGIN_PATH } from './views/cliLoginRequest';

export const routes: Route[] = [
  { pattern: '/sign-in', view: signInView, public: true },
  { pattern: CONFIRM_EMAIL_PATH, view: confirmEmailView, public: true },
  { pattern: '/', view: dashboardView },
  { pattern: '/devices', view: fleetView },
  { pattern: '/devices/:id', view: deviceView },
  { pattern: '/devices/:id/terminal/:target', view: terminalView },
  { pattern: '/devices/:id/flow/:target', view: flowView },
  { pattern: '/devices/:id/targets/:target/log', view: consoleLogView },
  { pattern: '/terminals', view: terminalView },
  { pattern: '/sessions', view: sessionsView },
  { pattern: '/sessions/:id', view: sessionView },
  { pattern: '/tokens', view: tokensView },
  { pattern: '/audit', view: auditView },
  { pattern: '/account', view: accountView },
  { pattern: NOTIFICATIONS_PATH, view: notificationsView },
  { pattern: CLI_LOGIN_PATH, view: cliLoginView },
  { pattern: '/admin/users', view: usersView, admin: true },
  { pattern: '/admin/users/:id', view: userView, admin: true },
  { pattern: '/admin/groups', view: groupsView, admin: true },
  { pattern: '/admin/devices', view: devicesAdminView, admin: true },
  { pattern: ENROLLMENT_PATH, view: enrollmentView, admin: true },
  { pattern: WEBHOOKS_PATH, view: webhooksView, admin: true },
  { pattern: '/admin/nodes', view: nodesView, admin: true },
];
