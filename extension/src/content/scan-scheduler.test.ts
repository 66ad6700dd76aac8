import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Finding } from '../shared/findings';
import { changedRange, MARGIN, merge, plan, ScanScheduler, SMALL_TEXT } from './scan-scheduler';

/** A stand-in engine: every "KEY-" followed by 4 digits is a finding. */
function scan(text: string): Finding[] {
  return [...text.matchAll(/KEY-\d{4}/g)].map((m) => ({
    start: m.index ?? 0,
    end: (m.index ?? 0) + m[0].length,
    ruleId: 'k',
    description: '',
    entity: 'KEY',
    category: 'secret',
    confidence: 'high',
    score: 1,
    action: 'block',
  }));
}

const spans = (fs: Finding[]) => fs.map((f) => [f.start, f.end]);
const filler = (n: number) => 'lorem ipsum dolor sit amet\n'.repeat(Math.ceil(n / 27)).slice(0, n);

test('changedRange finds the edit', () => {
  assert.deepEqual(changedRange('hello world', 'hello brave world'), { start: 6, prevEnd: 6, nextEnd: 12 });
  assert.deepEqual(changedRange('aaa', 'aa'), { start: 2, prevEnd: 3, nextEnd: 2 });
  assert.deepEqual(changedRange('same', 'same'), { start: 4, prevEnd: 4, nextEnd: 4 });
});

test('small texts and big edits are scanned whole', () => {
  assert.equal(plan(null, 'x'), null);
  assert.equal(plan({ text: 'a', findings: [] }, 'ab'), null);
  const big = filler(SMALL_TEXT * 2);
  assert.equal(plan({ text: big, findings: [] }, 'x'.repeat(big.length)), null);
});

test('an incremental scan gives the same findings as a full one', () => {
  // Keys spread through a long text; edits near and far from them, inserting, deleting, splitting.
  const base = `${filler(20_000)}KEY-1111 ${filler(30_000)}KEY-2222\n${filler(25_000)}KEY-3333`;
  const edits: [number, number, string][] = [
    [25_000, 0, 'KEY-9999 '], // new finding far from others
    [20_003, 2, ''], // breaks KEY-1111
    [50_000, 0, 'x'.repeat(500)], // shifts later findings
    [base.length - 2, 0, ' '], // splits KEY-3333
    [0, 100, ''], // delete at the start
  ];
  let prev = { text: base, findings: scan(base) };
  for (const [at, remove, insert] of edits) {
    const next = prev.text.slice(0, at) + insert + prev.text.slice(at + remove);
    const p = plan(prev, next);
    assert.ok(p, 'incremental');
    assert.ok(p.scanEnd - p.scanStart < 4 * MARGIN + 2_000, 'only a region is scanned');
    const merged = merge(p, scan(next.slice(p.scanStart, p.scanEnd)));
    assert.deepEqual(spans(merged), spans(scan(next)), `edit at ${at}`);
    prev = { text: next, findings: merged };
  }
});

test('the scheduler runs at once, coalesces while busy, and reconciles with a full scan when idle', async () => {
  let text = `${filler(10_000)}KEY-1234`;
  const scanned: number[] = [];
  const results: string[] = [];
  const gate: { release?: () => void } = {};
  const s = new ScanScheduler({
    read: () => text,
    scan: async (t) => {
      scanned.push(t.length);
      if (scanned.length === 1) await new Promise<void>((r) => (gate.release = r));
      return scan(t);
    },
    onResult: (_t, f, kind) => results.push(`${kind}:${f.length}`),
    idleMs: 20,
  });
  s.request(); // runs at once, blocks
  text += ' a';
  s.request();
  text += ' b KEY-5678';
  s.request(); // both coalesce into one follow-up scan
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(scanned.length, 1);
  gate.release?.();
  await new Promise((r) => setTimeout(r, 60));
  assert.deepEqual(results, ['full:1', 'incremental:2', 'full:2']);
  assert.equal(scanned[0], 10_008);
  assert.ok((scanned[1] ?? 0) < (scanned[2] ?? 0), 'the follow-up was a region, the idle one whole');
});

test('a failed scan keeps the previous state', async () => {
  let fail = false;
  const results: number[] = [];
  const s = new ScanScheduler({
    read: () => 'KEY-0001',
    scan: async (t) => (fail ? null : scan(t)),
    onResult: (_t, f) => results.push(f.length),
  });
  fail = true;
  s.request();
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(results, []);
  fail = false;
  s.request();
  await new Promise((r) => setTimeout(r, 5));
  assert.deepEqual(results, [1]);
});
