import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEvent } from './audit-event';
import { AuditQueue, INDEX_KEY } from './audit-queue';
import { memoryStore } from './memory-store.test-helper';

let n = 0;
const event = (type: AuditEvent['type'] = 'decision'): AuditEvent => ({
  id: `id-${++n}`,
  time: 1_700_000_000_000 + n,
  type,
  bundleVersion: null,
  extensionVersion: '0.1.0',
  browser: 'Chrome/156',
});
const overflow = (count: number, first: number, last: number): AuditEvent => ({ ...event('queue-overflow'), count, reason: `${first}-${last}` });

test('events come out in order and leave only when removed', async () => {
  const store = memoryStore();
  const q = new AuditQueue(store, { overflowEvent: overflow });
  const evs = [event(), event(), event()];
  await q.append(evs, 100);
  const first = await q.peek(2);
  assert.deepEqual(first.events.map((e) => e.id), [evs[0]!.id, evs[1]!.id]);
  assert.deepEqual((await q.peek(2)).events, first.events, 'peeking twice gives the same batch (a retry is identical)');
  await q.removeUpTo(first.upTo, 100);
  assert.deepEqual((await q.peek(10)).events.map((e) => e.id), [evs[2]!.id]);
  assert.deepEqual(await q.stats(), { size: 1, dropped: 0 });
});

test('the queue survives a restart: a new instance over the same storage sees the same events', async () => {
  const store = memoryStore();
  await new AuditQueue(store, { overflowEvent: overflow }).append([event(), event()], 100);
  const again = new AuditQueue(store, { overflowEvent: overflow });
  assert.equal((await again.peek(10)).events.length, 2);
});

test('bounded: beyond maxQueue the oldest go, are counted, and one overflow event reports them', async () => {
  const store = memoryStore();
  const q = new AuditQueue(store, { overflowEvent: overflow, now: () => 42 });
  const evs = Array.from({ length: 8 }, () => event());
  for (const e of evs) await q.append([e], 5);
  assert.deepEqual(await q.stats(), { size: 5, dropped: 3 });
  const keys = [...store.data.keys()].filter((k) => k !== INDEX_KEY);
  assert.equal(keys.length, 5, 'dropped events are removed from storage');
  const batch = await q.peek(10);
  assert.deepEqual(batch.events.map((e) => e.id), evs.slice(3).map((e) => e.id));
  await q.removeUpTo(batch.upTo, 5);
  const rest = (await q.peek(10)).events;
  assert.equal(rest.length, 1);
  assert.equal(rest[0]!.type, 'queue-overflow');
  assert.equal(rest[0]!.count, 3);
  assert.equal((await q.stats()).dropped, 0, 'the counter is reset once the overflow event is queued');
});

test('the dropped count survives a restart until it can be reported', async () => {
  const store = memoryStore();
  const q = new AuditQueue(store, { overflowEvent: overflow });
  await q.append([event(), event(), event()], 2);
  const again = new AuditQueue(store, { overflowEvent: overflow });
  assert.deepEqual(await again.stats(), { size: 2, dropped: 1 });
});

test('a burst larger than the bound keeps the newest', async () => {
  const q = new AuditQueue(memoryStore(), { overflowEvent: overflow });
  const evs = Array.from({ length: 10 }, () => event());
  await q.append(evs, 4);
  assert.deepEqual((await q.peek(10)).events.map((e) => e.id), evs.slice(6).map((e) => e.id));
  assert.equal((await q.stats()).dropped, 6);
});

test('clear empties the queue and its storage', async () => {
  const store = memoryStore();
  const q = new AuditQueue(store, { overflowEvent: overflow });
  await q.append([event(), event()], 10);
  await q.clear();
  assert.deepEqual(await q.stats(), { size: 0, dropped: 0 });
  assert.deepEqual([...store.data.keys()], [INDEX_KEY]);
});

test('concurrent appends are serialised (no lost update of the index)', async () => {
  const q = new AuditQueue(memoryStore(), { overflowEvent: overflow });
  await Promise.all(Array.from({ length: 50 }, () => q.append([event()], 1000)));
  assert.equal((await q.stats()).size, 50);
});

test('a failed write is reported and the index re-read, not trusted', async () => {
  const store = memoryStore();
  const q = new AuditQueue(store, { overflowEvent: overflow });
  await q.append([event()], 10);
  const set = store.set;
  store.set = async () => {
    throw new Error('QUOTA_BYTES quota exceeded');
  };
  await assert.rejects(q.append([event()], 10), /quota/);
  store.set = set;
  assert.equal((await q.stats()).size, 1);
});
