// Audit events end to end, in Chromium with the shipped dist/chrome: the administrator's policy (the
// 3rdparty managed storage, written to /etc/chromium/policies/managed/ for the test) names a local
// collector; real sends on the fixture site produce decision events; the collector receives them —
// and not one byte of a planted value; the collector is stopped and started again and no event is
// lost; the browser is closed and started again on the same profile and no event is lost; then the
// queue bound and delivery throughput are measured (printed as AUDIT-FIGURES for docs/admin.md).
//
// Chromium only: the scenario depends on a Chromium machine policy and restarting Chromium on one
// profile. Firefox reads the same settings from policies.json (docs/admin.md) — not covered here.
//
//   ./build.sh && node --test tests/admin/audit.test.mjs      (as root)
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { contentWorld, EXTENSION, PLANTED } from '../e2e/harness.mjs';
import { startSite } from '../site/server.mjs';
import { launchProfile, unpackedId, writeChromiumPolicy } from './chromium-policy.mjs';
import { startCollector } from './collector.mjs';

const HASH_KEY = 'e2e-audit-hash-key';
const TOKEN = 'e2e-collector-token';
const MAX_QUEUE = 1000;
const hmac = (value) => crypto.createHmac('sha256', HASH_KEY).update(value).digest('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function worker(context) {
  const sw = context.serviceWorkers().find((w) => w.url().endsWith('/background.js')) ?? (await context.waitForEvent('serviceworker', { timeout: 20_000 }));
  await sw.evaluate(() => globalThis.__promptwarden.ready);
  return sw;
}

/** Waits until the worker has read the policy and started the audit queue. */
async function auditStarted(sw, endpoint) {
  for (let i = 0; i < 200; i++) {
    const status = await sw.evaluate(() => globalThis.__promptwarden.audit.status());
    if (status?.endpoint === endpoint) return status;
    await sleep(100);
  }
  throw new Error(`the worker never started auditing to ${endpoint}`);
}

/** Ids of the events waiting in the worker's persisted queue. */
const queuedIds = (sw) =>
  sw.evaluate(async () => {
    const all = await chrome.storage.local.get(null);
    return Object.entries(all)
      .filter(([k]) => k.startsWith('audit.event.'))
      .map(([, v]) => v.id);
  });

/** Types `text` into the chat composer and presses Enter: the send guard decides (and reports). */
async function send(context, url, text) {
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(url);
  await page.waitForFunction(() => window.__site?.ready === true);
  const world = await contentWorld(page);
  await world.waitFor(() => globalThis.__promptwarden?.typing.attached !== null);
  await page.click('#prompt-textarea');
  await page.keyboard.type(text, { delay: 2 });
  await world.waitFor(() => (globalThis.__promptwarden?.typing.findings?.length ?? 0) > 0).catch(() => sleep(1500));
  await page.keyboard.press('Enter');
  return page;
}

function assertNoPlanted(collector) {
  const bytes = Buffer.concat(collector.requests.map((r) => r.raw));
  for (const value of Object.values(PLANTED)) {
    for (const variant of [value, value.replace(/\s/g, ''), value.toLowerCase()]) {
      assert.equal(bytes.indexOf(Buffer.from(variant)), -1, `the collector received "${variant}"`);
    }
  }
  assert.ok(bytes.length > 0);
}

