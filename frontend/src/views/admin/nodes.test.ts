// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PortalNode } from '../../api/types';
import { NODE_REFRESH_MS } from './nodeList';
import { nodesView } from './nodes';

const node = (over: Partial<PortalNode> = {}): PortalNode => ({
  id: '2a98c65f-1b2c-4d5e-8f90-123456789abc',
  url: 'https://10.0.0.11:9443',
  epoch: 7,
  state: 'live',
  devices: 412,
  lastHeartbeat: new Date().toISOString(),
  ...over,
});

/** fetch answering each GET /api/nodes with the next of {@code answers} (an array: the items; a number: that status). */
function answer(...answers: (PortalNode[] | number)[]) {
  const fetch = vi.fn(async () => {
    const next = answers.length > 1 ? answers.shift()! : answers[0];
    return typeof next === 'number'
      ? new Response(JSON.stringify({ status: next, title: 'Service Unavailable', detail: 'the database does not answer' }), { status: next })
      : new Response(JSON.stringify({ items: next }), { status: 200 });
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const rows = (root: HTMLElement) => [...root.querySelectorAll('tbody tr')].map((tr) => tr.getAttribute('data-node'));
const tick = async (ms: number) => {
  await vi.advanceTimersByTimeAsync(ms);
};

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('nodes page', () => {
  it('shows each node with a short id, its state as a badge and the exact heartbeat time', async () => {
    vi.useFakeTimers();
    answer([node({ id: 'b-node', state: 'dead', url: null }), node()]);
    const view = nodesView();
    await tick(0);
    expect(rows(view.element)).toEqual(['2a98c65f-1b2c-4d5e-8f90-123456789abc', 'b-node']);
    const first = view.element.querySelector('tbody tr')!;
    expect(first.querySelector('code')!.textContent).toBe('2a98c65f');
    expect(first.querySelector('code')!.getAttribute('title')).toBe('2a98c65f-1b2c-4d5e-8f90-123456789abc');
    expect(first.querySelector('.badge')!.className).toBe('badge badge-online');
    expect(first.querySelector('time')!.getAttribute('title')).toMatch(/ UTC$/);
    expect(view.element.querySelector('tbody tr:nth-child(2) .badge')!.className).toBe('badge badge-danger');
    expect(view.element.querySelector('tbody tr:nth-child(2) td')!.textContent).toBe('—');
    view.dispose?.();
  });

  it('refreshes in place, keeps the last list when a refresh fails, and stops when left', async () => {
    vi.useFakeTimers();
    const fetch = answer([node({ devices: 1 })], 503, [node({ devices: 2, state: 'draining' })]);
    const view = nodesView();
    await tick(0);
    const tr = view.element.querySelector('tbody tr');
    const alert = view.element.querySelector<HTMLElement>('[role=alert]')!;

    await tick(NODE_REFRESH_MS);
    expect(alert.hidden).toBe(false);
    expect(alert.textContent).toContain('Refresh failed: the database does not answer.');
    expect(view.element.querySelector('tbody tr')).toBe(tr);

    await tick(NODE_REFRESH_MS);
    expect(alert.hidden).toBe(true);
    expect(view.element.querySelector('tbody tr')).toBe(tr); // the same row, changed in place
    expect(tr!.querySelector('.badge')!.textContent).toBe('draining');
    expect(tr!.querySelector('.badge')!.className).toBe('badge badge-warn');

    view.dispose?.();
    const calls = fetch.mock.calls.length;
    await tick(NODE_REFRESH_MS * 3);
    expect(fetch.mock.calls.length).toBe(calls);
  });
});
