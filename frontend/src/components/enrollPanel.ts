// Shown once after an enrollment token is minted: the token, and how a device enrolls with it
// (saved to a file first, so the secret is never on a command line).

import type { IssuedEnrollmentToken } from '../api/types';
import { h } from '../dom';
import { ENROLL_TOKEN_FILE, enrollCommand, installCommand, saveTokenCommand } from '../views/admin/agentSetup';
import { thisPortal } from './agentPanel';
import { copyBox } from './secret';

export function enrollPanel(issued: IssuedEnrollmentToken): HTMLElement {
  const { view } = issued;
  const uses = view.uses === 1 ? 'one device' : `up to ${view.uses} devices`;
  return h(
    'section',
    { class: 'card once', attrs: { 'aria-label': 'New enrollment token' } },
    h('h2', null, `Enrollment token ${view.prefix} created`),
    h('p', { class: 'warning' }, 'Copy the enrollment token now: it is shown only this once. Revoke it if it is lost.'),
    copyBox('Enrollment token', issued.token),
    h(
      'p',
      null,
      `It enrolls ${uses} into group ${view.group}. `,
      view.autoApprove ? 'They are reachable at once.' : 'Each then waits under "Waiting for approval" on the Devices page until an admin approves it.',
    ),
    h('h3', null, 'On Debian, Ubuntu or Raspberry Pi OS: one command'),
    h(
      'p',
      null,
      'It installs the agent this portal serves (and Java 17 if missing), asks for the enrollment token, starts the agent as a service and deletes the token file once the device enrolled:',
    ),
    copyBox('Install command', installCommand(thisPortal()), 2),
    h('h3', null, 'Elsewhere (any system with Java 17)'),
    h('p', null, `1. Save the token to ${ENROLL_TOKEN_FILE} (paste it, then press Enter and Ctrl-D):`),
    copyBox('Save enrollment token command', saveTokenCommand(ENROLL_TOKEN_FILE)),
    h('p', null, "2. Run the agent: it enrolls under the device's host name (change --name to choose another, and the target to the device's port):"),
    copyBox('Enrollment command line', enrollCommand(thisPortal()), 3),
    h(
      'p',
      null,
      '3. Once the agent says "device token kept in …", delete the enrollment token file: from then on the agent uses its own device token, kept in its state directory (--state-dir, by default ~/.tether-agent), and the same command line restarts it.',
    ),
  );
}
