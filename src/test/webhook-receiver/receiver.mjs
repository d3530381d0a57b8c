// A webhook receiver for WebhooksIT. It checks every request with the standardwebhooks package (an
// implementation independent of the portal's) and records what it got; the test scripts its
// answers and reads the record over HTTP:
//   POST /_secrets  ["whsec_…", …]          the secrets a request may verify with
//   POST /_script   {"path", "statuses": [500, 500, 200], "headers": {…}}  answers, in turn (the
//                   last one repeats; default 200)
//   GET  /_received [{path, id, type, verified: [secret indexes], signature, body}, …]
// Usage: node receiver.mjs PORT (0: any); prints "listening PORT" once it is.
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

let secrets = [];
const scripts = new Map();
const received = [];

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function verifiedWith(body, headers) {
  const ok = [];
  secrets.forEach((secret, i) => {
    try {
      new Webhook(secret).verify(body, headers);
      ok.push(i);
    } catch {
      // not this secret
    }
  });
  return ok;
}

function answer(path) {
  const script = scripts.get(path) ?? { statuses: [200], headers: {} };
  const status = script.statuses.length > 1 ? script.statuses.shift() : script.statuses[0];
  return { status, headers: script.headers ?? {} };
}

const server = http.createServer(async (req, res) => {
  const body = await readBody(req);
  if (req.url === '/_secrets') {
    secrets = JSON.parse(body);
    res.end('ok');
  } else if (req.url === '/_script') {
    const s = JSON.parse(body);
    scripts.set(s.path, { statuses: [...s.statuses], headers: s.headers ?? {} });
    res.end('ok');
  } else if (req.url === '/_received') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(received));
  } else {
    let type = null;
    try {
      type = JSON.parse(body).type;
    } catch {
      // recorded with no type
    }
    received.push({
      path: req.url,
      id: req.headers['webhook-id'] ?? null,
      type,
      verified: verifiedWith(body, req.headers),
      signature: req.headers['webhook-signature'] ?? null,
      body,
    });
    const { status, headers } = answer(req.url);
    res.writeHead(status, headers);
    res.end(status >= 300 ? `scripted ${status} from the receiver` : 'ok');
  }
});

server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(`listening ${server.address().port}`);
});
