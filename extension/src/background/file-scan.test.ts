import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFile, type FilePortLike } from '../content/file-transfer';
import { CHUNK_BYTES, FILE_PORT_NAME, MAX_FILE_BYTES } from '../shared/file-port';
import type { Policy } from '../shared/findings';
import type { Engine } from './engine';
import { type FilePort, FileScanner, uninspectableAction } from './file-scan';

const SECRET = 'AKIALFSXTTB3WE6OMXXU';
const TAB = { id: 'ext', url: 'https://chatgpt.com/c/1', tab: { id: 4 } };

/** A detector that finds SECRET in the bytes (read as Latin-1) and can redact it. */
function fakeEngine(policy: Partial<Policy> | null = { fail_mode: 'closed', mask_style: 'placeholder' }) {
  const seen: { name: string; size: number }[] = [];
  const detector = {
    scanFile(bytes: Uint8Array, name: string) {
      seen.push({ name, size: bytes.length });
      if (name.endsWith('.locked')) return { format: 'docx', inspectable: false, reason: 'the document is encrypted', findings: [], sanitizable: false, textBytes: 0 };
      if (name === 'odd.txt') return { findings: 'none' };
      const text = Buffer.from(bytes).toString('latin1');
      const findings = text.includes(SECRET)
        ? [{ ruleId: 'aws-access-key-id', description: 'AWS access key id', entity: 'AWS_ACCESS_KEY_ID', category: 'secret', confidence: 'high', score: 0.99, action: 'block', location: 'line 1', preview: 'AKIA••••••••••••MXXU' }]
        : [];
      return { format: 'txt', inspectable: true, reason: null, findings, sanitizable: true, textBytes: bytes.length };
    },
    sanitizeFile(bytes: Uint8Array, name: string, request: { style?: string }) {
      if (name.endsWith('.pdf')) throw Object.assign(new Error('PDF files cannot be rewritten'), { kind: 'unsupported' });
      const text = Buffer.from(bytes).toString('latin1').replaceAll(SECRET, `[${request.style}]`);
      return { bytes: new Uint8Array(Buffer.from(text, 'latin1')), replaced: 1 };
    },
  };
  const engine = {
    policy,
    run: <T>(fn: (d: typeof detector) => T) => fn(detector),
  } as unknown as Pick<Engine, 'run' | 'policy'>;
  return { engine, seen };
}

/** Two connected ports; messages cross asynchronously and through JSON, as Chrome's runtime ports do. */
function portPair(sender: FilePort['sender'] = TAB) {
  type L = (m: unknown) => void;
  const a = { msg: [] as L[], end: [] as (() => void)[] };
  const b = { msg: [] as L[], end: [] as (() => void)[] };
  let open = true;
  let posted = 0;
  const close = () => {
    if (!open) return;
    open = false;
    setTimeout(() => [...a.end, ...b.end].forEach((f) => f()));
  };
  const make = (self: typeof a, other: typeof a) => ({
    name: FILE_PORT_NAME,
    sender,
    postMessage(m: unknown) {
      if (!open) throw new Error('disconnected');
      posted++;
      const copy = JSON.parse(JSON.stringify(m));
      setTimeout(() => open && other.msg.forEach((f) => f(copy)));
    },
    disconnect: close,
    onMessage: { addListener: (f: L) => self.msg.push(f) },
    onDisconnect: { addListener: (f: () => void) => self.end.push(f) },
  });
  const content = make(a, b) as FilePortLike;
  const worker = make(b, a) as FilePort;
  return { content, worker, posted: () => posted, isOpen: () => open };
}

function setup(policy?: Partial<Policy> | null) {
  const { engine, seen } = fakeEngine(policy);
  const scanner = new FileScanner({ engine, extensionId: 'ext', ready: () => Promise.resolve() });
  const connect = () => {
    const pair = portPair();
    scanner.accept(pair.worker);
    return pair.content;
  };
  return { scanner, seen, connect };
}

const bytesOf = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

test('a file crosses in chunks, is scanned, and its redacted copy comes back', async () => {
  const { scanner, seen, connect } = setup();
  // Over two chunks, every byte value, the secret straddling nothing in particular.
  const body = `${'x'.repeat(CHUNK_BYTES - 5)}${SECRET}\n${String.fromCharCode(...Array.from({ length: 256 }, (_, i) => i))}`;
  const bytes = bytesOf(body);
  for (const encoding of ['binary', 'base64'] as const) {
    const progress: number[] = [];
    const r = await checkFile({ name: 'notes.txt', size: bytes.length, bytes }, { connect, encoding, onProgress: (n) => progress.push(n) });
    assert.ok(r.ok, JSON.stringify(r));
    assert.equal(r.check.report.findings[0]?.ruleId, 'aws-access-key-id');
    assert.equal(r.check.uninspectable, 'warn');
    assert.deepEqual(progress, [CHUNK_BYTES, bytes.length], 'progress follows the acknowledgements');
    assert.ok(scanner.held === bytes.length, 'the worker holds the bytes until the check ends');
    const copy = await r.check.sanitize();
    assert.ok(copy.ok);
    assert.equal(Buffer.from(copy.bytes).toString('latin1'), body.replace(SECRET, '[placeholder]'));
    assert.equal(copy.replaced, 1);
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(scanner.held, 0, 'and frees them after');
  }
  assert.deepEqual(seen[0], { name: 'notes.txt', size: bytes.length });
});

