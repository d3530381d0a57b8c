// The dialogue with the Java test (BrowserDialogue.java): a request is one stdout line
// "@@tether {json}", its answer one stdin line {"id", "ok", "value" | "error"}. Stdin is read from
// the first request on until endDialogue(), so a scenario that asks nothing never waits on stdin.

import { createInterface } from 'node:readline';

const pending = new Map();
let nextId = 1;
let answers = null;

function listen() {
  answers = createInterface({ input: process.stdin });
  answers.on('line', (line) => {
    let answer;
    try {
      answer = JSON.parse(line);
    } catch {
      return;
    }
    const waiter = pending.get(answer.id);
    if (waiter) {
      pending.delete(answer.id);
      waiter(answer);
    }
  });
}

/** Asks the test to do {@code op}; resolves with its value, rejects with its error. */
export function test(op, args = {}, timeoutMs = 60_000) {
  if (!answers) listen();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      pending.delete(id);
      reject(new Error(`the test did not answer ${op} within ${timeoutMs} ms`));
    }, timeoutMs);
    pending.set(id, (answer) => {
      clearTimeout(timer);
      if (answer.ok) resolve(answer.value);
      else reject(new Error(`test side: ${answer.error}`));
    });
    console.log(`@@tether ${JSON.stringify({ id, op, ...args })}`);
  });
}

/** Stops reading stdin (the scenario is over). */
export function endDialogue() {
  answers?.close();
  answers = null;
}
