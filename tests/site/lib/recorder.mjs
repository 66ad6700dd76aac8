// Records every request that reaches the fake site, for tests to inspect.
//
// The point of the fixture is to prove what did (not) leave the browser, so the
// record keeps the raw body exactly as received: `body` (UTF-8 string, for
// searching planted secrets), `bytes` (Buffer) and its sha256.
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';

// Headers worth keeping; every x-* header is kept as well (conduit token, blob type, …).
const KEPT_HEADERS = ['host', 'origin', 'referer', 'content-type', 'content-length', 'accept',
  'authorization', 'user-agent', 'access-control-request-method', 'access-control-request-headers',
  'oai-device-id', 'oai-language', 'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest'];

export class Recorder extends EventEmitter {
  constructor() {
    super();
    // One array for the life of the server: tests may hold a reference to it.
    this.requests = [];
    this.seq = 0;
  }

  /** Adds a record for req with its already-read body; returns the record so handlers can annotate it. */
  record(req, host, kind, bytes) {
    const url = new URL(req.url, `https://${host || 'invalid'}`);
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (KEPT_HEADERS.includes(k) || k.startsWith('x-')) headers[k] = v;
    }
    const body = bytes.toString('utf8');
    let json;
    if (bytes.length && /json/i.test(req.headers['content-type'] ?? '')) {
      try { json = JSON.parse(body); } catch { /* keep json undefined: the raw body is what counts */ }
    }
    const rec = {
      seq: ++this.seq,
      time: Date.now(),
      host,
      kind, // 'page' | 'api' | 'files' | 'other'
      method: req.method,
      path: url.pathname,
      query: url.search,
      headers,
      body,
      json,
      bytes,
      size: bytes.length,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      status: undefined, // set by done() when the response has been sent
    };
    this.requests.push(rec);
    this.emit('request', rec);
    return rec;
  }

  /** Marks rec answered (status set); waiters re-check, so they can match on status or handler annotations. */
  done(rec, status) {
    rec.status = status;
    this.emit('done', rec);
  }

  clear() {
    this.requests.length = 0; // in place, see constructor
  }

  /** Resolves with the first record (already present or future) matching pred. */
  waitFor(pred, { timeout = 10_000 } = {}) {
    const hit = this.requests.find(pred);
    if (hit) return Promise.resolve(hit);
    return new Promise((resolve, reject) => {
      const stop = () => {
        clearTimeout(timer);
        this.off('request', onReq);
        this.off('done', onReq);
      };
      const onReq = (rec) => {
        if (!pred(rec)) return;
        stop();
        resolve(rec);
      };
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`no matching request within ${timeout} ms; seen: ${this.summary()}`));
      }, timeout);
      this.on('request', onReq);
      this.on('done', onReq);
    });
  }

  summary() {
    return this.requests.map((r) => `${r.method} ${r.host}${r.path} ${r.status ?? '…'}`).join(', ') || '(none)';
  }

  /** JSON-safe copy for GET /__test/requests: the Buffer becomes base64. */
  toJSON() {
    return this.requests.map(({ bytes, ...r }) => ({ ...r, bodyBase64: bytes.toString('base64') }));
  }
}
