// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { StatusBar } from './statusBar';

const setup = () => {
  const calls: string[] = [];
  const bar = new StatusBar({ reconnect: () => calls.push('reconnect'), disconnect: () => calls.push('disconnect') });
  const button = (name: string) => [...bar.element.querySelectorAll('button')].find((b) => b.textContent === name)!;
  return { bar, calls, button };
};

describe('StatusBar', () => {
  it('offers Disconnect while connecting or live, and Reconnect otherwise', () => {
    const { bar, button } = setup();
    bar.show({ kind: 'live' }, 'plc/console');
    expect([button('Reconnect').hidden, button('Disconnect').hidden]).toEqual([true, false]);
    bar.show({ kind: 'connecting' }, 'plc/console');
    expect([button('Reconnect').hidden, button('Disconnect').hidden]).toEqual([true, false]);
    bar.show({ kind: 'closed', reason: 'lost', code: 1006 }, 'plc/console');
    expect([button('Reconnect').hidden, button('Disconnect').hidden]).toEqual([false, true]);
  });

  it('says the state as a badge and a sentence', () => {
    const { bar } = setup();
    bar.show({ kind: 'offline', detail: 'the device is offline' }, 'plc/console');
    const badge = bar.element.querySelector('.term-badge')!;
    expect(badge.textContent).toBe('Device offline');
    expect(badge.className).toBe('term-badge term-badge-offline');
    expect(bar.element.querySelector('.term-state-text')!.textContent).toBe('plc/console is offline: the device is offline. Reconnect once its agent is back.');
  });

  it('offers no Reconnect while moving to another node (it reconnects by itself), and says the attempt', () => {
    const { bar, button } = setup();
    bar.show({ kind: 'moving', detail: 'node-draining: the session moves to another node: reconnect', attempt: 2 }, 'plc/console');
    expect([button('Reconnect').hidden, button('Disconnect').hidden]).toEqual([true, false]);
    expect(bar.element.querySelector('.term-badge')!.className).toBe('term-badge term-badge-moving');
    expect(bar.element.querySelector('.term-state-text')!.textContent).toBe('Moving the session on plc/console to another node… (attempt 2)');
    bar.show({ kind: 'moving', detail: 'node-draining', attempt: 0 }, 'plc/console');
    expect(bar.element.querySelector('.term-state-text')!.textContent).toBe('Moving the session on plc/console to another node…');
  });

  it('shows the confirmed size only when given one', () => {
    const { bar } = setup();
    const size = bar.element.querySelector<HTMLElement>('.term-size')!;
    bar.showSize({ cols: 120, rows: 40 });
    expect(size.textContent).toBe('120×40');
    expect(size.title).toBe('Terminal size, as the portal confirmed it');
    bar.showSize(null);
    expect(size.textContent).toBe('');
  });

  it('hands Reconnect and Disconnect to the pane', () => {
    const { calls, button } = setup();
    button('Reconnect').click();
    button('Disconnect').click();
    expect(calls).toEqual(['reconnect', 'disconnect']);
  });
});
