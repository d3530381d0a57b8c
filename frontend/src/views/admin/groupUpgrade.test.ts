// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { groupUpgrade } from './groupUpgrade';

const settle = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => vi.unstubAllGlobals());

describe('group upgrade', () => {
  it('starts a wave and says which devices it takes', async () => {
    const fetch = vi.fn(async () => new Response(JSON.stringify({ group: 'hall 3', to: '0.2.0', devices: ['gw-1', 'gw-2'], atOnce: 4 }), { status: 202, headers: { 'Content-Type': 'application/json' } }));
    vi.stubGlobal('fetch', fetch);
    const element = groupUpgrade('hall 3');
    element.querySelector('button')!.click();
    await settle();
    await settle();
    expect((fetch.mock.calls[0] as unknown[])[0]).toBe('/api/groups/hall%203/agent-upgrade');
    expect(element.textContent).toContain('Upgrading 2 agent(s) to 0.2.0, 4 at a time: gw-1, gw-2.');
  });

  it('shows the refusal', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ status: 409, detail: 'an agent upgrade of group hall is under way' }), { status: 409, headers: { 'Content-Type': 'application/problem+json' } })),
    );
    const element = groupUpgrade('hall');
    element.querySelector('button')!.click();
    await settle();
    await settle();
    expect(element.textContent).toContain('an agent upgrade of group hall is under way');
  });
});
