import { describe, expect, it } from 'vitest';
import { sshCommand } from './sshKeys';

describe('sshCommand', () => {
  const on = { enabled: true, port: 2222, hostKeyType: 'ecdsa-sha2-nistp256', hostKeyFingerprint: 'SHA256:x' };

  it('names the port, the user and the device:target form', () => {
    expect(sshCommand(on, 'portal.example.com', 'alice')).toBe('ssh -p 2222 alice:DEVICE:TARGET@portal.example.com');
  });

  it('leaves out the default port 22', () => {
    expect(sshCommand({ ...on, port: 22 }, 'portal', 'bob')).toBe('ssh bob:DEVICE:TARGET@portal');
  });

  it('is null when the SSH server is off', () => {
    expect(sshCommand({ enabled: false, port: null, hostKeyType: null, hostKeyFingerprint: null }, 'portal', 'alice')).toBeNull();
  });
});
