import { beforeEach, describe, expect, it } from 'vitest';
import { FakeSocket } from './fakeSocket';
import { deviceSocketUrl, PortalSocket } from './portalSocket';

let sockets: FakeSocket[];
let binaries: number[][];
let messages: Record<string, unknown>[];
let closes: [number, string][];
let socket: PortalSocket;

const last = () => sockets[sockets.length - 1];

beforeEach(() => {
  sockets = [];
  binaries = [];
  messages = [];
  closes = [];
  socket = new PortalSocket(
    'ws://portal/api/devices/7/flow?target=console',
    { binary: (bytes) => binaries.push([...bytes]), message: (m) => messages.push(m), closed: (code, reason) => closes.push([code, reason]) },
    (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
  );
});

describe('deviceSocketUrl', () => {
  it('uses ws: on http and wss: on https, with the device id and the target encoded', () => {
    expect(deviceSocketUrl({ protocol: 'http:', host: 'p:8080' }, 7, 'terminal', 'console')).toBe('ws://p:8080/api/devices/7/terminal?target=console');
    expect(deviceSocketUrl({ protocol: 'https:', host: 'portal.example' }, 7, 'flow', 'a b&c')).toBe('wss://portal.example/api/devices/7/flow?target=a%20b%26c');
  });
});

describe('PortalSocket', () => {
  it('opens a binary socket on the url', () => {
    expect(socket.connect()).toBeNull();
    expect(last().url).toBe('ws://portal/api/devices/7/flow?target=console');
    expect(last().binaryType).toBe('arraybuffer');
  });

  it('hands on binary frames as bytes, whether an ArrayBuffer or a view into one', () => {
    socket.connect();
    last().open();
    last().binary([1, 2]);
    const buffer = Uint8Array.from([9, 3, 4, 9]).buffer;
    last().onmessage?.({ data: new Uint8Array(buffer, 1, 2) } as MessageEvent);
    expect(binaries).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it('hands on text frames holding a JSON object and ignores any other text', () => {
    socket.connect();
    last().open();
    last().text('not json');
    last().text('42');
    last().text('null');
    last().text({ type: 'status', state: 'live' });
    expect(messages).toEqual([{ type: 'status', state: 'live' }]);
  });

  it('sends only while a socket is open', () => {
    expect(socket.send('early')).toBe(false);
    socket.connect();
    expect(socket.open).toBe(false);
    expect(socket.send('before the upgrade')).toBe(false);
    last().open();
    expect(socket.open).toBe(true);
    expect(socket.send('{"type":"pause"}')).toBe(true);
    expect(socket.send(Uint8Array.from([0x41]))).toBe(true);
    expect(last().sent).toEqual(['{"type":"pause"}', Uint8Array.from([0x41])]);
    socket.drop();
    expect(socket.send('late')).toBe(false);
  });

  it('tells a refusal (closed before the upgrade) from a close after opening', () => {
    socket.connect();
    last().drop(1006);
    expect(socket.opened).toBe(false);
    socket.connect();
    last().open();
    last().drop(1000, 'ended-by-admin');
    expect(socket.opened).toBe(true);
    expect(closes).toEqual([
      [1006, ''],
      [1000, 'ended-by-admin'],
    ]);
    expect(socket.open).toBe(false);
  });

  it('closes the socket it replaces, and hears nothing more from it', () => {
    socket.connect();
    const old = last();
    old.open();
    socket.connect();
    expect(old.closedWith).toBe(1000);
    old.binary([1]);
    old.text({ type: 'status' });
    old.drop(1006);
    expect(binaries).toEqual([]);
    expect(messages).toEqual([]);
    expect(closes).toEqual([]);
  });

  it('drops the socket without a close event, and says whether there was one', () => {
    expect(socket.drop()).toBe(false);
    socket.connect();
    const s = last();
    s.open();
    expect(socket.drop()).toBe(true);
    expect(s.closedWith).toBe(1000);
    expect(s.onclose).toBeNull();
    expect(closes).toEqual([]);
    expect(socket.drop()).toBe(false);
  });

  it('says why when the browser cannot make a WebSocket', () => {
    const failing = new PortalSocket('ws://portal/x', { binary: () => {}, message: () => {}, closed: () => {} }, () => {
      throw new SyntaxError('bad url');
    });
    expect(failing.connect()).toBe('cannot open a WebSocket: bad url');
    expect(failing.open).toBe(false);
  });
});
