import { beforeEach, describe, expect, it } from 'vitest';
import { CLOSE_BUSY, CLOSE_REFUSED, type Reply, type SocketLike, TerminalConnection, type TerminalState, terminalUrl } from './connection';
import { describeState, stateLabel } from './states';

/** A WebSocket the test drives: it records what was sent and fires the portal's side on demand. */
class FakeSocket implements SocketLike {
  binaryType = 'blob';
  readyState = 0;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  sent: (string | Uint8Array)[] = [];
  closedWith: number | null = null;

  constructor(readonly url: string) {}

  send(data: string | ArrayBufferLike | ArrayBufferView): void {
    this.sent.push(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
  }

  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // the portal's side
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }

  text(message: unknown): void {
    this.onmessage?.({ data: typeof message === 'string' ? message : JSON.stringify(message) } as MessageEvent);
  }

  binary(bytes: number[]): void {
    this.onmessage?.({ data: Uint8Array.from(bytes).buffer } as MessageEvent);
  }

  drop(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason } as CloseEvent);
  }

  json(): unknown[] {
    return this.sent.filter((s): s is string => typeof s === 'string').map((s) => JSON.parse(s));
  }
}

let sockets: FakeSocket[];
let states: TerminalState[];
let data: number[][];
let replies: Reply[];
let starts: number;
let connection: TerminalConnection;

const last = () => sockets[sockets.length - 1];
const kinds = () => states.map((s) => s.kind);

