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

/** Where the device saves an enrollment token (the secret never goes on a command line). */
export const ENROLL_TOKEN_FILE = '/etc/tether/enroll.token';
/** Each device enrolls under its host name unless the admin writes another (shell-expanded). */
export const ENROLL_NAME = '"$(hostname)"';

/**
 * The agent's command line with {@code credential} (the flags naming its token file). The target is
 * single-quoted: its "?" is a glob character, and zsh refuses an unmatched glob.
 */
function agentLine(location: PortalLocation, credential: string, jar: string): string {
  return `java -jar ${jar} --portal ${tunnelUrl(location)} ${credential} --target '${EXAMPLE_TARGET}'`;
}

/** The agent's command line for a device registered by an admin (its device token in a file). */
export function agentCommand(location: PortalLocation, jar = AGENT_JAR): string {
  return agentLine(location, `--token-file ${TOKEN_FILE}`, jar);
}

/**
 * The agent's command line that enrolls the device with the enrollment token saved in {@link
 * ENROLL_TOKEN_FILE}: the token is read from the file, never passed as an argument (where `ps` and
 * the shell's history would show it).
 */
export function enrollCommand(location: PortalLocation, jar = AGENT_JAR): string {
  return agentLine(location, `--enroll-token-file ${ENROLL_TOKEN_FILE} --name ${ENROLL_NAME}`, jar);
}

/**
 * The one-liner for Debian, Ubuntu and Raspberry Pi OS: the portal's install script installs the
 * agent package it serves and asks for the token on the terminal (never an argument). An
 * enrollment token needs the device's name; a registered device's token does not.
 */
export function installCommand(location: PortalLocation, enrolling = true): string {
  const name = enrolling ? `--name ${ENROLL_NAME} ` : '';
  return `curl -fsSL ${location.protocol}//${location.host}/downloads/install-agent.sh | sudo sh -s -- ${name}--target '${EXAMPLE_TARGET}'`;
}

/** Saves the secret pasted on stdin to {@code file}, readable by root only. */
export function saveTokenCommand(file: string): string {
  return `sudo install -d -m 700 /etc/tether && sudo sh -c 'umask 077; cat > ${file}'`;
}

/** Saves the device token pasted on stdin, readable by root only. */
export const SAVE_TOKEN_COMMAND = saveTokenCommand(TOKEN_FILE);

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
