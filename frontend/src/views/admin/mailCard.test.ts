import { describe, expect, it } from 'vitest';
import { mailStatusLines } from './mailCard';

describe('the mail card', () => {
  it('says how to turn mail on when it is off', () => {
    expect(mailStatusLines({ configured: false, server: null, lastSentAt: null, lastError: null, lastErrorAt: null })[0]).toMatch(/TETHER_SMTP_HOST/);
  });

  it('shows the server, the last mail and the last error', () => {
    const lines = mailStatusLines({
      configured: true,
      server: 'smtp.example:587 (starttls), from tether@example',
      lastSentAt: null,
      lastError: 'mail through smtp.example:587 failed: Connection refused',
      lastErrorAt: '2026-12-05T10:00:00Z',
    });
    expect(lines[0]).toBe('Server: smtp.example:587 (starttls), from tether@example');
    expect(lines[1]).toBe('No mail sent yet.');
    expect(lines[2]).toMatch(/^Last error .*Connection refused$/);
  });
});
