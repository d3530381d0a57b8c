// Shown once after a device is created or its token rotated: the token and how to use it.

import { h } from '../dom';
import { agentCommand, installCommand, type PortalLocation, SAVE_TOKEN_COMMAND, systemdUnit } from '../views/admin/agentSetup';
import { copyBox } from './secret';

/** The address this portal is reached at, which agents dial too. */
export function thisPortal(): PortalLocation {
  return { host: location.host, protocol: location.protocol };
}

export function agentPanel(deviceName: string, token: string, heading: string): HTMLElement {
  const where = thisPortal();
  return h(
    'section',
    { class: 'card once', attrs: { 'aria-label': heading } },
    h('h2', null, heading),
    h('p', { class: 'warning' }, 'Copy the device token now: it is shown only this once. Rotate it if it is lost.'),
    copyBox('Device token', token),
    h('h3', null, 'On Debian, Ubuntu or Raspberry Pi OS: one command'),
    h('p', null, 'It installs the agent this portal serves (and Java 17 if missing), asks for the device token and starts the agent as a service:'),
    copyBox('Install command', installCommand(where, false), 2),
    h('h3', null, 'Elsewhere (any system with Java 17)'),
    h('p', null, '1. Save the token (paste it, then press Enter and Ctrl-D):'),
    copyBox('Save token command', SAVE_TOKEN_COMMAND),
    h('p', null, '2. Run the agent (change the target to the device\'s port):'),
    copyBox('Agent command line', agentCommand(where), 2),
    h('p', null, '3. Or run it as a systemd service (jar in /opt/tether):'),
    copyBox('systemd unit', systemdUnit(where, deviceName), 18),
  );
}
