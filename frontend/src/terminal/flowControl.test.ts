import { describe, expect, it } from 'vitest';
import { FlowControl, type FlowMessage } from './flowControl';

function setup(high = 100, low = 10) {
  const sent: FlowMessage['type'][] = [];
  const flow = new FlowControl({ high, low, send: (m) => sent.push(m.type) });
  return { flow, sent };
}

describe('FlowControl', () => {
  it('sends nothing while the pending bytes stay at or below HIGH', () => {
    const { flow, sent } = setup();
    flow.written(60)();
    flow.written(100);
    expect(flow.pending).toBe(100);
    expect(sent).toEqual([]);
  });

  it('pauses once when pending bytes cross HIGH, however many more chunks arrive', () => {
    const { flow, sent } = setup();
    flow.written(60);
    flow.written(60);
    flow.written(60);
    expect(flow.paused).toBe(true);
    expect(sent).toEqual(['pause']);
  });

  it('resumes only when pending bytes fall below LOW', () => {
    const { flow, sent } = setup();
    const done = [flow.written(50), flow.written(50), flow.written(50)];
    expect(sent).toEqual(['pause']);
    done[0]();
    done[1](); // 50 left: between LOW and HIGH, still paused (hysteresis)
    expect(flow.paused).toBe(true);
    expect(sent).toEqual(['pause']);
    done[2]();
    expect(flow.pending).toBe(0);
    expect(sent).toEqual(['pause', 'resume']);
  });

  it('cycles pause/resume for a long burst', () => {
    const { flow, sent } = setup(100, 10);
    for (let round = 0; round < 3; round++) {
      const callbacks = Array.from({ length: 5 }, () => flow.written(40));
      callbacks.forEach((c) => c());
    }
    expect(sent).toEqual(['pause', 'resume', 'pause', 'resume', 'pause', 'resume']);
  });

  it('counts a write callback only once', () => {
    const { flow } = setup();
    flow.written(30);
    const done = flow.written(30);
    done();
    done();
    expect(flow.pending).toBe(30);
  });

  it('ignores callbacks of writes made before reset (a reconnect)', () => {
    const { flow, sent } = setup();
    const old = flow.written(500);
    expect(sent).toEqual(['pause']);
    flow.reset();
    expect(flow.paused).toBe(false);
    flow.written(50);
    old();
    expect(flow.pending).toBe(50);
    expect(sent).toEqual(['pause']);
  });

  it('uses the xterm.js guide values by default and rejects LOW >= HIGH', () => {
    const flow = new FlowControl({ send: () => {} });
    expect(flow.high).toBe(100_000);
    expect(flow.low).toBe(10_000);
    expect(() => new FlowControl({ send: () => {}, high: 10, low: 10 })).toThrow(RangeError);
  });

  it('restart forgets what was in flight and lifts a pause the portal still holds', () => {
    const { flow, sent } = setup();
    const old = flow.written(150);
    expect(sent).toEqual(['pause']);
    flow.restart();
    expect(sent).toEqual(['pause', 'resume']);
    old();
    expect(flow.pending).toBe(0);
    flow.restart(); // not paused: nothing to lift
    expect(sent).toEqual(['pause', 'resume']);
  });
});
