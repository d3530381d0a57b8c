import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocket } from '../live/fakeSocket';
import {
  CLOSE_CREDENTIAL_EXPIRED,
  CLOSE_NODE_DRAINING,
  CLOSE_REFUSED,
  CLOSE_VIEWER,
  type ConnectionTiming,
  MOVE_EXPIRED,
  type Reply,
  type ResetReason,
  TerminalConnection,
  type TerminalState,
  terminalUrl,
} from './connection';
import { MOVE_WINDOW_MS, moveDelay } from './nodeMove';
import type { SessionInfo } from './sharing';
import { describeState, expiringNotice, movedLine, stateLabel } from './states';

let sockets: FakeSocket[];
let states: TerminalState[];
let data: number[][];
let replies: Reply[];
let starts: number;
let sessions: (SessionInfo | null)[];
let resets: ResetReason[];
let moves: number;
/** The order of states, resets and moved notices, for the rules about what comes after what. */
let log: string[];
let connection: TerminalConnection;

const last = () => sockets[sockets.length - 1];
const kinds = () => states.map((s) => s.kind);

beforeEach(() => {
  sockets = [];
  states = [];
  data = [];
  replies = [];
  starts = 0;
  sessions = [];
  resets = [];
  moves = 0;
  log = [];
  connection = newConnection();
});

