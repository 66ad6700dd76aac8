import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GuardedKind } from '../shared/chatgpt-endpoints';
import type { WireDecision } from '../shared/wire-protocol';
import { type Asker, wrapFetch, wrapXhr } from './request-guard';

const PAGE = 'https://chatgpt.com/';

/** A fake content script: masks "SECRET", refuses "BLOCKED", records what it was asked. */
function fakeAsker(failOpen = false): Asker & { asked: [GuardedKind, string][] } {
  const asked: [GuardedKind, string][] = [];
  return {
    asked,
    failOpen,
    async ask(kind, body): Promise<WireDecision> {
      asked.push([kind, body]);
      if (body.includes('BLOCKED')) return { refused: true };
      return { body: body.replaceAll('SECRET', '[MASKED]') };
    },
  };
}

/** A fake native fetch that records the body it was given. */
function fakeFetch() {
  const sent: { url: string; body: string | null }[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input instanceof Request ? input : new URL(String(input), PAGE), init);
    sent.push({ url: req.url, body: req.method === 'GET' ? null : await req.text() });
    return new Response('ok');
  }) as typeof fetch;
  return { f, sent };
}

test('fetch to a guarded endpoint sends the answered body', async () => {
  const asker = fakeAsker();
  const native = fakeFetch();
  const guarded = wrapFetch(native.f, asker, () => PAGE);
  await guarded('/backend-api/f/conversation/prepare', { method: 'POST', body: '{"t":"my SECRET"}' });
  assert.deepEqual(asker.asked, [['prepare', '{"t":"my SECRET"}']]);
  assert.equal(native.sent[0]?.body, '{"t":"my [MASKED]"}');
});

test('a Request object is rebuilt with the answered body', async () => {
  const asker = fakeAsker();
  const native = fakeFetch();
  const guarded = wrapFetch(native.f, asker, () => PAGE);
  const req = new Request('https://chatgpt.com/backend-api/f/conversation', { method: 'POST', body: 'x SECRET' });
  await guarded(req);
  assert.equal(native.sent[0]?.body, 'x [MASKED]');
});

test('a refusal rejects like a network error and sends nothing', async () => {
  const native = fakeFetch();
  const guarded = wrapFetch(native.f, fakeAsker(), () => PAGE);
  await assert.rejects(guarded('/backend-api/conversation', { method: 'POST', body: 'BLOCKED' }), TypeError);
  assert.equal(native.sent.length, 0);
});

test('other requests pass through without asking', async () => {
  const asker = fakeAsker();
  const native = fakeFetch();
  const guarded = wrapFetch(native.f, asker, () => PAGE);
  await guarded('/backend-api/files', { method: 'POST', body: 'SECRET' });
  await guarded('/backend-api/f/conversation');
  assert.equal(asker.asked.length, 0);
  assert.equal(native.sent[0]?.body, 'SECRET');
});

test('an unreadable body follows the fail mode', async () => {
  const stream = () => new ReadableStream({ start: (c) => c.close() });
  const closed = fakeFetch();
  await assert.rejects(
    wrapFetch(closed.f, fakeAsker(false), () => PAGE)('/backend-api/f/conversation', {
      method: 'POST',
      body: stream(),
      duplex: 'half',
    } as RequestInit),
  );
  assert.equal(closed.sent.length, 0);
});

class FakeXhr extends EventTarget {
  static sent: unknown[] = [];
  aborted = false;
  open(_method: string, _url: string) {}
  send(body?: unknown) {
    FakeXhr.sent.push(body);
  }
  abort() {
    this.aborted = true;
  }
}

test('XMLHttpRequest to a guarded endpoint waits and sends the answered body', async () => {
  const asker = fakeAsker();
  wrapXhr(FakeXhr.prototype as unknown as XMLHttpRequest, asker, () => PAGE);
  const ok = new FakeXhr() as unknown as XMLHttpRequest;
  ok.open('POST', '/backend-api/f/conversation');
  ok.send('hello SECRET');
  const refused = new FakeXhr() as unknown as XMLHttpRequest;
  let errored = false;
  refused.addEventListener('error', () => (errored = true));
  refused.open('POST', '/backend-api/f/conversation');
  refused.send('BLOCKED');
  const other = new FakeXhr() as unknown as XMLHttpRequest;
  other.open('POST', '/backend-api/files');
  other.send('SECRET');
  assert.deepEqual(FakeXhr.sent, ['SECRET']); // only the unguarded one went at once
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(FakeXhr.sent, ['SECRET', 'hello [MASKED]']);
  assert.ok(errored && (refused as unknown as FakeXhr).aborted);
  const sync = new FakeXhr() as unknown as XMLHttpRequest;
  (sync.open as (...a: unknown[]) => void)('POST', '/backend-api/f/conversation', false);
  assert.throws(() => sync.send('x'));
});
