import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { Action } from '../shared/findings';
import type { FileFinding, FileReport, GuardEvent } from '../shared/messages';
import type { CheckResult } from './file-transfer';
import type { UploadChoice, UploadView } from './upload-card';
import { MAX_FILES_PER_EVENT, UploadGuard } from './upload-guard';

const finding = (action: Action): FileFinding => ({
  ruleId: 'aws-access-key-id',
  description: 'AWS access key id',
  entity: 'AWS_ACCESS_KEY_ID',
  category: 'secret',
  confidence: 'high',
  score: 0.99,
  action,
  location: 'line 2',
  preview: 'AKIA••••MXXU',
});

/** Reports keyed by file name; the masked copy is the text upper-cased. */
function harness(options: { reports: Record<string, Partial<FileReport> & { uninspectable?: Action }>; choose?: UploadChoice; failMode?: 'open' | 'closed'; fail?: string }) {
  const log = { asked: [] as UploadView[], notices: [] as string[], events: [] as [GuardEvent, number][], cleared: [] as [number, string][], closed: 0, progress: 0 };
  const guard = new UploadGuard({
    card: {
      progress: () => void log.progress++,
      hide() {},
      ask: async (view) => (log.asked.push(view), options.choose ?? 'cancel'),
      notice: async (title) => void log.notices.push(title),
    },
    reporter: { event: (e, n = 1) => void log.events.push([e, n]) },
    clear: (size, sha) => void log.cleared.push([size, sha]),
    composer: () => null,
    failMode: () => options.failMode ?? 'closed',
    check: async (file, { onProgress }): Promise<CheckResult> => {
      onProgress?.(file.size, file.size);
      if (options.fail) return { ok: false, error: { kind: options.fail, message: 'the service worker is not reachable' } };
      const r = options.reports[file.name] ?? {};
      const report: FileReport = { format: 'txt', inspectable: true, reason: null, findings: [], sanitizable: true, textBytes: file.size, ...r };
      const text = new TextDecoder().decode(file.bytes ?? new Uint8Array());
      return {
        ok: true,
        check: {
          report,
          uninspectable: r.uninspectable ?? 'warn',
          failMode: 'closed',
          timings: { handOverMs: 0, workerReceiveMs: 0, scanMs: 0 },
          sanitize: async () => ({ ok: true, bytes: new TextEncoder().encode(text.toUpperCase()), replaced: 1 }),
          close: () => void log.closed++,
        },
      };
    },
  });
  return { guard, log };
}

const file = (name: string, text: string) => new File([text], name, { type: 'text/plain', lastModified: 7 });
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const texts = async (files: { file: File }[]) => Promise.all(files.map((c) => c.file.text()));

test('a clean file continues byte-identical, and the page guard is told its size and hash', async () => {
  const { guard, log } = harness({ reports: {} });
  const original = file('notes.txt', 'nothing to see');
  const out = await guard.screen([original]);
  assert.equal(out[0]?.file, original, 'the very same File object');
  assert.deepEqual(log.cleared, [[14, sha('nothing to see')]]);
  assert.equal(log.closed, 1);
  assert.equal(log.asked.length + log.notices.length, 0, 'no card for a clean file');
});

test('mask findings in a format that can be redacted: a masked copy with the same name goes instead', async () => {
  const { guard, log } = harness({ reports: { 'cards.csv': { findings: [finding('mask')] } } });
  const out = await guard.screen([file('cards.csv', 'card,4104')]);
  assert.deepEqual(await texts(out), ['CARD,4104']);
  assert.deepEqual([out[0]?.file.name, out[0]?.file.type, out[0]?.file.lastModified], ['cards.csv', 'text/plain', 7]);
  assert.deepEqual(log.cleared, [[9, sha('CARD,4104')]], 'the copy is what is cleared, not the original');
  assert.deepEqual(log.events, [['upload-masked', 1]]);
  assert.equal(log.notices.length, 1);
});

