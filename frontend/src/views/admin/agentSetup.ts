// What an admin pastes on a new device: the agent command line and a systemd unit, built for the
// address this portal is reached at (wss behind https, ws on plain http).

export const TOKEN_FILE = '/etc/tether/token';
export const AGENT_JAR = 'tether-agent.jar';
/** An example target; the admin edits it to the device's real port. */
export const EXAMPLE_TARGET = 'console=serial:/dev/ttyUSB0?baud=115200';

export interface PortalLocation {
  host: string;
  protocol: string;
}

export function tunnelUrl(location: PortalLocation): string {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}/tunnel`;
}

/**
 * The agent's command line. The target is single-quoted: its "?" is a glob character, and zsh
 * refuses an unmatched glob.
 */
export function agentCommand(location: PortalLocation, jar = AGENT_JAR): string {
  return `java -jar ${jar} --portal ${tunnelUrl(location)} --token-file ${TOKEN_FILE} --target '${EXAMPLE_TARGET}'`;
}

/** Saves the token pasted on stdin, readable by root only. */
export const SAVE_TOKEN_COMMAND = `sudo install -d -m 700 /etc/tether && sudo sh -c 'umask 077; cat > ${TOKEN_FILE}'`;

/**
 * A systemd unit: a throwaway user in the dialout group (serial ports), the token handed over as a
 * credential so the agent never reads root's file itself.
 */
export function systemdUnit(location: PortalLocation, deviceName: string): string {
  return [
    '# /etc/systemd/system/tether-agent.service',
    '[Unit]',
    `Description=Tether agent for ${deviceName.replace(/[\r\n%]/g, '')}`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    `LoadCredential=token:${TOKEN_FILE}`,
    `ExecStart=/usr/bin/java -jar /opt/tether/${AGENT_JAR} --portal ${tunnelUrl(location)} --token-file \${CREDENTIALS_DIRECTORY}/token --target ${EXAMPLE_TARGET}`,
    'DynamicUser=yes',
    'SupplementaryGroups=dialout',
    'Restart=always',
    'RestartSec=5',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}
