// A local SIEM collector for tests: a real HTTP server on 127.0.0.1 that takes PromptWarden's audit
// batches the way the real receivers do — JSON lines (ECS) on any path, Splunk HTTP Event Collector
// batches on /services/collector[/event] — checks the Authorization header when given one, and records
// every request's raw bytes and the events parsed from them. It can be stopped and started again on
// the same port (the records are kept), or told to answer errors, to test delivery under failure.
//
//   node tests/admin/collector.mjs [--port 8088] [--token SECRET]    (prints each event it receives)
import http from 'node:http';

/**
 * @param {{ port?: number, token?: string }} [options] token: the accepted Authorization header is
 *   `Splunk <token>` on HEC paths and `Bearer <token>` elsewhere.
 */
export async function startCollector({ port = 0, token } = {}) {
  /** Every request received: method, path, headers, raw body (Buffer), status answered. */
  const requests = [];
  /** Every event parsed from an accepted request, in arrival order (duplicates kept). */
  const events = [];
  let failWith = null;
  const waiters = new Set();
  const sockets = new Set();

  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 64 * 1024 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const path = new URL(req.url, 'http://collector').pathname;
      const hec = path.startsWith('/services/collector');
      const record = { method: req.method, path, headers: req.headers, raw, status: 0, at: Date.now() };
      requests.push(record);
      const answer = (status, body) => {
        record.status = status;
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST') return answer(405, { text: 'POST only' });
      if (failWith) return answer(failWith, { text: 'failing on purpose', code: 8 });
      if (token && req.headers.authorization !== `${hec ? 'Splunk' : 'Bearer'} ${token}`) {
        return answer(401, { text: 'Invalid authorization', code: 3 });
      }
      let parsed;
      try {
        parsed = hec ? parseHec(raw.toString('utf8')) : parseJsonLines(raw.toString('utf8'));
      } catch (e) {
        return answer(400, { text: `Invalid data format: ${e.message}`, code: 6 });
      }
      for (const event of parsed) events.push({ format: hec ? 'splunk-hec' : 'ecs-jsonl', event, at: record.at });
      for (const w of waiters) w();
      answer(200, { text: 'Success', code: 0 });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (p) =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(p, '127.0.0.1', () => {
        server.off('error', reject);
        resolve(server.address().port);
      });
    });
  const actualPort = await listen(port);
  let running = true;

  const collector = {
    port: actualPort,
    /** Base URL; add `/ecs` (any path) for JSON lines or `/services/collector/event` for HEC. */
    url: `http://127.0.0.1:${actualPort}`,
    requests,
    events,
    get running() {
      return running;
    },
    /** The event id of each received event (ECS `event.id`, HEC `event.id`). */
    ids: () => events.map(({ event, format }) => (format === 'splunk-hec' ? event.event?.id : event.event?.id)),
    /** Answers every request with `status` (e.g. 503) until called with null. */
    fail(status) {
      failWith = status;
    },
    /** Stops listening and drops open connections; the records stay. */
    async stop() {
      if (!running) return;
      running = false;
      await new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    /** Listens again on the same port. */
    async start() {
      if (running) return;
      await listen(actualPort);
      running = true;
    },
    /** Resolves once `pred(events)` is true; rejects after `timeout` ms with what arrived so far. */
    waitFor(pred, { timeout = 30_000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pred(events)) {
            cleanup();
            resolve(events);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`collector: condition not met after ${timeout} ms (${events.length} events received)`));
        }, timeout);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () => collector.stop(),
  };
  return collector;
}

/** JSON lines: one JSON object per non-empty line. */
export function parseJsonLines(text) {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const value = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`line ${i + 1} is not an object`);
      return value;
    });
}

/**
 * A HEC batch: JSON objects one after another, with or without whitespace between them, each with an
 * `event` — as Splunk's /services/collector/event accepts them.
 */
export function parseHec(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    if (text[i] !== '{') throw new Error(`expected "{" at offset ${i}`);
    let depth = 0;
    let inString = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inString) {
        if (c === '\\') j++;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    if (depth !== 0) throw new Error('unterminated object');
    const value = JSON.parse(text.slice(i, j + 1));
    if (value.event === undefined) throw new Error('Event field is required');
    out.push(value);
    i = j + 1;
  }
  return out;
}

// Run as a program only (not when bundled into a test, where import.meta.url is the test's own file).
if (process.argv[1]?.endsWith('collector.mjs') && import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const c = await startCollector({ port: Number(arg('--port') ?? 8088), token: arg('--token') });
  console.log(`collector listening on ${c.url} (JSON lines on any path, Splunk HEC on /services/collector/event)`);
  let shown = 0;
  setInterval(() => {
    for (; shown < c.events.length; shown++) console.log(JSON.stringify(c.events[shown].event));
  }, 200);
}