test('audit events: delivered without planted values, none lost across collector and browser restarts; bound and throughput', { timeout: 240_000 }, async () => {
  const collector = await startCollector({ token: TOKEN });
  const site = await startSite();
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-audit-'));
  const endpoint = `${collector.url}/ingest/ecs`;
  const id = await unpackedId(path.join(EXTENSION, 'manifest.json'));
  const removePolicy = writeChromiumPolicy('promptwarden-e2e-audit', {
    '3rdparty': {
      extensions: {
        [id]: { orgName: 'E2E audit', audit: { endpoint, format: 'ecs-jsonl', authHeader: `Bearer ${TOKEN}`, hashKey: HASH_KEY, batchSize: 100, maxQueue: MAX_QUEUE } },
      },
    },
  });
  let context;
  try {
    context = await launchProfile({ site, userDataDir, extensionPath: EXTENSION });
    let sw = await worker(context);
    await auditStarted(sw, endpoint);

    // 1. Real sends: a card number is masked on its own, an AWS key blocks the send.
    await send(context, site.url, `pay with ${PLANTED.financial} today`);
    await send(context, site.url, `deploy with ${PLANTED.secret} now`);
    await collector
      .waitFor((evs) => evs.some((e) => e.event.promptwarden?.decision === 'blocked') && evs.some((e) => e.event.promptwarden?.decision === 'masked'))
      .catch(async (e) => {
        const status = await sw.evaluate(() => globalThis.__promptwarden.audit.status());
        throw new Error(`${e.message}; worker audit status ${JSON.stringify(status)}; received ${JSON.stringify(collector.events.map((x) => x.event.promptwarden))}`);
      });
    const blocked = collector.events.find((e) => e.event.promptwarden?.decision === 'blocked' && e.event.rule?.category === 'secret')?.event;
    assert.ok(blocked, `no blocked secret among ${JSON.stringify(collector.events.map((e) => e.event.promptwarden))}`);
    assert.equal(blocked.rule.category, 'secret');
    assert.equal(blocked.url.domain, 'chatgpt.com');
    assert.equal(blocked.event.action, 'decision');
    assert.match(blocked.user_agent.version, /^\d+\./);
    assert.deepEqual(blocked.related?.hash, [hmac(PLANTED.secret)], `the keyed hash correlates without revealing the value: ${JSON.stringify(blocked)}`);
    assert.equal(collector.requests[0].headers.authorization, `Bearer ${TOKEN}`);
    assertNoPlanted(collector);

    // 2. The collector goes away for a while; events keep being recorded; it comes back.
    await collector.stop();
    await send(context, site.url, `again ${PLANTED.secret}`);
    await sw.evaluate(() => {
      for (let i = 0; i < 150; i++) globalThis.__promptwarden.audit.record({ type: 'policy-error', reason: `collector-down ${i}` });
    });
    await sleep(6000); // a few failed attempts, with back-off
    const down = await sw.evaluate(() => globalThis.__promptwarden.audit.status());
    assert.ok(down.failures >= 1, `delivery should have failed while the collector was down: ${JSON.stringify(down)}`);
    assert.match(down.lastError, /could not reach the collector/);
    const waiting = await queuedIds(sw);
    assert.ok(waiting.length >= 151, `events are queued: ${waiting.length}`);
    await collector.start();
    await collector.waitFor(() => waiting.every((i) => collector.ids().includes(i)), { timeout: 60_000 });

    // 3. Collector down, browser closed with events queued, browser started again on the profile.
    await collector.stop();
    await send(context, site.url, `once more ${PLANTED.pii} and ${PLANTED.secret}`);
    await sw.evaluate(() => {
      for (let i = 0; i < 100; i++) globalThis.__promptwarden.audit.record({ type: 'policy-error', reason: `before-restart ${i}` });
    });
    await sleep(1500);
    const beforeRestart = await queuedIds(sw);
    assert.ok(beforeRestart.length >= 101, `events are queued before the restart: ${beforeRestart.length}`);
    assert.ok(!beforeRestart.some((i) => collector.ids().includes(i)));
    await context.close();
    await collector.start();
    context = await launchProfile({ site, userDataDir, extensionPath: EXTENSION });
    // Nothing is opened: the browser start itself wakes the worker, which sends what was queued.
    await collector.waitFor(() => beforeRestart.every((i) => collector.ids().includes(i)), { timeout: 60_000 });
    sw = await worker(context);
    assertNoPlanted(collector);
    const unique = new Set(collector.ids());
    console.log(`audit e2e: ${collector.ids().length} events received, ${unique.size} distinct ids, ${collector.requests.length} requests`);

    // 4. The queue bound: with the collector down, MAX_QUEUE + 250 events → MAX_QUEUE kept, 250 dropped
    // and reported by one overflow event; then delivery throughput of the full queue.
    await collector.stop();
    const recordMs = await sw.evaluate(async (n) => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) globalThis.__promptwarden.audit.record({ type: 'policy-error', reason: `bound ${i}` });
      const t1 = performance.now();
      for (let i = 0; i < 200; i++) {
        const s = await globalThis.__promptwarden.audit.status();
        if (s.queued + s.dropped >= n) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return t1 - t0;
    }, MAX_QUEUE + 250);
    const full = await sw.evaluate(() => globalThis.__promptwarden.audit.status());
    assert.equal(full.queued, MAX_QUEUE);
    assert.equal(full.dropped, 250);
    const bytesBefore = collector.requests.reduce((n, r) => n + r.raw.length, 0);
    const before = collector.events.length;
    await collector.start();
    const t0 = Date.now();
    await sw.evaluate(() => globalThis.__promptwarden.audit.flush());
    const overflow = await collector.waitFor((evs) => evs.some((e) => e.event.event?.action === 'queue-overflow'), { timeout: 60_000 });
    const seconds = (Date.now() - t0) / 1000;
    const delivered = collector.events.length - before;
    const overflowEvent = overflow.find((e) => e.event.event?.action === 'queue-overflow').event;
    assert.equal(overflowEvent.promptwarden.count, 250);
    assert.match(overflowEvent.event.reason, /250 events dropped/);
    const reasons = new Set(collector.events.slice(before).map((e) => e.event.event?.reason));
    assert.ok(reasons.has(`bound ${MAX_QUEUE + 249}`) && !reasons.has('bound 0'), 'the newest are kept, the oldest dropped');
    const bytes = collector.requests.reduce((n, r) => n + r.raw.length, 0) - bytesBefore;
    console.log(
      `AUDIT-FIGURES ${JSON.stringify({ recorded: MAX_QUEUE + 250, recordMs: Math.round(recordMs), queued: full.queued, dropped: full.dropped, delivered, seconds, eventsPerSecond: Math.round(delivered / seconds), bytesPerEvent: Math.round(bytes / delivered), batchSize: 100 })}`,
    );
  } finally {
    await context?.close().catch(() => {});
    removePolicy();
    await collector.close();
    await site.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
});
