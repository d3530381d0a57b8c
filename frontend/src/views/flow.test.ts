// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Device } from '../api/types';
import { FakeSocket } from '../live/fakeSocket';
import type { ViewContext } from '../router';
import { flowView, MAX_ROWS } from './flow';
import { sampleDevice } from '../testing/fakePortal';

/** The socket the view opens: the last one made, for the test to drive. */
class FakeWebSocket extends FakeSocket {
  static last: FakeWebSocket | null = null;
  constructor(url: string) {
    super(url);
    FakeWebSocket.last = this;
  }
  get closed(): boolean {
    return this.closedWith !== null;
  }
}

const device: Device = sampleDevice();

const context = (): ViewContext => ({ params: { id: '7', target: 'console' }, query: new URLSearchParams(), navigate: vi.fn() });
const settle = async () => {
  for (let i = 0; i < 4; i++) await new Promise((r) => setTimeout(r, 0));
};
const button = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === name)!;

async function open() {
  vi.stubGlobal('WebSocket', FakeWebSocket);
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(device), { status: 200, headers: { 'Content-Type': 'application/json' } })));
  const view = flowView(context());
  document.body.append(view.element);
  await settle();
  const socket = FakeWebSocket.last!;
  socket.open();
  return { view, socket };
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeWebSocket.last = null;
  document.body.replaceChildren();
});

describe('data flow view', () => {
  it('connects to the flow socket of the target and shows idle, then live with the session link', async () => {
    const { view, socket } = await open();
    expect(socket.url).toBe(`ws://${location.host}/api/devices/7/flow?target=console`);
    expect(view.element.querySelector('h1')!.textContent).toBe('Data flow of plc-7/console');
    const status = view.element.querySelector('.flow-status')!;
    socket.text({ type: 'status', state: 'idle', session: null });
    expect(status.textContent).toContain('No session is live on plc-7/console');
    socket.text({ type: 'status', state: 'live', session: 41 });
    expect(status.querySelector('.badge')!.textContent).toBe('live');
    expect(status.querySelector('a')!.getAttribute('href')).toBe('/sessions/41');
    view.dispose?.();
    expect(socket.closed).toBe(true);
  });

  it('says typed input is hidden without the replay right on the group', async () => {
    const { view, socket } = await open();
    socket.text({ type: 'watching', input: false, group: 'default' });
    socket.text({ type: 'status', state: 'idle', session: null });
    const notice = view.element.querySelector<HTMLElement>('.flow-input')!;
    expect(notice.hidden).toBe(false);
    expect(notice.textContent).toBe('Input hidden: needs the replay right on group default. Only device output is shown.');
    view.dispose?.();
  });

  it('shows one row per chunk with direction, hex and ASCII, as text', async () => {
    const { view, socket } = await open();
    socket.binary([0x01, ...new TextEncoder().encode('<b>ok\r\n')]);
    socket.binary([0x02, 0x0d]);
    const rows = [...view.element.querySelectorAll('tbody tr')];
    expect(rows.length).toBe(2);
    expect(rows[0].querySelector('b')).toBeNull();
    expect([...rows[0].children].slice(1).map((c) => c.textContent)).toEqual(['device → host', '3c 62 3e 6f 6b 0d 0a', '<b>ok..']);
    expect([...rows[1].children].slice(1).map((c) => c.textContent)).toEqual(['host → device', '0d', '.']);
    expect(view.element.querySelector('.flow-count')!.textContent).toBe('2 chunks shown');
    view.dispose?.();
  });

  it('holds rows back while paused, shows them on Resume, and clears', async () => {
    const { view, socket } = await open();
    socket.binary([0x01, 0x41]);
    button(view.element, 'Pause').click();
    socket.binary([0x01, 0x42]);
    expect(view.element.querySelectorAll('tbody tr').length).toBe(1);
    expect(view.element.querySelector('.flow-count')!.textContent).toBe('1 chunk shown; paused: 1 waiting');
    button(view.element, 'Resume').click();
    expect(view.element.querySelectorAll('tbody tr').length).toBe(2);
    button(view.element, 'Clear').click();
    expect(view.element.querySelectorAll('tbody tr').length).toBe(0);
    view.dispose?.();
  });

  it(`keeps at most ${MAX_ROWS} rows`, async () => {
    const { view, socket } = await open();
    for (let i = 0; i < MAX_ROWS + 5; i++) socket.binary([0x01, i & 0xff]);
    const rows = view.element.querySelectorAll('tbody tr');
    expect(rows.length).toBe(MAX_ROWS);
    expect(rows[0].children[2].textContent).toBe('05');
    view.dispose?.();
  });
});
