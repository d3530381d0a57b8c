import { beforeEach, describe, expect, it } from 'vitest';
import { FakeSocket as SharedFakeSocket } from '../live/fakeSocket';
import type { FlowChunk } from './dump';
import { ChunkLog, type FlowState, FlowTail, flowUrl, type InputVisibility, inputNotice } from './tail';

/** The data flow is read-only: a send fails the test. */
class FakeSocket extends SharedFakeSocket {
  override send(): void {
    throw new Error('the data flow sends nothing');
  }
}

let sockets: FakeSocket[];
let states: FlowState[];
let chunks: FlowChunk[];
let inputs: InputVisibility[];
let tail: FlowTail;

beforeEach(() => {
  sockets = [];
  states = [];
  chunks = [];
  inputs = [];
  tail = new FlowTail('ws://portal/api/devices/7/flow?target=console', { state: (s) => states.push(s), chunk: (c) => chunks.push(c), input: (i) => inputs.push(i) }, (url) => {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    return socket;
  });
});

describe('flowUrl', () => {
  it('points at the flow socket of the target', () => {
    expect(flowUrl({ protocol: 'https:', host: 'portal.example' }, 7, 'a b')).toBe('wss://portal.example/api/devices/7/flow?target=a%20b');
    expect(flowUrl({ protocol: 'http:', host: 'p:8080' }, 7, 'console')).toBe('ws://p:8080/api/devices/7/flow?target=console');
  });
});

describe('FlowTail', () => {
  it('reports whether typed input is shown, and the group whose replay right it needs', () => {
    tail.connect();
    sockets[0].open();
    sockets[0].text({ type: 'watching', input: false, group: 'lab' });
    sockets[0].text({ type: 'watching', input: true, group: 'lab' });
    sockets[0].text({ type: 'watching', input: 'yes' });
    expect(inputs).toEqual([
      { shown: false, group: 'lab' },
      { shown: true, group: 'lab' },
    ]);
  });

  it('follows the status messages: idle, then live with the session', () => {
    tail.connect();
    const socket = sockets[0];
    expect(socket.binaryType).toBe('arraybuffer');
    socket.open();
    socket.text({ type: 'status', state: 'idle', session: null });
    socket.text({ type: 'status', state: 'live', session: 41 });
    expect(states).toEqual([{ kind: 'connecting' }, { kind: 'idle' }, { kind: 'live', session: 41 }]);
  });

  it('hands on chunks with their direction and drops unknown ones', () => {
    tail.connect();
    sockets[0].open();
    sockets[0].binary([0x01, 0x6f, 0x6b]);
    sockets[0].binary([0x02, 0x0d]);
    sockets[0].binary([0x09, 0x00]);
    expect(chunks.map((c) => [c.direction, [...c.bytes]])).toEqual([
      ['device-to-host', [0x6f, 0x6b]],
      ['host-to-device', [0x0d]],
    ]);
  });

  it('says why it closed: refused before opening, the reason after', () => {
    tail.connect();
    sockets[0].drop(1006);
    expect(states.at(-1)).toEqual({ kind: 'closed', reason: 'the portal refused the data flow (signed out, or no access to this device)' });
    tail.connect();
    sockets[1].open();
    sockets[1].drop(1000, 'access-revoked: grant removed');
    expect(states.at(-1)).toEqual({ kind: 'closed', reason: 'access-revoked: grant removed' });
  });

  it('closes its socket when the view is left, and ignores the old socket after a reconnect', () => {
    tail.connect();
    tail.connect();
    expect(sockets[0].closedWith).toBe(1000);
    sockets[0].binary([0x01, 0x41]);
    expect(chunks).toEqual([]);
    tail.close();
    expect(sockets[1].closedWith).toBe(1000);
    expect(tail.state).toEqual({ kind: 'closed', reason: 'you closed the data flow' });
  });
});

describe('ChunkLog', () => {
  const setup = (limit = 3) => {
    const view: number[] = [];
    const log = new ChunkLog<number>(
      limit,
      (rows) => view.push(...rows),
      (keep) => view.splice(0, Math.max(view.length - keep, 0)),
    );
    return { view, log };
  };

  it('keeps the newest rows up to the limit', () => {
    const { view, log } = setup();
    [1, 2, 3, 4, 5].forEach((n) => log.add(n));
    expect(view).toEqual([3, 4, 5]);
  });

  it('holds rows back while paused and shows them on resume, dropping the oldest beyond the limit', () => {
    const { view, log } = setup();
    log.add(1);
    log.pause();
    [2, 3, 4, 5].forEach((n) => log.add(n));
    expect(view).toEqual([1]);
    expect(log.pending).toBe(3);
    expect(log.skipped).toBe(1);
    log.resume();
    expect(view).toEqual([3, 4, 5]);
    expect(log.pending).toBe(0);
  });

  it('clear forgets the waiting rows', () => {
    const { view, log } = setup();
    log.pause();
    log.add(1);
    log.clear();
    log.resume();
    expect(view).toEqual([]);
  });
});

describe('inputNotice', () => {
  it('says input is hidden and which right on which group shows it', () => {
    expect(inputNotice({ shown: false, group: 'lab' })).toBe('Input hidden: needs the replay right on group lab. Only device output is shown.');
    expect(inputNotice({ shown: false, group: null })).toBe("Input hidden: needs the replay right on the device's group. Only device output is shown.");
  });

  it('warns that shown input includes whatever is typed', () => {
    expect(inputNotice({ shown: true, group: 'lab' })).toBe('Showing both directions, including typed input (passwords too).');
  });
});
