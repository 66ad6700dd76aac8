import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  failureFrom,
  isContentToBackground,
  isPageToBackground,
  isReply,
  MAX_ITEMS,
  MAX_TEXT_LENGTH,
} from './messages';

test('content messages of every type pass the guard', () => {
  const good = [
    { type: 'scan', text: 'hello' },
    { type: 'mask', text: 'x', spans: [{ start: 0, end: 1 }], actions: ['mask', 'block'] },
    { type: 'mask', text: 'x' },
    { type: 'review', text: 'x', stage: 'preflight', approved: [] },
    { type: 'review', text: 'x', stage: 'send', approved: ['bob@acme.com'] },
    { type: 'report', findings: 2 },
    { type: 'report', event: 'masked', count: 1 },
    { type: 'report', health: { composer: true, sendControl: false, wireGuard: true, problems: ['send control not found'] } },
  ];
  for (const m of good) assert.ok(isContentToBackground(m), JSON.stringify(m));
});

test('malformed, oversized or unknown messages fail the guard', () => {
  const bad: unknown[] = [
    null,
    'scan',
    [],
    { type: 'scan' },
    { type: 'scan', text: 42 },
    { type: 'scan', text: 'x', extra: true },
    { type: 'scan', text: 'x'.repeat(MAX_TEXT_LENGTH + 1) },
    { type: 'mask', text: 'x', spans: [{ start: 2, end: 1 }] },
    { type: 'mask', text: 'x', spans: [{ start: -1, end: 1 }] },
    { type: 'mask', text: 'x', actions: ['explode'] },
    { type: 'mask', text: 'x', spans: Array.from({ length: MAX_ITEMS + 1 }, () => ({ start: 0, end: 0 })) },
    { type: 'review', text: 'x', stage: 'later', approved: [] },
    { type: 'review', text: 'x', stage: 'send' },
    { type: 'report', event: 'exploded' },
    { type: 'report', health: { composer: true } },
    { type: 'status' },
    { type: 'crash' },
  ];
  for (const m of bad) assert.ok(!isContentToBackground(m), JSON.stringify(m)?.slice(0, 80));
});

test('status comes only from extension pages and is checked separately', () => {
  assert.ok(isPageToBackground({ type: 'status' }));
  assert.ok(isPageToBackground({ type: 'status', tabId: 3 }));
  assert.ok(isPageToBackground({ type: 'status', tabId: 2_090_426_062 }), 'tab ids can be large');
  assert.ok(!isPageToBackground({ type: 'status', tabId: 'x' }));
  assert.ok(!isPageToBackground({ type: 'scan', text: 'x' }));
});

test('replies are checked per type, failures for any type', () => {
  assert.ok(isReply('scan', { ok: true, findings: [], failMode: 'closed' }));
  assert.ok(!isReply('scan', { ok: true, findings: 'none', failMode: 'closed' }));
  assert.ok(isReply('review', { ok: true, verdict: 'mask', text: 't', findings: [], failMode: 'open' }));
  assert.ok(!isReply('review', { ok: true, verdict: 'maybe', text: 't', findings: [] }));
  assert.ok(isReply('mask', { ok: false, error: { kind: 'too-large', message: 'm' } }));
  assert.ok(!isReply('mask', { ok: false, error: new Error('x') }));
  assert.ok(!isReply('mask', undefined));
});

test('thrown errors become plain failures that keep their kind', () => {
  const wasmError = Object.assign(new Error('rule `x`: bad'), { kind: 'invalid-rule' });
  assert.deepEqual(failureFrom(wasmError), { ok: false, error: { kind: 'invalid-rule', message: 'rule `x`: bad' } });
  assert.deepEqual(failureFrom(new TypeError('boom')), { ok: false, error: { kind: 'internal', message: 'boom' } });
  assert.deepEqual(failureFrom('text', 'unavailable'), { ok: false, error: { kind: 'unavailable', message: 'text' } });
  const f = failureFrom(wasmError);
  assert.ok(!(f.error instanceof Error));
});

test('decision reports: known decisions and stages, bounded findings, no extra keys', () => {
  const finding = { ruleId: 'r', entity: 'E', category: 'secret', confidence: 'high', action: 'justify', start: 0, end: 1 };
  const report = { type: 'decision', decision: 'justified', stage: 'send', findings: [finding], text: 'a', justification: 'why' };
  assert.ok(isContentToBackground(report));
  assert.ok(isContentToBackground({ type: 'decision', decision: 'blocked', stage: 'upload', findings: [{ ...finding, start: undefined, end: undefined }] }));
  assert.ok(!isContentToBackground({ ...report, decision: 'maybe' }));
  assert.ok(!isContentToBackground({ ...report, stage: 'later' }));
  assert.ok(!isContentToBackground({ ...report, extra: 1 }));
  assert.ok(!isContentToBackground({ ...report, findings: [{ ...finding, value: 'AKIA…' }] }), 'a finding carries no value');
  assert.ok(!isContentToBackground({ ...report, findings: Array(1001).fill(finding) }));
});