beforeEach(() => {
  sockets = [];
  states = [];
  data = [];
  replies = [];
  starts = 0;
  connection = new TerminalConnection(
    'ws://portal/api/devices/7/terminal?target=console',
    {
      state: (s) => states.push(s),
      data: (bytes) => data.push([...bytes]),
      reply: (r) => replies.push(r),
      streamStart: () => starts++,
    },
    (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
  );
});

/** Connects and lets the portal say connecting, then live. */
function goLive(): FakeSocket {
  connection.connect();
  const socket = last();
  socket.open();
  socket.text({ type: 'status', state: 'connecting', target: 'console' });
  socket.text({ type: 'status', state: 'live', target: 'console' });
  return socket;
}

describe('terminalUrl', () => {
  it('uses ws: on http and wss: on https, with the target encoded', () => {
    expect(terminalUrl({ protocol: 'http:', host: 'portal:8080' }, 7, 'console')).toBe('ws://portal:8080/api/devices/7/terminal?target=console');
    expect(terminalUrl({ protocol: 'https:', host: 'portal.example' }, 7, 'a b&c')).toBe('wss://portal.example/api/devices/7/terminal?target=a%20b%26c');
  });
});

describe('TerminalConnection', () => {
  it('opens a binary socket and follows the status messages to live', () => {
    const socket = goLive();
    expect(socket.binaryType).toBe('arraybuffer');
    expect(socket.url).toBe('ws://portal/api/devices/7/terminal?target=console');
    expect(kinds()).toEqual(['connecting', 'connecting', 'live']);
    expect(connection.live).toBe(true);
    expect(starts).toBe(1);
  });

  it('hands binary frames on as bytes, in order', () => {
    const socket = goLive();
    socket.binary([0x68, 0x69]);
    socket.binary([0xe2, 0x82]);
    socket.binary([0xac]);
    expect(data).toEqual([[0x68, 0x69], [0xe2, 0x82], [0xac]]);
  });

  it('sends keyboard input as UTF-8 bytes in binary messages, only while live', () => {
    connection.connect();
    expect(connection.input('early')).toBe(false);
    const socket = last();
    socket.open();
    socket.text({ type: 'status', state: 'live' });
    expect(connection.input('é€\r')).toBe(true);
    expect(socket.sent).toEqual([Uint8Array.from([0xc3, 0xa9, 0xe2, 0x82, 0xac, 0x0d])]);
  });

  it('sends control messages as JSON text', () => {
    const socket = goLive();
    connection.control({ type: 'resize', cols: 120, rows: 40 });
    connection.control({ type: 'pause' });
    connection.control({ type: 'resume' });
    connection.control({ type: 'line', baud: 9600, parity: 'even' });
    connection.control({ type: 'break', ms: 250 });
    expect(socket.json()).toEqual([
      { type: 'resize', cols: 120, rows: 40 },
      { type: 'pause' },
      { type: 'resume' },
      { type: 'line', baud: 9600, parity: 'even' },
      { type: 'break', ms: 250 },
    ]);
  });

  it('passes on the answers to resize and serial settings', () => {
    const socket = goLive();
    socket.text({ type: 'resized', cols: 100, rows: 30 });
    socket.text({ type: 'line-sent' });
    socket.text({ type: 'error', detail: 'baud must be 50-4000000' });
    expect(replies).toEqual([
      { type: 'resized', cols: 100, rows: 30 },
      { type: 'line-sent' },
      { type: 'error', detail: 'baud must be 50-4000000' },
    ]);
  });

  it('shows busy with the holder, and keeps it when the portal closes with 4409', () => {
    connection.connect();
    const socket = last();
    socket.open();
    socket.text({ type: 'status', state: 'busy', target: 'console', detail: 'in use by alice', holder: 'alice' });
    socket.drop(CLOSE_BUSY, 'busy: in use by alice');
    expect(connection.state).toEqual({ kind: 'busy', holder: 'alice', detail: 'in use by alice' });
    expect(describeState(connection.state, 'plc/console')).toBe('plc/console is in use by alice. One terminal per target: try again when they close it.');
    expect(connection.live).toBe(false);
  });

  it('shows a refused open of an offline device as offline', () => {
    connection.connect();
    const socket = last();
    socket.open();
    socket.text({ type: 'status', state: 'connecting' });
    socket.text({ type: 'status', state: 'offline', detail: 'the device is offline' });
    socket.drop(CLOSE_REFUSED, 'device-offline: the device is offline');
    expect(connection.state).toEqual({ kind: 'offline', detail: 'the device is offline' });
    expect(stateLabel('offline')).toBe('Device offline');
  });

  it('keeps the reason of a "closed" message when the socket closes after it', () => {
    const socket = goLive();
    socket.text({ type: 'closed', reason: 'access revoked: user disabled' });
    socket.drop(1000, 'access revoked: user disabled');
    expect(connection.state).toEqual({ kind: 'closed', reason: 'access revoked: user disabled', code: 1000 });
    expect(describeState(connection.state, 'plc/console')).toBe('The terminal to plc/console closed: access revoked: user disabled.');
  });

  it('shows a live session whose device went away as offline', () => {
    const socket = goLive();
    socket.text({ type: 'closed', reason: 'device-offline: the device went offline (1006)' });
    socket.drop(1000);
    expect(connection.state).toEqual({ kind: 'offline', detail: 'the device went offline (1006)' });
  });

  it('explains a close without a message: lost after opening, refused before', () => {
    const socket = goLive();
    socket.drop(1006);
    expect(connection.state).toMatchObject({ kind: 'closed', code: 1006, reason: 'the connection to the portal was lost' });

    connection.connect();
    last().drop(1006); // the upgrade was answered 401/403/404
    expect(connection.state.kind).toBe('closed');
    expect((connection.state as { reason: string }).reason).toContain('refused');
    expect(connection.everOpened).toBe(false);
  });

  it('reconnects with a fresh socket and ignores everything the old one still says', () => {
    const first = goLive();
    connection.connect();
    const second = last();
    expect(first.closedWith).toBe(1000);
    expect(second).not.toBe(first);
    expect(starts).toBe(2);
    first.binary([1, 2, 3]);
    first.text({ type: 'status', state: 'busy', holder: 'ghost' });
    first.drop(1006);
    expect(data).toEqual([]);
    expect(connection.state.kind).toBe('connecting');
    second.open();
    second.text({ type: 'status', state: 'live' });
    expect(connection.live).toBe(true);
  });

  it('closes on request with a reason, and sends nothing afterwards', () => {
    const socket = goLive();
    connection.close();
    expect(socket.closedWith).toBe(1000);
    expect(connection.state).toEqual({ kind: 'closed', reason: 'you closed the terminal', code: 1000 });
    expect(connection.input('x')).toBe(false);
    expect(connection.control({ type: 'pause' })).toBe(false);
  });

  it('ignores text that is not JSON and messages it does not know', () => {
    const socket = goLive();
    socket.text('not json');
    socket.text({ type: 'something-new', x: 1 });
    socket.text({ type: 'status', state: 'weird' });
    expect(connection.state.kind).toBe('live');
    expect(replies).toEqual([]);
  });
});
