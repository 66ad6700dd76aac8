// HTTP-level checks of the fake ChatGPT backend (no browser): endpoint shapes,
// recording, CORS, certificate. Fast, and they name the broken piece directly.
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { DeltaState } from './app/src/sse.js';
import { ensureCert, spkiHash } from './lib/cert.mjs';
import { startSite } from './server.mjs';

let site;

/** One request to the site as `host` (SNI + Host header), trusting only its own certificate. */
function request({ host = 'chatgpt.com', method = 'GET', path: p = '/', headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: site.port, servername: host, ca: site.cert, method, path: p,
      headers: { host, ...(body !== undefined && typeof body !== 'string' && !Buffer.isBuffer(body)
        ? { 'content-type': 'application/json' } : {}), ...headers },
      timeout: 5_000,
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (body !== undefined) req.write(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
    req.end();
  });
}

const post = (p, body, extra = {}) => request({ method: 'POST', path: p, body, ...extra });

/** Parses an SSE body into [{event, data}]. */
function sse(text) {
  return text.split('\n\n').filter(Boolean).map((block) => {
    const ev = { event: 'message', data: '' };
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) ev.event = line.slice(7);
      if (line.startsWith('data: ')) ev.data = line.slice(6);
    }
    return ev;
  });
}

function userMessage(text) {
  return {
    action: 'next',
    messages: [{ id: 'm-1', author: { role: 'user' }, content: { content_type: 'text', parts: [text] }, metadata: {} }],
    parent_message_id: 'client-created-root',
    model: 'auto',
  };
}

before(async () => { site = await startSite(); }, { timeout: 60_000 });
after(async () => { await site?.close(); });
beforeEach(() => site.clear());

test('page shell: strict CSP on "/" and "/c/<id>", assets served, nothing else', async () => {
  for (const p of ['/', '/c/0f9c7a52-1111-2222-3333-444455556666']) {
    const r = await request({ path: p });
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/html/);
    const csp = r.headers['content-security-policy'];
    assert.equal(csp, site.csp);
    assert.match(csp, /(^|; )default-src 'self'(;|$)/);
    assert.match(csp, /(^|; )script-src 'self'(;|$)/);
    assert.match(csp, /(^|; )connect-src 'self' https:\/\/files\.oaiusercontent\.com(;|$)/);
    assert.doesNotMatch(csp, /wasm-unsafe-eval|unsafe-eval/);
    assert.match(r.text, /<script src="\/app\.js"><\/script>/);
  }
  assert.match((await request({ path: '/app.js' })).headers['content-type'], /^text\/javascript/);
  for (const p of ['/.built', '/../server.mjs', '/%2e%2e/server.mjs', '/src/main.js', '/nope.js']) {
    assert.equal((await request({ path: p })).status, 404, p);
  }
});

test('unknown host names are refused (421); the files host is separate', async () => {
  assert.equal((await request({ host: 'localhost', path: '/', headers: { host: 'evil.example' } })).status, 421);
  assert.equal((await request({ host: 'files.oaiusercontent.com', path: '/' })).status, 404);
});

test('prepare: recorded with the partial text, answers a conduit token', async () => {
  const body = { partial_query: { id: 'd-1', author: { role: 'user' }, content: { content_type: 'text', parts: ['draft so far'] } } };
  const r = await post('/backend-api/f/conversation/prepare', body);
  assert.equal(r.status, 200);
  assert.equal(r.json.status, 'ok');
  assert.match(r.json.conduit_token, /^ct_[0-9a-f]+$/);
  const [rec] = site.requests;
  assert.equal(rec.path, '/backend-api/f/conversation/prepare');
  assert.equal(rec.kind, 'api');
  assert.equal(rec.body, JSON.stringify(body));
  assert.deepEqual(rec.json, body);
  assert.equal(rec.status, 200);
  assert.equal((await post('/backend-api/f/conversation/prepare', { nope: 1 })).status, 400);
});

test('conversation: SSE v1 deltas that the page parser assembles into the answer, then [DONE]', async () => {
  for (const p of ['/backend-api/f/conversation', '/backend-api/conversation']) {
    const r = await post(p, userMessage('hello world'));
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /^text\/event-stream/);
    const events = sse(r.text);
    assert.deepEqual(events[0], { event: 'delta_encoding', data: '"v1"' });
    assert.equal(events.at(-1).data, '[DONE]');
    const state = new DeltaState();
    for (const e of events) if (e.event === 'delta') state.apply(JSON.parse(e.data));
    assert.equal(state.root.message.content.parts[0], 'You said 11 characters.');
    assert.equal(state.root.message.status, 'finished_successfully');
    assert.equal(state.root.message.metadata.parent_id, 'm-1');
    assert.match(state.root.conversation_id, /^[0-9a-f-]{36}$/);
    assert.ok(events.filter((e) => e.event === 'delta').length >= 4, 'streamed in several chunks');
  }
  assert.equal((await post('/backend-api/f/conversation', { action: 'next', messages: [] })).status, 400);
});

