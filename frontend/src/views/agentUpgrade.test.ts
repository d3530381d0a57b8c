// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { http } from '../api/http';
import type { Device } from '../api/types';
import { agentUpgradePanel, POLL_MILLIS, upgradeBlocker } from './agentUpgrade';

const device = (over: Partial<Device> = {}): Device => ({
  id: 4,
  name: 'gw-1',
  description: null,
  group: 'default',
  tags: [],
  mode: 'agent',
  online: true,
  lastSeen: null,
  remoteAddress: null,
  agentVersion: '0.1.0',
  agentUpgradable: true,
  targets: [],
  createdAt: '2026-11-25T10:00:00Z',
  ...over,
});

function respond(routes: Record<string, (method: string) => { status: number; body?: unknown }>) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? 'GET';
      calls.push(`${method} ${url}`);
      const key = Object.keys(routes).find((k) => url.startsWith(k));
      const { status, body } = key ? routes[key](method) : { status: 404, body: { status: 404, detail: 'no' } };
      return new Response(status === 204 ? null : JSON.stringify(body), {
        status,
        headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
      });
    }),
  );
  return calls;
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
  await vi.advanceTimersByTimeAsync(0);
};

beforeEach(() => {
  http.setCsrfToken(null);
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('upgradeBlocker', () => {
  it('says why the button is off', () => {
    expect(upgradeBlocker(device(), '0.2.0')).toBeNull();
    expect(upgradeBlocker(device({ online: false }), '0.2.0')).toBe('The device is offline.');
    expect(upgradeBlocker(device({ agentUpgradable: false }), '0.2.0')).toBe('This agent cannot upgrade itself: reinstall it.');
    expect(upgradeBlocker(device({ agentVersion: '0.2.0' }), '0.2.0')).toBe('The agent is not older than 0.2.0.');
    expect(upgradeBlocker(device(), null)).toBe('This portal serves no agent jar to upgrade to.');
  });
});

describe('agent upgrade panel', () => {
  it('upgrades an older capable agent and shows the outcome', async () => {
    let status: unknown = undefined;
    const calls = respond({
      '/api/downloads': () => ({ status: 200, body: { version: '0.2.0', installCommand: '', files: [], agentJarVersion: '0.2.0' } }),
      '/api/devices/4/agent-upgrade': (method) =>
        method === 'POST'
          ? { status: 202, body: { deviceId: 4, from: '0.1.0', to: '0.2.0', state: 'under-way' } }
          : status === undefined
            ? { status: 204 }
            : { status: 200, body: status },
    });
    const reread = vi.fn();
    const panel = agentUpgradePanel(device(), reread);
    await settle();
    const upgrade = [...panel.element.querySelectorAll('button')].find((b) => b.textContent === 'Upgrade agent')!;
    expect(panel.element.textContent).toContain('This portal serves agent 0.2.0.');
    expect(upgrade.disabled).toBe(false);

    upgrade.click();
    await settle();
    expect(calls).toContain('POST /api/devices/4/agent-upgrade');
    const progress = panel.element.querySelector('[role="status"]')!;
    expect(progress.textContent).toBe('Upgrade from 0.1.0 to 0.2.0 under way…');
    expect(upgrade.disabled).toBe(true);

    status = { deviceId: 4, from: '0.1.0', to: '0.2.0', requestedBy: 'admin', requestedAt: '2026-12-05T07:00:00Z', finishedAt: '2026-12-05T07:00:09Z', outcome: 'ok', detail: 'reconnected reporting 0.2.0' };
    await vi.advanceTimersByTimeAsync(POLL_MILLIS);
    await settle();
    expect(progress.textContent).toContain('Upgraded from 0.1.0 to 0.2.0');
    expect(reread).toHaveBeenCalled();
    panel.dispose();
  });

  it('shows a refusal as the agent gave it, and keeps the button off for agents that cannot upgrade', async () => {
    respond({
      '/api/downloads': () => ({ status: 200, body: { version: '0.2.0', installCommand: '', files: [], agentJarVersion: '0.2.0' } }),
      '/api/devices/4/agent-upgrade': () => ({
        status: 200,
        body: { deviceId: 4, from: '0.1.0', to: '0.2.0', requestedBy: 'admin', requestedAt: '2026-12-05T07:00:00Z', finishedAt: '2026-12-05T07:00:01Z', outcome: 'failed', detail: 'this agent has no --upgrade-key' },
      }),
    });
    const panel = agentUpgradePanel(device({ agentUpgradable: false }), () => {});
    await settle();
    expect(panel.element.querySelector('[role="status"]')!.textContent).toBe('Upgrade to 0.2.0 failed: this agent has no --upgrade-key');
    const upgrade = [...panel.element.querySelectorAll('button')].find((b) => b.textContent === 'Upgrade agent')!;
    expect(upgrade.disabled).toBe(true);
    expect(panel.element.textContent).toContain('This agent cannot upgrade itself: reinstall it.');
    panel.setDevice(device());
    expect(upgrade.disabled).toBe(false);
    panel.dispose();
  });
});
