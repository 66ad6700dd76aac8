import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { type Collector, startCollector } from '../../../tests/admin/collector.mjs';
import { auditConfigChanged, auditStatus, flushAudit, hashMatch, recordAudit, recordDecision, startAudit, stopAudit } from './audit';
import type { AuditConfig } from './audit-delivery';
import { memoryStore } from './memory-store.test-helper';

const collectors: Collector[] = [];
after(() => {
  stopAudit();
  return Promise.all(collectors.map((c) => c.close()));
});

const SECRET = 'AKIALFSXTTB3WE6OMXXU';
const TEXT = `my key is ${SECRET} and ${SECRET}, mail bob@example.com`;

async function started(config: Partial<AuditConfig> = {}) {
  const collector = await startCollector();
  collectors.push(collector);
  const cfg: AuditConfig = { endpoint: `${collector.url}/ecs`, format: 'ecs-jsonl', ...config };
  startAudit({
    config: () => cfg,
    bundleVersion: () => 'bundle-7',
    extensionVersion: '0.1.0',
    browser: 'Chrome/156.0',
    storage: memoryStore(),
    fetch: (i, o) => fetch(i, o),
    wakeAt: () => {},
  });
  return collector;
}

/** Waits for the queue writes that recordAudit started (it returns at once). */
async function settle() {
  for (let i = 0; i < 50 && ((await auditStatus())?.queued ?? 0) === 0; i++) await new Promise((r) => setTimeout(r, 10));
}

test('hashMatch is HMAC-SHA-256 (RFC 4231 test case 2)', async () => {
  assert.equal(await hashMatch('Jefe', 'what do ya want for nothing?'), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
});

test('a decision becomes one event per rule and value, with a keyed hash and never the value', async () => {
  const collector = await started({ hashKey: 'k3y' });
  const start = TEXT.indexOf(SECRET);
  const second = TEXT.indexOf(SECRET, start + 1);
  const email = TEXT.indexOf('bob@example.com');
  recordDecision(
    {
      type: 'decision',
      decision: 'blocked',
      stage: 'send',
      text: TEXT,
      findings: [
        { ruleId: 'aws-access-key-id', entity: 'AWS_ACCESS_KEY', category: 'secret', confidence: 'high', action: 'block', start, end: start + SECRET.length },
        { ruleId: 'aws-access-key-id', entity: 'AWS_ACCESS_KEY', category: 'secret', confidence: 'high', action: 'block', start: second, end: second + SECRET.length },
        { ruleId: 'email-address', entity: 'EMAIL_ADDRESS', category: 'pii', confidence: 'high', action: 'warn', start: email, end: email + 15 },
      ],
    },
    'https://chatgpt.com/c/123?q=secret',
  );
  await new Promise((r) => setTimeout(r, 50)); // the hashes are computed asynchronously
  await settle();
  await flushAudit();
  assert.equal(collector.events.length, 2);
  const aws = collector.events.find((e) => e.event.rule?.id === 'aws-access-key-id')!.event;
  assert.equal(aws.promptwarden.count, 2);
  assert.equal(aws.url.domain, 'chatgpt.com', 'the site is the host only');
  assert.equal(aws.related.hash[0], await hashMatch('k3y', SECRET));
  assert.equal(aws.rule.version, 'bundle-7');
  const bytes = Buffer.concat(collector.requests.map((r) => r.raw)).toString('utf8');
  for (const planted of [SECRET, 'bob@example.com', 'my key is', '/c/123', 'q=secret']) assert.ok(!bytes.includes(planted), `"${planted}" was sent`);
});

test('without a hash key there is no hash; the justification is sent only when the policy asks', async () => {
  const collector = await started();
  const finding = { ruleId: 'email-address', entity: 'EMAIL_ADDRESS', category: 'pii', confidence: 'high', action: 'justify', start: 0, end: 3 };
  recordDecision({ type: 'decision', decision: 'justified', stage: 'send', text: 'bob', findings: [finding], justification: 'customer asked' }, 'chatgpt.com');
  await settle();
  await flushAudit();
  const doc = collector.events[0]!.event;
  assert.equal(doc.related, undefined);
  assert.equal(doc.promptwarden.justification, undefined);

  const asked = await started({ includeJustification: true });
  recordDecision({ type: 'decision', decision: 'justified', stage: 'send', text: 'bob', findings: [finding], justification: 'customer asked' }, 'chatgpt.com');
  await settle();
  await flushAudit();
  assert.equal(asked.events[0]!.event.promptwarden.justification, 'customer asked');
});

test('with audit off nothing is queued; fields are bounded and unknown ones dropped', async () => {
  startAudit({
    config: () => undefined,
    bundleVersion: () => null,
    extensionVersion: '0.1.0',
    browser: 'x',
    storage: memoryStore(),
    fetch,
    wakeAt: () => {},
  });
  recordAudit({ type: 'policy-error', reason: 'ignored: audit is off' });
  assert.equal((await auditStatus())?.queued, 0, 'with audit off nothing is kept');

  const collector = await started();
  recordAudit({ type: 'bundle-rejected', reason: 'bad signature\nfrom key k1', bundleVersion: '9', prompt: 'leak' } as never);
  await settle();
  await flushAudit();
  const doc = collector.events.find((e) => e.event.event.action === 'bundle-rejected')!.event;
  assert.equal(doc.event.reason, 'bad signature from key k1');
  assert.equal(doc.promptwarden.bundle_version, '9');
  assert.ok(!JSON.stringify(doc).includes('leak'));
});

test('events recorded while the policy has no endpoint yet are queued when it arrives (managed storage is slow at start)', async () => {
  const collector = await startCollector();
  collectors.push(collector);
  let cfg: AuditConfig | undefined;
  startAudit({ config: () => cfg, bundleVersion: () => null, extensionVersion: '0.1.0', browser: 'x', storage: memoryStore(), fetch: (i, o) => fetch(i, o), wakeAt: () => {} });
  recordAudit({ type: 'bundle-applied', bundleVersion: '3' });
  assert.equal((await auditStatus())?.queued, 0);
  cfg = { endpoint: `${collector.url}/ecs`, format: 'ecs-jsonl' };
  auditConfigChanged();
  await collector.waitFor((evs) => evs.length === 1, { timeout: 5000 });
  assert.equal(collector.events[0]!.event.event.action, 'bundle-applied');
});
