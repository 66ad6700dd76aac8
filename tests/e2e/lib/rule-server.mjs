// A rule bundle host for the end-to-end tests: a real HTTP server on loopback that serves whatever bundle
// was last published at /promptwarden/bundle.json, with an ETag and Last-Modified, answering 304 to a
// matching conditional GET (as a static web server or CDN does). It records every request so a test can
// see the extension's conditional requests, and when each bundle was published.
import { createHash } from 'node:crypto';
import http from 'node:http';

export const BUNDLE_PATH = '/promptwarden/bundle.json';

/** Starts the server; `publish(bytes)` replaces the bundle. Returns {url, publish, requests, close}. */
export async function startRuleServer() {
  let current = null; // { bytes, etag, lastModified, at }
  const requests = [];
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method, path: req.url, ifNoneMatch: req.headers['if-none-match'] ?? null, at: Date.now(), status: 0 });
    const record = requests[requests.length - 1];
    if (req.url !== BUNDLE_PATH || !current) {
      record.status = 404;
      return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no bundle published');
    }
    if (req.headers['if-none-match'] === current.etag) {
      record.status = 304;
      return void res.writeHead(304, { ETag: current.etag }).end();
    }
    record.status = 200;
    res.writeHead(200, {
      'Content-Type': 'application/json',
      'Content-Length': current.bytes.length,
      ETag: current.etag,
      'Last-Modified': current.lastModified,
      'Cache-Control': 'no-cache',
    });
    res.end(current.bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${BUNDLE_PATH}`,
    requests,
    /** Serves `bytes` from now on; returns the publish time (ms since the epoch). */
    publish(bytes) {
      const at = Date.now();
      current = { bytes: Buffer.from(bytes), etag: `"${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}"`, lastModified: new Date(at).toUTCString(), at };
      return at;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
