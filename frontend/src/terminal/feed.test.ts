import { describe, expect, it } from 'vitest';
import { OutputFeed } from './feed';
import { FlowControl, type FlowMessage } from './flowControl';

/** A terminal whose parsing the test completes by hand (xterm calls back asynchronously). */
function setup(encoding: 'utf-8' | 'latin-1' | 'cp437' = 'utf-8', high = 100, low = 10) {
  const written: string[] = [];
  const parsedCallbacks: (() => void)[] = [];
  const sent: FlowMessage['type'][] = [];
  const flow = new FlowControl({ high, low, send: (m) => sent.push(m.type) });
  const feed = new OutputFeed(
    (text, parsed) => {
      written.push(text);
      if (parsed) parsedCallbacks.push(parsed);
    },
    flow,
    encoding,
  );
  const parseAll = () => parsedCallbacks.splice(0).forEach((done) => done());
  return { feed, flow, written, sent, parseAll };
}

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('OutputFeed', () => {
  it('writes a character split across frames whole, and holds nothing for the half', () => {
    const { feed, flow, written } = setup();
    feed.push(bytes(0x41, 0xe2)); // "A" + first byte of €
    feed.push(bytes(0x82));
    feed.push(bytes(0xac, 0x42));
    expect(written).toEqual(['A', '€B']);
    expect(written.join('')).toBe('A€B');
    expect(feed.bytesIn).toBe(5);
    expect(flow.pending).toBe(4); // the two written chunks wait for xterm; the lone middle byte did not
  });

  it('asks the portal to pause above the high watermark and to resume once xterm caught up', () => {
    const { feed, sent, parseAll } = setup('latin-1', 100, 10);
    for (let i = 0; i < 5; i++) feed.push(new Uint8Array(30).fill(0x61));
    expect(sent).toEqual(['pause']);
    parseAll();
    expect(sent).toEqual(['pause', 'resume']);
  });

  it('decodes with the device encoding and switches at the next byte', () => {
    const { feed, written } = setup('latin-1');
    feed.push(bytes(0xe9));
    feed.setEncoding('cp437');
    feed.push(bytes(0xc9, 0xcd, 0xbb)); // ╔═╗
    feed.setEncoding('utf-8');
    feed.push(bytes(0xc3, 0xa9));
    expect(written).toEqual(['é', '╔═╗', 'é']);
    expect(feed.encoding).toBe('utf-8');
  });

  it('ends an unfinished character as U+FFFD when the encoding changes', () => {
    const { feed, written } = setup('utf-8');
    feed.push(bytes(0xe2, 0x82));
    feed.setEncoding('latin-1');
    expect(written).toEqual(['\ufffd']);
  });

  it('starts a new stream on reconnect: no half character and no in-flight bytes carry over', () => {
    const { feed, flow, written, sent, parseAll } = setup('utf-8', 100, 10);
    feed.push(new Uint8Array(150).fill(0x61));
    feed.push(bytes(0xe2));
    expect(sent).toEqual(['pause']);
    feed.restart();
    expect(flow.paused).toBe(false);
    expect(flow.pending).toBe(0);
    expect(written.at(-1)).toBe('\ufffd');
    parseAll(); // callbacks of the old stream do not count
    feed.push(bytes(0x82, 0xac)); // a fresh stream: these are not the rest of the old €
    expect(written.at(-1)).toBe('\ufffd\ufffd');
    expect(sent).toEqual(['pause']);
  });

  it("starts over on the portal's reset: the half character is dropped and a pause is lifted", () => {
    const { feed, flow, written, sent, parseAll } = setup('utf-8', 100, 10);
    feed.push(new Uint8Array(150).fill(0x61));
    feed.push(bytes(0xe2, 0x82)); // half a € when the portal resets
    expect(sent).toEqual(['pause']);
    feed.startOver();
    expect(sent).toEqual(['pause', 'resume']); // the portal still held the pause
    expect(flow.paused).toBe(false);
    expect(flow.pending).toBe(0);
    parseAll();
    feed.push(bytes(0x41));
    expect(written.slice(1)).toEqual(['A']); // no U+FFFD: the old half character is gone
    expect(sent).toEqual(['pause', 'resume']);
  });
});