test('setAnswer(): custom answer chunks (e.g. a placeholder split across chunks)', async () => {
  site.setAnswer((text) => ['Your key [SEC', 'RET_1] was ', `${text.length} long`]);
  try {
    const r = await post('/backend-api/f/conversation', userMessage('abc'));
    const state = new DeltaState();
    for (const e of sse(r.text)) if (e.event === 'delta') state.apply(JSON.parse(e.data));
    assert.equal(state.root.message.content.parts[0], 'Your key [SECRET_1] was 3 long');
  } finally {
    site.setAnswer(null);
  }
});

test('file upload: create, CORS preflight, PUT with exact bytes, uploaded, process', async () => {
  const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff));
  const created = await post('/backend-api/files', { file_name: 'a.bin', file_size: bytes.length, use_case: 'my_files' });
  assert.equal(created.json.status, 'success');
  const { file_id: fileId, upload_url: uploadUrl } = created.json;
  const u = new URL(uploadUrl);
  assert.equal(u.host, 'files.oaiusercontent.com');
  assert.equal(u.pathname, `/${fileId}`);
  const put = (headers, sig = u.searchParams.get('sig')) => request({
    host: 'files.oaiusercontent.com', method: 'PUT', path: `${u.pathname}?sig=${sig}`, headers, body: bytes,
  });

  const pre = await request({ host: 'files.oaiusercontent.com', method: 'OPTIONS', path: u.pathname + u.search, headers: {
    origin: 'https://chatgpt.com', 'access-control-request-method': 'PUT', 'access-control-request-headers': 'content-type,x-ms-blob-type',
  } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers['access-control-allow-origin'], 'https://chatgpt.com');
  assert.match(pre.headers['access-control-allow-methods'], /PUT/);
  assert.match(pre.headers['access-control-allow-headers'], /x-ms-blob-type/);
  const bad = await request({ host: 'files.oaiusercontent.com', method: 'OPTIONS', path: u.pathname, headers: {
    origin: 'https://evil.example', 'access-control-request-method': 'PUT' } });
  assert.equal(bad.status, 403);
  assert.equal(bad.headers['access-control-allow-origin'], undefined);

  assert.equal((await post(`/backend-api/files/${fileId}/uploaded`, {})).status, 400, 'not uploaded yet');
  assert.equal((await put({ 'x-ms-blob-type': 'BlockBlob' }, 'forged')).status, 403);
  assert.equal((await put({})).status, 400, 'x-ms-blob-type is required');
  const ok = await put({ 'x-ms-blob-type': 'BlockBlob', origin: 'https://chatgpt.com', 'content-type': 'application/octet-stream' });
  assert.equal(ok.status, 201);
  assert.equal(ok.headers['access-control-allow-origin'], 'https://chatgpt.com');

  const rec = site.requests.find((r) => r.method === 'PUT' && r.status === 201);
  assert.equal(rec.kind, 'files');
  assert.equal(rec.fileId, fileId);
  assert.ok(rec.bytes.equals(bytes));
  assert.equal(rec.sha256, createHash('sha256').update(bytes).digest('hex'));

  assert.equal((await post(`/backend-api/files/${fileId}/uploaded`, {})).json.status, 'success');
  const proc = await post('/backend-api/files/process_upload_stream', { file_id: fileId, use_case: 'my_files', file_name: 'a.bin' });
  assert.equal(proc.json.status, 'success');
  assert.equal(proc.json.file_id, fileId);
});

test('GET /__test/requests and POST /__test/clear; the in-process array keeps its identity', async () => {
  const arr = site.requests;
  await post('/backend-api/f/conversation/prepare', { partial_query: { content: { parts: ['x'] } } });
  await request({ path: '/backend-api/nothing-here' });
  const listed = (await request({ path: '/__test/requests' })).json;
  assert.deepEqual(listed.map((r) => [r.method, r.path, r.status]),
    [['POST', '/backend-api/f/conversation/prepare', 200], ['GET', '/backend-api/nothing-here', 404]]);
  assert.equal(Buffer.from(listed[0].bodyBase64, 'base64').toString(), listed[0].body);
  assert.equal(listed[0].bytes, undefined);
  assert.equal((await post('/__test/clear', {})).json.status, 'ok');
  assert.equal(site.requests, arr);
  assert.equal(arr.length, 0, 'control requests are not recorded');
});

test('certificate: SANs for the three hosts, cached and reused, SPKI pin matches', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'site-cert-'));
  try {
    const a = ensureCert(dir);
    const b = ensureCert(dir);
    assert.equal(a.cert, b.cert, 'second call reuses the cached pair');
    assert.equal(a.spki, spkiHash(a.cert));
    const x = new X509Certificate(a.cert);
    for (const h of ['chatgpt.com', 'chat.openai.com', 'files.oaiusercontent.com']) assert.ok(x.checkHost(h), h);
    assert.ok((new Date(x.validTo) - Date.now()) / 86400e3 < 398, 'short enough for Chromium');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.ok(site.chromiumArgs.includes(`--ignore-certificate-errors-spki-list=${site.spki}`));
});
