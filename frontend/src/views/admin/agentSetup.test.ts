import { describe, expect, it } from 'vitest';
import { agentCommand, enrollCommand, installCommand, SAVE_TOKEN_COMMAND, saveTokenCommand, systemdUnit, tunnelUrl } from './agentSetup';

describe('agent setup', () => {
  it('uses wss behind https and ws on plain http, with the host and port the user sees', () => {
    expect(tunnelUrl({ host: 'portal.example.com', protocol: 'https:' })).toBe('wss://portal.example.com/tunnel');
    expect(tunnelUrl({ host: '10.0.0.5:8080', protocol: 'http:' })).toBe('ws://10.0.0.5:8080/tunnel');
  });

  it('builds a ready-to-paste command line', () => {
    expect(agentCommand({ host: 'portal.example.com', protocol: 'https:' })).toBe(
      "java -jar tether-agent.jar --portal wss://portal.example.com/tunnel --token-file /etc/tether/token --target 'console=serial:/dev/ttyUSB0?baud=115200'",
    );
  });

  it('builds an enrollment command line that reads the token from its file, never from the arguments', () => {
    expect(enrollCommand({ host: 'portal.example.com', protocol: 'https:' })).toBe(
      "java -jar tether-agent.jar --portal wss://portal.example.com/tunnel --enroll-token-file /etc/tether/enroll.token --name \"$(hostname)\" --target 'console=serial:/dev/ttyUSB0?baud=115200'",
    );
    expect(enrollCommand({ host: '10.0.0.5:8080', protocol: 'http:' })).toContain('--portal ws://10.0.0.5:8080/tunnel ');
  });

  it('saves a pasted token readable by root only, the device token and the enrollment token alike', () => {
    expect(SAVE_TOKEN_COMMAND).toBe("sudo install -d -m 700 /etc/tether && sudo sh -c 'umask 077; cat > /etc/tether/token'");
    expect(saveTokenCommand('/etc/tether/enroll.token')).toBe("sudo install -d -m 700 /etc/tether && sudo sh -c 'umask 077; cat > /etc/tether/enroll.token'");
  });

  it('builds a systemd unit that hands the token over as a credential', () => {
    const unit = systemdUnit({ host: 'p.example', protocol: 'https:' }, 'plc-7');
    expect(unit).toContain('Description=Tether agent for plc-7');
    expect(unit).toContain('LoadCredential=token:/etc/tether/token');
    expect(unit).toContain('--portal wss://p.example/tunnel --token-file ${CREDENTIALS_DIRECTORY}/token');
    expect(unit).toContain('SupplementaryGroups=dialout');
  });

  it('keeps a device name from breaking out of the Description line', () => {
    expect(systemdUnit({ host: 'p', protocol: 'http:' }, 'a\nExecStartPre=/bin/evil%n')).toContain('Description=Tether agent for aExecStartPre=/bin/eviln\n');
  });

  it('installs from the portal it is shown on, asking for the token rather than taking it as an argument', () => {
    const line = installCommand({ host: 'portal.example.com', protocol: 'https:' });
    expect(line).toBe(
      `curl -fsSL https://portal.example.com/downloads/install-agent.sh | sudo sh -s -- --name "$(hostname)" --target 'console=serial:/dev/ttyUSB0?baud=115200'`,
    );
    expect(line).not.toContain('ten_');
  });

  it('needs no name for a registered device, whose token the script asks for', () => {
    expect(installCommand({ host: 'p:8080', protocol: 'http:' }, false)).toBe(
      `curl -fsSL http://p:8080/downloads/install-agent.sh | sudo sh -s -- --target 'console=serial:/dev/ttyUSB0?baud=115200'`,
    );
  });
});