function newConnection(timing?: ConnectionTiming): TerminalConnection {
  return new TerminalConnection(
    'ws://portal/api/devices/7/terminal?target=console',
    {
      state: (s) => {
        states.push(s);
        log.push(`state:${s.kind}`);
      },
      data: (bytes) => data.push([...bytes]),
      reply: (r) => replies.push(r),
      streamStart: () => starts++,
      session: (info) => sessions.push(info),
      reset: (why) => {
        resets.push(why);
        log.push(`reset:${why}`);
      },
      moved: () => {
        moves++;
        log.push('moved');
      },
    },
    (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    timing,
  );
}

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

  it('shows a device-side busy port as busy, and keeps it when the portal closes with 4410', () => {
    // a second browser no longer gets "busy": it joins the live session as an observer (see the
    // shared-session tests); busy is the device refusing the open (the port is held on its side)
    connection.connect();
    const socket = last();
    socket.open();
    socket.text({ type: 'status', state: 'busy', target: 'console', detail: 'the port is open in another program on the device' });
    socket.drop(CLOSE_REFUSED, 'busy: the port is open in another program on the device');
    expect(connection.state).toEqual({ kind: 'busy', holder: null, detail: 'the port is open in another program on the device' });
    expect(describeState(connection.state, 'plc/console')).toBe('plc/console is in use (the port is open in another program on the device).');
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

/** The portal's `session` message for this browser (participant 2) with alice controlling. */
const sessionMessage = (over: Record<string, unknown> = {}) => ({
  type: 'session',
  id: 41,
  you: 2,
  role: 'observer',
  mayControl: true,
  controller: 'alice',
  participants: [
    { id: 1, username: 'alice', role: 'controller' },
    { id: 2, username: 'bob', role: 'observer' },
  ],
  recording: 'output',
  ...over,
});

describe('TerminalConnection in a shared session', () => {
  it('reads the session message: id, role, controller, participants, recording', () => {
    const socket = goLive();
    socket.text(sessionMessage());
    expect(sessions).toEqual([
      {
        id: 41,
        you: 2,
        role: 'observer',
        mayControl: true,
        controller: 'alice',
        participants: [
          { id: 1, username: 'alice', role: 'controller' },
          { id: 2, username: 'bob', role: 'observer' },
        ],
        recording: 'output',
      },
    ]);
    expect(connection.session?.role).toBe('observer');
    expect(connection.state.kind).toBe('live'); // joining as observer is not "busy"
  });

  it('does not send an observer\'s keys, and sends them once it controls', () => {
    const socket = goLive();
    socket.text(sessionMessage());
    expect(connection.observing).toBe(true);
    expect(connection.input('ls\r')).toBe(false);
    expect(socket.sent).toEqual([]);
    socket.text(sessionMessage({ role: 'controller', controller: 'bob' }));
    expect(connection.observing).toBe(false);
    expect(connection.input('ls\r')).toBe(true);
    expect(socket.sent).toEqual([Uint8Array.from([0x6c, 0x73, 0x0d])]);
  });

  it('sends take-over, hand-over to a participant and release as JSON', () => {
    const socket = goLive();
    socket.text(sessionMessage());
    expect(connection.takeOver()).toBe(true);
    expect(connection.handOver(1)).toBe(true);
    expect(connection.release()).toBe(true);
    expect(socket.json()).toEqual([{ type: 'take-over' }, { type: 'hand-over', to: 1 }, { type: 'release' }]);
  });

  it('passes on reset with its reason, lagging and input-refused', () => {
    const socket = goLive();
    socket.text({ type: 'reset', why: 'join' });
    socket.binary([0x24, 0x20]);
    socket.text({ type: 'lagging' });
    socket.text({ type: 'reset', why: 'resync' });
    socket.text({ type: 'input-refused', detail: 'observers cannot type' });
    expect(resets).toEqual(['join', 'resync']);
    expect(data).toEqual([[0x24, 0x20]]);
    expect(replies).toEqual([{ type: 'lagging' }, { type: 'input-refused', detail: 'observers cannot type' }]);
    expect(connection.state.kind).toBe('live');
  });

  it('passes on the warning that the browser session is about to end, and words it', () => {
    const socket = goLive();
    socket.text({ type: 'expiring', at: '2026-12-03T12:30:00Z' });
    socket.text({ type: 'expiring' });
    expect(replies).toEqual([{ type: 'expiring', at: '2026-12-03T12:30:00Z' }]);
    expect(expiringNotice('2026-12-03T12:30:00Z', new Date('2026-12-03T12:25:00Z'))).toBe(
      'Your sign-in ends at 12:30 UTC (in about 5 min) and this terminal closes then: save your work, then sign in again.',
    );
    expect(connection.state.kind).toBe('live');
  });

  it('ignores a session message without id or role, and keeps the participants it can read', () => {
    const socket = goLive();
    socket.text({ type: 'session', you: 2, role: 'observer' });
    socket.text({ type: 'session', id: 41, you: 2, role: 'boss' });
    expect(sessions).toEqual([]);
    socket.text(sessionMessage({ participants: [{ id: 1, username: 'alice', role: 'controller' }, { id: 3 }, 'x'], recording: 'weird', controller: null }));
    expect(connection.session).toMatchObject({ controller: null, recording: 'off', participants: [{ id: 1, username: 'alice', role: 'controller' }] });
  });

  it('forgets the session on reconnect, and keeps the last one after a close (for its page)', () => {
    const socket = goLive();
    socket.text(sessionMessage());
    socket.text({ type: 'closed', code: 1000, reason: 'ended-by-admin: ended by root' });
    socket.drop(1000);
    expect(connection.state).toEqual({ kind: 'closed', reason: 'ended-by-admin: ended by root', code: 1000 });
    expect(describeState(connection.state, 'plc/console')).toBe('The terminal to plc/console closed: ended-by-admin: ended by root.');
    expect(connection.session?.id).toBe(41);
    expect(connection.observing).toBe(false);
    connection.connect();
    expect(connection.session).toBeNull();
    expect(sessions.at(-1)).toBeNull();
  });

  it('explains 4403: a viewer cannot start a session', () => {
    connection.connect();
    const socket = last();
    socket.open();
    socket.text({ type: 'closed', code: CLOSE_VIEWER, reason: 'forbidden' });
    socket.drop(CLOSE_VIEWER, 'forbidden');
    expect(connection.state).toMatchObject({ kind: 'closed', code: CLOSE_VIEWER });
    expect(describeState(connection.state, 'plc/console')).toBe(
      'The terminal to plc/console closed: no session is live on this target, and a viewer may watch a live session but not start one. Reconnect once an operator has opened it.',
    );

    connection.connect(); // the same without a "closed" message first
    last().open();
    last().drop(CLOSE_VIEWER, '');
    expect((connection.state as { reason: string }).reason).toContain('a viewer may watch a live session but not start one');
  });
});

/** What the portal sends a browser of a session on a serial target when its node drains. */
const DRAINING = { type: 'closed', code: 'node-draining', reason: 'node-draining: the session moves to another node: reconnect' };

describe('TerminalConnection when its portal node drains', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    connection = newConnection({ random: () => 0.5 }); // the first attempt after 500 + 250 ms
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** Live, then the portal node drains: the message, then close 1012. */
  function drain(): FakeSocket {
    const socket = goLive();
    socket.text(DRAINING);
    socket.drop(CLOSE_NODE_DRAINING, DRAINING.reason);
    return socket;
  }

  /** Lets the next attempt start after {@code ms}, and returns its socket. */
  function nextAttempt(ms: number): FakeSocket {
    const before = sockets.length;
    vi.advanceTimersByTime(ms - 1);
    expect(sockets.length, `no attempt before ${ms} ms`).toBe(before);
    vi.advanceTimersByTime(1);
    expect(sockets.length, `an attempt after ${ms} ms`).toBe(before + 1);
    return last();
  }

  /** An attempt that rejoins the session: the portal says live, then resets the screen for the join. */
  function rejoin(socket: FakeSocket): void {
    socket.open();
    socket.text({ type: 'status', state: 'live', target: 'console' });
    socket.text({ type: 'reset', why: 'join' });
  }

  it('starts a move on the node-draining message and reconnects after 500 ms plus jitter', () => {
    const first = goLive();
    first.text(DRAINING);
    expect(connection.state).toEqual({ kind: 'moving', detail: DRAINING.reason, attempt: 0 });
    const attempt = nextAttempt(750);
    expect(first.closedWith).toBe(1000);
    expect(attempt.url).toBe(first.url);
    expect(connection.state).toEqual({ kind: 'moving', detail: DRAINING.reason, attempt: 1 });
    expect(describeState(connection.state, 'plc/console')).toBe('Moving the session on plc/console to another node… (attempt 1)');
    expect(stateLabel('moving')).toBe('Moving');
  });

  it('starts a move on a 1012 close without a message', () => {
    goLive().drop(CLOSE_NODE_DRAINING, 'node-draining: the session moves to another node: reconnect');
    expect(connection.state).toMatchObject({ kind: 'moving', attempt: 0 });
    nextAttempt(750);
    expect(connection.state).toMatchObject({ kind: 'moving', attempt: 1 });
  });

  it('waits 500 ms plus up to 500 ms of jitter for the first attempt, then 1 s, 2 s and every 2 s', () => {
    expect([moveDelay(1, () => 0), moveDelay(1, () => 0.999), moveDelay(2, () => 0.5), moveDelay(3, () => 0.5), moveDelay(9, () => 0.5)]).toEqual([
      500, 999, 1_000, 2_000, 2_000,
    ]);
  });

  it('retries refusals that mean "not back yet" until an attempt rejoins', () => {
    drain();
    nextAttempt(750).drop(1006); // the upgrade failed
    const offline = nextAttempt(1_000);
    offline.open();
    offline.text({ type: 'status', state: 'offline', detail: 'the device is offline' });
    offline.drop(CLOSE_REFUSED, 'device-offline: the device is offline');
    const viewer = nextAttempt(2_000);
    viewer.open();
    viewer.text({ type: 'closed', code: 'no-live-session', reason: 'no-live-session: no session is live on this target' });
    viewer.drop(CLOSE_VIEWER, 'no-live-session');
    const stopping = nextAttempt(2_000);
    stopping.open();
    stopping.drop(1001, 'portal-shutdown');
    const draining = nextAttempt(2_000);
    draining.open();
    draining.drop(CLOSE_NODE_DRAINING, 'node-draining');
    nextAttempt(2_000).drop(CLOSE_REFUSED, 'device-offline: the device is offline');
    const states = kinds();
    expect(states.slice(states.indexOf('moving'))).toEqual(['moving', 'moving', 'moving', 'moving', 'moving', 'moving', 'moving']);
    expect(connection.state).toMatchObject({ kind: 'moving', attempt: 6 });
    rejoin(nextAttempt(2_000));
    expect(connection.state).toEqual({ kind: 'live' });
  });

  it('emits moved once, after the join reset, when an attempt goes live', () => {
    drain();
    rejoin(nextAttempt(750));
    expect(log.slice(log.lastIndexOf('state:moving') + 1)).toEqual(['state:live', 'reset:join', 'moved']);
    last().text({ type: 'reset', why: 'join' });
    last().text({ type: 'status', state: 'live' });
    vi.advanceTimersByTime(MOVE_WINDOW_MS);
    expect(moves).toBe(1);
    expect(connection.live).toBe(true);
  });

  it('emits moved when live comes after the join reset (the session was still connecting)', () => {
    drain();
    const attempt = nextAttempt(750);
    attempt.open();
    attempt.text({ type: 'status', state: 'connecting' });
    attempt.text({ type: 'reset', why: 'join' });
    expect(connection.state.kind).toBe('moving');
    attempt.text({ type: 'status', state: 'live' });
    expect(log.slice(-3)).toEqual(['reset:join', 'state:live', 'moved']);
    expect(moves).toBe(1);
  });

  it('does not emit moved on a Reconnect that was not a move', () => {
    goLive().text({ type: 'reset', why: 'join' });
    connection.connect();
    rejoin(last());
    expect(moves).toBe(0);
  });

  it('starts a new stream for each attempt, and sends no input while moving', () => {
    const socket = drain();
    socket.text(sessionMessage()); // ignored: the socket is gone
    const attempt = nextAttempt(750);
    attempt.open();
    attempt.text(sessionMessage({ role: 'controller' }));
    expect(starts).toBe(2);
    expect(connection.input('ls\r')).toBe(false);
    expect(attempt.sent).toEqual([]);
    attempt.drop(1006);
    nextAttempt(1_000);
    expect(starts).toBe(3);
    expect(sessions.at(-1)).toBeNull();
    expect(connection.session).toBeNull();
  });

  it('ends the move closed with the reason when the window passes without a rejoin', () => {
    drain();
    for (let ms = 0; ms < MOVE_WINDOW_MS - 1; ms += 1) {
      vi.advanceTimersByTime(1);
      if (last().readyState === 0) last().drop(1006); // every attempt is refused at once
    }
    expect(connection.state).toMatchObject({ kind: 'moving', attempt: 16 }); // at 0.75 s, 1.75 s, 3.75 s, then every 2 s up to 29.75 s
    vi.advanceTimersByTime(1);
    expect(connection.state).toEqual({ kind: 'closed', reason: MOVE_EXPIRED, code: null });
    expect(describeState(connection.state, 'plc/console')).toBe('The terminal to plc/console closed: the session could not be resumed on another node within 30 s.');
    const made = sockets.length;
    vi.advanceTimersByTime(60_000);
    expect(sockets.length).toBe(made);
  });

  it('ends the window also while an attempt is still under way', () => {
    drain();
    vi.advanceTimersByTime(750);
    const hanging = last();
    hanging.open(); // and the portal never says anything
    vi.advanceTimersByTime(MOVE_WINDOW_MS);
    expect(connection.state).toEqual({ kind: 'closed', reason: MOVE_EXPIRED, code: null });
    expect(hanging.closedWith).toBe(1000);
  });

  it('ends the move on a 4401 close: the sign-in ended', () => {
    drain();
    const attempt = nextAttempt(750);
    attempt.open();
    attempt.text({ type: 'closed', code: 'credential-expired', reason: 'credential-expired: your sign-in ended' });
    attempt.drop(CLOSE_CREDENTIAL_EXPIRED, 'credential-expired: your sign-in ended');
    expect(connection.state).toEqual({ kind: 'closed', reason: 'credential-expired: your sign-in ended', code: CLOSE_CREDENTIAL_EXPIRED });
    const made = sockets.length;
    vi.advanceTimersByTime(MOVE_WINDOW_MS);
    expect(sockets.length).toBe(made);
    expect(connection.state.kind).toBe('closed');
  });

  it('ends the move on a refusal that is not "not back yet", as it would end a live terminal', () => {
    drain();
    const attempt = nextAttempt(750);
    attempt.open();
    attempt.text({ type: 'status', state: 'busy', detail: 'the port is open in another program on the device' });
    attempt.drop(CLOSE_REFUSED, 'target-busy: the port is open in another program on the device');
    expect(connection.state).toMatchObject({ kind: 'busy' });
    vi.advanceTimersByTime(MOVE_WINDOW_MS);
    expect(connection.state.kind).toBe('busy');
  });

  it('cancels the pending attempt when the user closes the terminal', () => {
    drain();
    connection.close();
    expect(connection.state).toEqual({ kind: 'closed', reason: 'you closed the terminal', code: 1000 });
    vi.advanceTimersByTime(MOVE_WINDOW_MS * 2);
    expect(sockets.length).toBe(1);
    expect(connection.state.kind).toBe('closed');
  });

  it('cancels the automatic attempts on a manual Reconnect', () => {
    drain();
    connection.connect();
    const manual = last();
    expect(connection.state.kind).toBe('connecting');
    vi.advanceTimersByTime(MOVE_WINDOW_MS * 2);
    expect(sockets.length).toBe(2);
    expect(connection.state.kind).toBe('connecting');
    manual.open();
    manual.text({ type: 'status', state: 'live' });
    manual.text({ type: 'reset', why: 'join' });
    expect(moves).toBe(0);
  });

  it('does not move on a normal close after the node-draining message: the session ended (a TCP target)', () => {
    const socket = goLive();
    socket.text({ type: 'closed', code: 'node-draining', reason: 'node-draining: the portal node stopped' });
    socket.drop(1000, 'node-draining: the portal node stopped');
    expect(connection.state).toEqual({ kind: 'closed', reason: 'node-draining: the portal node stopped', code: 1000 });
    vi.advanceTimersByTime(MOVE_WINDOW_MS);
    expect(sockets.length).toBe(1);
  });

  it('does not move on other closes: 1000, 1001, 1006, 4410 close as before', () => {
    for (const code of [1000, 1001, 1006, CLOSE_REFUSED]) {
      goLive().drop(code);
      expect(connection.state, `close ${code}`).toMatchObject({ kind: 'closed', code });
    }
    const made = sockets.length;
    vi.advanceTimersByTime(MOVE_WINDOW_MS);
    expect(sockets.length).toBe(made);
  });

  it('writes the moved notice as one dim italic line, on a line of its own after output', () => {
    expect(movedLine(false)).toBe('\x1b[2;3m[the session moved to another node]\x1b[0m\r\n');
    expect(movedLine(true)).toBe('\r\n\x1b[2;3m[the session moved to another node]\x1b[0m\r\n');
  });
});