test('a blocked file is not attached; the card lists where and what', async () => {
  const { guard, log } = harness({ reports: { 'keys.txt': { findings: [finding('block')] } } });
  assert.deepEqual(await guard.screen([file('keys.txt', 'k'), file('ok.txt', 'fine')]).then(texts), ['fine']);
  assert.equal(log.asked[0]?.kind, 'block');
  assert.equal(log.asked[0]?.findings[0]?.location, 'line 2');
  assert.ok(log.asked[0]?.canSanitize);
  assert.deepEqual(log.events, [['upload-blocked', 1]]);
  assert.equal(log.cleared.length, 1);
});

test('blocked, then the user picks the masked copy', async () => {
  const { guard, log } = harness({ reports: { 'keys.txt': { findings: [finding('block')] } }, choose: 'masked-copy' });
  assert.deepEqual(await guard.screen([file('keys.txt', 'key')]).then(texts), ['KEY']);
  assert.deepEqual(log.events.map((e) => e[0]), ['upload-blocked', 'upload-masked']);
});

test('warn asks; Upload anyway sends the original, Cancel nothing', async () => {
  const warned = { reports: { 'a.txt': { findings: [finding('warn')] } } };
  const anyway = harness({ ...warned, choose: 'upload-anyway' });
  assert.deepEqual(await anyway.guard.screen([file('a.txt', 'mail')]).then(texts), ['mail']);
  assert.deepEqual(anyway.log.events.map((e) => e[0]), ['upload-warned', 'uploaded-anyway']);
  const cancel = harness({ ...warned, choose: 'cancel' });
  assert.deepEqual(await cancel.guard.screen([file('a.txt', 'mail')]), []);
  assert.equal(cancel.log.cleared.length, 0);
});

test('a file that cannot be read is never passed as clean: warn by default, block when the policy says so', async () => {
  const locked = { inspectable: false, reason: 'the document is encrypted', sanitizable: false };
  const warn = harness({ reports: { 'x.docx': locked } });
  assert.deepEqual(await warn.guard.screen([file('x.docx', 'zip')]), []);
  assert.equal(warn.log.asked[0]?.kind, 'warn');
  assert.equal(warn.log.asked[0]?.reason, 'the document is encrypted');
  const block = harness({ reports: { 'x.docx': { ...locked, uninspectable: 'block' } }, choose: 'upload-anyway' });
  assert.deepEqual(await block.guard.screen([file('x.docx', 'zip')]), []);
  assert.equal(block.log.asked[0]?.kind, 'block');
});

test('when the worker cannot be reached the fail mode decides, and the user is told', async () => {
  const closed = harness({ reports: {}, fail: 'unavailable' });
  assert.deepEqual(await closed.guard.screen([file('a.txt', 'x')]), []);
  assert.match(closed.log.notices[0] ?? '', /was not uploaded/);
  const open = harness({ reports: {}, fail: 'unavailable', failMode: 'open' });
  assert.equal((await open.guard.screen([file('a.txt', 'x')])).length, 1);
  assert.match(open.log.notices[0] ?? '', /uploaded unchecked/);
  const cancelled = harness({ reports: {}, fail: 'cancelled', failMode: 'open' });
  assert.deepEqual(await cancelled.guard.screen([file('a.txt', 'x')]), []);
  assert.equal(cancelled.log.notices.length, 0, 'the user cancelled: nothing to explain');
});

test('large files show progress; batches are bounded', async () => {
  const { guard, log } = harness({ reports: {} });
  await guard.screen([file('big.txt', 'x'.repeat(1024 * 1024 + 1))]);
  assert.ok(log.progress >= 2);
  const many = Array.from({ length: MAX_FILES_PER_EVENT + 3 }, (_, i) => file(`f${i}.txt`, String(i)));
  assert.equal((await guard.screen(many)).length, MAX_FILES_PER_EVENT);
  assert.match(log.notices.at(-1) ?? '', /not attached/);
});
