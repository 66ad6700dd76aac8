import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type Collector, startCollector } from '../../../tests/admin/collector.mjs';
import { type AuditConfig, AuditDelivery, BACKOFF_BASE_MS, endpointProblem } from './audit-delivery';
import type { AuditEvent } from './audit-event';
import { AuditQueue } from './audit-queue';
import { memoryStore } from './memory-store.test-helper';

const collectors: Collector[] = [];
const deliveries: AuditDelivery[] = [];
after(() => {
  for (const d of deliveries) d.stop();
  return Promise.all(collectors.map((c) => c.close()));
});

async function setup(config: Partial<AuditConfig> & { path?: string } = {}, token?: string) {
  const collector = await startCollector(token ? { token } : {});
  collectors.push(collector);
  const queue = new AuditQueue(memoryStore(), { overflowEvent: (count) => ({ ...event(), type: 'queue-overflow', count }) });
  const wakes: (number | undefined)[] = [];
  let clock = 1_000_000;
  const cfg: AuditConfig = { endpoint: `${collector.url}${config.path ?? '/ecs'}`, format: 'ecs-jsonl', ...config };
  const delivery = new AuditDelivery({
    queue,
    config: () => cfg,
    fetch: (input, init) => fetch(input, init),
    wakeAt: (when) => wakes.push(when),
    now: () => clock,
    random: () => 0.5,
  });
  deliveries.push(delivery);
  return { collector, queue, delivery, wakes, cfg, tick: (ms: number) => (clock += ms) };
}

let n = 0;
function event(): AuditEvent {
  return { id: `e-${++n}`, time: 1_700_000_000_000, type: 'decision', ruleId: 'r', bundleVersion: null, extensionVersion: '0.1.0', browser: 'Chrome/156' };
}

test('delivers the queue in batches of batchSize and empties it', async () => {
  const { collector, queue, delivery } = await setup({ batchSize: 3 });
  const evs = Array.from({ length: 7 }, event);
  await queue.append(evs, 100);
  const status = await delivery.drain();
  assert.equal(status.delivered, 7);
  assert.equal(status.batches, 3);
  assert.deepEqual(collector.ids(), evs.map((e) => e.id));
  assert.equal(collector.requests[0]!.headers['content-type'], 'application/x-ndjson');
  assert.equal((await queue.stats()).size, 0);
});

test('collector down: nothing is lost, back-off grows, an alarm is set; back up: everything arrives once', async () => {
  const { collector, queue, delivery, wakes, tick } = await setup();
  await collector.stop();
  const evs = Array.from({ length: 5 }, event);
  await queue.append(evs, 100);
  const first = await delivery.drain();
  assert.equal(first.failures, 1);
  assert.match(first.lastError ?? '', /could not reach the collector/);
  assert.equal(wakes.at(-1), first.nextAttempt);
  assert.equal((first.nextAttempt ?? 0) - (first.lastAttempt ?? 0), BACKOFF_BASE_MS);
  tick(10_000);
  const second = await delivery.drain();
  assert.equal((second.nextAttempt ?? 0) - (second.lastAttempt ?? 0), 2 * BACKOFF_BASE_MS, 'exponential');
  assert.equal((await queue.stats()).size, 5);
  await collector.start();
  const third = await delivery.drain();
  assert.equal(third.failures, 0);
  assert.equal(third.lastError, null);
  assert.equal(wakes.at(-1), undefined, 'the alarm is cancelled once delivered');
  assert.deepEqual(collector.ids(), evs.map((e) => e.id));
});

test('a 5xx keeps the batch; the retry sends the same bytes', async () => {
  const { collector, queue, delivery } = await setup();
  await queue.append([event(), event()], 100);
  collector.fail(503);
  assert.match((await delivery.drain()).lastError ?? '', /HTTP 503/);
  collector.fail(null);
  await delivery.drain();
  assert.equal(collector.requests.length, 2);
  assert.deepEqual(collector.requests[0]!.raw, collector.requests[1]!.raw);
  assert.equal(collector.events.length, 2);
});

test('Splunk HEC with its token: the Authorization header is sent; a wrong token is a clear error', async () => {
  const { collector, queue, delivery, cfg } = await setup({ format: 'splunk-hec', path: '/services/collector/event', authHeader: 'Splunk s3cret' }, 's3cret');
  await queue.append([event()], 100);
  assert.equal((await delivery.drain()).delivered, 1);
  assert.equal(collector.events[0]!.event.sourcetype, 'promptwarden:audit');
  cfg.authHeader = 'Splunk wrong';
  await queue.append([event()], 100);
  assert.match((await delivery.drain()).lastError ?? '', /HTTP 401 \(check the audit auth header/);
  cfg.authHeader = 's3cret'; // a bare token gets the Splunk scheme
  delivery.resetBackoff();
  assert.equal((await delivery.drain()).lastError, null);
});

test('redirects are not followed: events go to the configured URL only', async () => {
  const { collector: other } = await setup();
  const http = await import('node:http');
  const redirector = http.createServer((_req, res) => {
    res.writeHead(307, { Location: `${other.url}/ecs` });
    res.end();
  });
  await new Promise<void>((r) => redirector.listen(0, '127.0.0.1', () => r()));
  const port = (redirector.address() as { port: number }).port;
  const queue = new AuditQueue(memoryStore(), { overflowEvent: () => event() });
  const delivery = new AuditDelivery({ queue, config: () => ({ endpoint: `http://127.0.0.1:${port}/`, format: 'ecs-jsonl' }), fetch: (i, o) => fetch(i, o), wakeAt: () => {} });
  await queue.append([event()], 10);
  const status = await delivery.drain();
  delivery.stop();
  redirector.close();
  assert.equal(status.delivered, 0);
  assert.equal(other.requests.length, 0);
});

test('endpoint problems are sentences that say what to set', () => {
  assert.equal(endpointProblem('https://siem.example.com/services/collector/event'), null);
  assert.equal(endpointProblem('http://127.0.0.1:8088/'), null);
  assert.match(endpointProblem('http://siem.example.com/') ?? '', /must use https/);
  assert.match(endpointProblem('siem') ?? '', /not a URL/);
});