test('an unreadable file reports why, and the policy action for such files', async () => {
  const { connect } = setup({ fail_mode: 'open', uninspectable: 'block' } as unknown as Policy);
  const r = await checkFile({ name: 'plan.locked', size: 3, bytes: bytesOf('abc') }, { connect });
  assert.ok(r.ok);
  assert.deepEqual([r.check.report.inspectable, r.check.report.reason, r.check.uninspectable, r.check.failMode], [false, 'the document is encrypted', 'block', 'open']);
  r.check.close();
  assert.equal(uninspectableAction(null), 'warn');
  assert.equal(uninspectableAction({ uninspectable: 'nonsense' } as unknown as Policy), 'warn');
});

test('a file over the limit is reported without its bytes crossing', async () => {
  const { seen, connect } = setup();
  let posted = 0;
  const counting = () => {
    const port = connect();
    const post = port.postMessage.bind(port);
    port.postMessage = (m: unknown) => (posted++, post(m));
    return port;
  };
  const r = await checkFile({ name: 'huge.csv', size: MAX_FILE_BYTES + 1, bytes: null }, { connect: counting });
  assert.ok(r.ok);
  assert.equal(r.check.report.inspectable, false);
  assert.match(r.check.report.reason ?? '', /up to 50 MB/);
  r.check.close();
  assert.equal(posted, 1, 'only the announcement');
  assert.equal(seen.length, 0);
});

test('engine errors, odd reports and cancellation come back as failures', async () => {
  const { scanner, connect } = setup();
  const pdf = await checkFile({ name: 'a.pdf', size: 3, bytes: bytesOf('abc') }, { connect });
  assert.ok(pdf.ok);
  const copy = await pdf.check.sanitize();
  assert.deepEqual(copy, { ok: false, error: { kind: 'unsupported', message: 'PDF files cannot be rewritten' } });

  const odd = await checkFile({ name: 'odd.txt', size: 1, bytes: bytesOf('a') }, { connect });
  assert.deepEqual(odd.ok ? null : odd.error.kind, 'bad-reply');

  const abort = new AbortController();
  const big = new Uint8Array(CHUNK_BYTES * 6);
  const pending = checkFile({ name: 'big.txt', size: big.length, bytes: big }, { connect, signal: abort.signal, onProgress: () => abort.abort() });
  const cancelled = await pending;
  assert.deepEqual(cancelled.ok ? null : cancelled.error.kind, 'cancelled');
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(scanner.held, 0, 'a cancelled file is freed in the worker');
});

test('only content scripts on the guarded sites may connect, and only a few files at once', async () => {
  const { engine } = fakeEngine();
  const scanner = new FileScanner({ engine, extensionId: 'ext', ready: () => Promise.resolve() });
  for (const sender of [{ ...TAB, id: 'other' }, { ...TAB, url: 'https://evil.example/' }, { id: 'ext', url: 'https://chatgpt.com/' }]) {
    const pair = portPair(sender);
    assert.ok(scanner.accept(pair.worker));
    assert.ok(!pair.isOpen(), JSON.stringify(sender));
  }
  assert.ok(!scanner.accept({ ...portPair().worker, name: 'promptwarden' }), 'other ports are left to their owners');
  const pairs = Array.from({ length: 9 }, () => portPair());
  for (const p of pairs) scanner.accept(p.worker);
  assert.ok(pairs.slice(0, 8).every((p) => p.isOpen()));
  assert.ok(!pairs[8]?.isOpen(), 'the ninth file at once is turned away');
});

test('a worker that never answers times out', async () => {
  const silent = (): FilePortLike => ({
    postMessage() {},
    disconnect() {},
    onMessage: { addListener() {} },
    onDisconnect: { addListener() {} },
  });
  const r = await checkFile({ name: 'a.txt', size: 1, bytes: bytesOf('a') }, { connect: silent, idleTimeoutMs: 20 });
  assert.deepEqual(r.ok ? null : r.error.kind, 'timeout');
});
