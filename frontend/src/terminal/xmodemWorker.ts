// Runs an XMODEM / YMODEM send (xmodem.ts) in a Worker: a background tab throttles its page's
// timers to once a second or less, which would break XMODEM's timeouts mid-upload; a dedicated
// worker's timers are not throttled that way. The page forwards the device's bytes in and sends
// what comes out (xmodemRun.ts).

import { XmodemSender } from './xmodem';
import type { XmodemIn, XmodemOut } from './xmodemRun';

const port = self as unknown as { postMessage(message: XmodemOut): void; onmessage: ((event: MessageEvent<XmodemIn>) => void) | null };
let sender: XmodemSender | null = null;
/** The result, posted after the bytes of the chunk that ended it that were not the transfer's. */
let result: XmodemOut | null = null;

port.onmessage = (event) => {
  const m = event.data;
  if (m.type === 'start') {
    sender = new XmodemSender(m.protocol, m.name, new Uint8Array(m.data), {
      send: (bytes) => port.postMessage({ type: 'send', bytes }),
      progress: (done, total, retries) => port.postMessage({ type: 'progress', done, total, retries }),
      finished: (outcome, detail) => (result = { type: 'finished', outcome, detail }),
      timer: (ms, fn) => {
        const id = setTimeout(fn, ms);
        return () => clearTimeout(id);
      },
    }, m.mtimeSeconds);
    sender.start();
  } else if (m.type === 'receive') {
    const used = sender && sender.running ? sender.receive(m.bytes) : 0;
    if (used < m.bytes.length) port.postMessage({ type: 'rest', bytes: m.bytes.subarray(used) });
  } else {
    sender?.cancel();
  }
  if (result) {
    port.postMessage(result);
    result = null;
  }
};

// timers end a send too (the start or a block timed out)
setInterval(() => {
  if (result) {
    port.postMessage(result);
    result = null;
  }
}, 100);
