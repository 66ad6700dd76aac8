// Fake chatgpt.com for end-to-end tests of PromptWarden.
//
// One HTTPS port serves three host names, dispatched by the Host header:
// chatgpt.com / chat.openai.com (page + backend-api) and files.oaiusercontent.com
// (blob uploads). Browsers reach it through --host-resolver-rules, so URLs in the
// page are the real ones. Every request is recorded, raw body included, so a test
// can prove that a planted secret never reached "the server".
//
//   import { startSite } from './tests/site/server.mjs';
//   const site = await startSite();          // {url, port, spki, requests, clear(), close(), ...}
//
//   node tests/site/server.mjs --port 8443   (standalone; prints the URL and browser flags)
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Backend, defaultAnswer, FILES_HOST } from './lib/backend.mjs';
import { ensureCert } from './lib/cert.mjs';
import { handleFilesHost } from './lib/files-host.mjs';
import { hostName, readBody, sendJson, sendText } from './lib/http.mjs';
import { Recorder } from './lib/recorder.mjs';
import { CSP, handleStatic, notFound } from './lib/static.mjs';
import { ensureBuilt, WWW_DIR } from './build.mjs';

const SITE_DIR = path.dirname(fileURLToPath(import.meta.url));
const PAGE_HOSTS = ['chatgpt.com', 'chat.openai.com', 'localhost', '127.0.0.1'];

/**
 * Starts the site. Options:
 *   port      TCP port on 127.0.0.1 (0 = any free one; default)
 *   certDir   certificate cache (default tests/site/.cert)
 *   wwwDir    built page (default tests/site/www, built here if stale)
 *   answer    (text, body) => string | string[]: the assistant's reply (array = stream chunks)
 *   csp       Content-Security-Policy for the page (default: the strict one in lib/static.mjs)
 */
export async function startSite({ port = 0, certDir = path.join(SITE_DIR, '.cert'), wwwDir = WWW_DIR,
  answer, csp = CSP } = {}) {
  if (wwwDir === WWW_DIR) await ensureBuilt(wwwDir);
  const { key, cert, spki } = ensureCert(certDir);
  const recorder = new Recorder();
  const backend = new Backend({ answer });

  const server = https.createServer({ key, cert }, (req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) sendText(res, e.status ?? 500, String(e.message ?? e));
      else res.destroy();
    });
  });

  async function handle(req, res) {
    const host = hostName(req);
    const bytes = await readBody(req);
    const url = new URL(req.url, 'https://x');
    // Test control endpoints are not traffic from the page: not recorded.
    if (url.pathname.startsWith('/__test/')) return testControl(req, res, url.pathname);

    const isFiles = host === FILES_HOST;
    const isPage = PAGE_HOSTS.includes(host);
    const kind = isFiles ? 'files' : !isPage ? 'other' : url.pathname.startsWith('/backend-api/') ? 'api' : 'page';
    const rec = recorder.record(req, host, kind, bytes);
    res.on('finish', () => recorder.done(rec, res.statusCode));

    if (isFiles) return handleFilesHost(req, res, rec, backend.uploads);
    if (!isPage) return sendText(res, 421, `misdirected request for host "${host}"`);
    if (kind === 'api') {
      if (!backend.handle(req, res, rec)) sendJson(res, 404, { detail: 'Not Found' });
      return;
    }
    if (!handleStatic(req, res, rec, wwwDir, csp)) notFound(res);
  }

  function testControl(req, res, p) {
    if (req.method === 'GET' && p === '/__test/requests') return sendJson(res, 200, recorder.toJSON());
    if (req.method === 'POST' && p === '/__test/clear') {
      recorder.clear();
      return sendJson(res, 200, { status: 'ok' });
    }
    notFound(res);
  }

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const actualPort = server.address().port;
  const mapped = ['chatgpt.com', 'chat.openai.com', FILES_HOST].map((h) => `MAP ${h} 127.0.0.1:${actualPort}`);

  return {
    /** What a browser started with `chromiumArgs` opens. */
    url: 'https://chatgpt.com/',
    localUrl: `https://127.0.0.1:${actualPort}/`,
    port: actualPort,
    spki,
    cert,
    csp,
    requests: recorder.requests,
    recorder,
    /** Flags that make Chromium resolve the three hosts to this server and trust its certificate. */
    chromiumArgs: [
      `--host-resolver-rules=${mapped.join(', ')}`,
      `--ignore-certificate-errors-spki-list=${spki}`,
    ],
    clear: () => recorder.clear(),
    waitForRequest: (pred, opts) => recorder.waitFor(pred, opts),
    /** Replaces the assistant's reply function (null restores the default). */
    setAnswer: (fn) => { backend.answer = fn ?? defaultAnswer; },
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      // Keep-alive sockets and open event streams would hold close() forever.
      server.closeAllConnections();
    }),
  };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') opts.port = Number(argv[++i]);
    else if (a === '--cert-dir') opts.certDir = path.resolve(argv[++i]);
    else if (a === '--help' || a === '-h') {
      console.log('usage: node tests/site/server.mjs [--port N] [--cert-dir DIR]');
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const site = await startSite(parseArgs(process.argv.slice(2)));
  console.log(site.localUrl);
  console.log(`open ${site.url} in Chromium started with:\n  ${site.chromiumArgs.map((a) => `'${a}'`).join(' ')}`);
  console.log(`recorded requests: curl -sk ${site.localUrl}__test/requests`);
  const stop = async () => { await site.close(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
