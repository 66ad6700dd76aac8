import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { WireDecision } from '../shared/wire-protocol';
import { type Asker, wrapFetch, wrapXhr } from './request-guard';
import { CLEARANCE_TTL_MS, Clearances, classifyUpload, uploadAllowed } from './upload-backstop';

const PAGE = 'https://chatgpt.com/';
const PUT_URL = 'https://files.oaiusercontent.com/file-abc?sig=x';
const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

test('the two upload steps are recognised, nothing else', () => {
  assert.equal(classifyUpload('/backend-api/files', 'POST', PAGE), 'create');
  assert.equal(classifyUpload('https://chat.openai.com/backend-api/files/', 'post', PAGE), 'create');
  assert.equal(classifyUpload(PUT_URL, 'PUT', PAGE), 'put');
  assert.equal(classifyUpload('https://sdmntpr.oaiusercontent.com/x', 'PUT', PAGE), 'put');
  assert.equal(classifyUpload('/backend-api/files/file-1/uploaded', 'POST', PAGE), null);
  assert.equal(classifyUpload(PUT_URL, 'GET', PAGE), null);
  assert.equal(classifyUpload('https://oaiusercontent.com.evil.example/x', 'PUT', PAGE), null);
  assert.equal(classifyUpload('http://files.oaiusercontent.com/x', 'PUT', PAGE), null);
  assert.equal(classifyUpload('https://evil.example/backend-api/files', 'POST', PAGE), null);
});

test('clearances match size and hash, expire, and are bounded', async () => {
  let now = 0;
  const c = new Clearances(() => now);
  c.add(3, sha('abc'));
  assert.ok(c.has(3, sha('abc')) && c.has(3) && !c.has(3, sha('abd')) && !c.has(4));
  now = CLEARANCE_TTL_MS + 1;
  assert.ok(!c.has(3));
  for (let i = 0; i < 500; i++) c.add(i, sha(String(i)));
  assert.ok(!c.has(0) && c.has(499));
});

test('a check waits for a clearance still on its way, then gives up', async () => {
  const c = new Clearances();
  const waiting = c.waitFor(3, sha('abc'), 1000);
  setTimeout(() => c.add(3, sha('abc')), 10);
  assert.equal(await waiting, true);
  assert.equal(await c.waitFor(9, undefined, 20), false);
});

test('only cleared bytes may be uploaded; the fail mode decides what cannot be read', async () => {
  const c = new Clearances(Date.now, 20);
  const bytes = new Uint8Array([1, 2, 3, 250]);
  c.add(bytes.length, sha(bytes));
  assert.ok(await uploadAllowed('put', new Blob([bytes]), c, false));
  assert.ok(await uploadAllowed('put', bytes.buffer, c, false));
  assert.ok(!(await uploadAllowed('put', new Blob([new Uint8Array([1, 2, 3, 251])]), c, false)), 'same size, other bytes');
  assert.ok(await uploadAllowed('put', new Blob(['other']), c, true), 'fail open lets an unchecked file go');
  assert.ok(!(await uploadAllowed('put', new ReadableStream(), c, false)));
  assert.ok(await uploadAllowed('put', new ReadableStream(), c, true));
  const create = (size: number) => JSON.stringify({ file_name: 'a.txt', file_size: size, use_case: 'my_files' });
  assert.ok(await uploadAllowed('create', create(4), c, false));
  assert.ok(!(await uploadAllowed('create', create(5), c, false)));
  assert.ok(await uploadAllowed('create', '{"no":"size"}', c, false), 'no size, no file: the PUT is checked');
});

function asker(clearances: Clearances): Asker {
  return {
    failOpen: false,
    clearances,
    async ask(): Promise<WireDecision> {
      throw new Error('not a text endpoint');
    },
  };
}

test('fetch: an uncleared PUT is refused like a network error; a cleared one goes out unchanged', async () => {
  const c = new Clearances(Date.now, 20);
  const sent: string[] = [];
  const native = (async (input: RequestInfo | URL, init?: RequestInit) => {
    sent.push(`${init?.method ?? (input as Request).method} ${String(input instanceof Request ? input.url : input)}`);
    return new Response(null, { status: 201 });
  }) as typeof fetch;
  const guarded = wrapFetch(native, asker(c), () => PAGE);
  const file = new File(['hello'], 'a.txt');
  c.add(5, sha('hello'));
  const ok = await guarded(PUT_URL, { method: 'PUT', body: file, headers: { 'x-ms-blob-type': 'BlockBlob' } });
  assert.equal(ok.status, 201);
  await assert.rejects(guarded(PUT_URL, { method: 'PUT', body: new File(['hellp'], 'a.txt') }), TypeError);
  await assert.rejects(guarded(new Request(PUT_URL, { method: 'PUT', body: 'other' })), TypeError);
  assert.deepEqual(sent, [`PUT ${PUT_URL}`]);
});

class FakeXhr extends EventTarget {
  static sent: unknown[] = [];
  aborted = false;
  open(_m: string, _u: string) {}
  send(body?: unknown) {
    FakeXhr.sent.push(body);
  }
  abort() {
    this.aborted = true;
  }
}

test('XMLHttpRequest: the same for uploads made with XHR', async () => {
  const c = new Clearances(Date.now, 20);
  c.add(2, sha('ok'));
  wrapXhr(FakeXhr.prototype as unknown as XMLHttpRequest, asker(c), () => PAGE);
  const good = new FakeXhr() as unknown as XMLHttpRequest;
  good.open('PUT', PUT_URL);
  good.send(new Blob(['ok']));
  const bad = new FakeXhr() as unknown as XMLHttpRequest;
  let failed = false;
  bad.addEventListener('error', () => (failed = true));
  bad.open('PUT', PUT_URL);
  bad.send(new Blob(['no']));
  assert.equal(FakeXhr.sent.length, 0, 'nothing goes before the check');
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(FakeXhr.sent.length, 1);
  assert.ok(failed && (bad as unknown as FakeXhr).aborted);
});
