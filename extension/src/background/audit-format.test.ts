import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHec, parseJsonLines } from '../../../tests/admin/collector.mjs';
import type { AuditEvent } from './audit-event';
import { auditBody, ecsDocument, splunkEvent } from './audit-format';

const event: AuditEvent = {
  id: '0b8f6a4e-2c1d-4f7a-9e3b-5d6c7a8b9c0d',
  time: Date.UTC(2026, 10, 3, 12, 0, 0, 250),
  type: 'decision',
  ruleId: 'aws-access-key-id',
  entity: 'AWS_ACCESS_KEY',
  category: 'secret',
  confidence: 'high',
  count: 2,
  action: 'block',
  decision: 'blocked',
  site: 'chatgpt.com',
  stage: 'send',
  matchHash: 'a'.repeat(64),
  bundleVersion: '7',
  extensionVersion: '0.1.0',
  browser: 'Chrome/156.0.8078.79',
};

test('ECS: the standard field names a SIEM maps without glue', () => {
  const doc = ecsDocument(event) as any;
  assert.equal(doc['@timestamp'], '2026-11-03T12:00:00.250Z');
  assert.equal(doc.event.id, event.id);
  assert.equal(doc.event.action, 'decision');
  assert.deepEqual(doc.event.type, ['denied']);
  assert.equal(doc.event.outcome, 'success');
  assert.equal(doc.event.kind, 'alert');
  assert.deepEqual(doc.rule, { id: 'aws-access-key-id', name: 'aws-access-key-id', category: 'secret', version: '7', ruleset: 'promptwarden' });
  assert.deepEqual(doc.user_agent, { name: 'Chrome', version: '156.0.8078.79' });
  assert.equal(doc.observer.version, '0.1.0');
  assert.deepEqual(doc.url, { domain: 'chatgpt.com' });
  assert.deepEqual(doc.related, { hash: ['a'.repeat(64)] });
  assert.equal(doc.promptwarden.decision, 'blocked');
  assert.equal(doc.promptwarden.count, 2);
});

test('ECS: masked sends are allowed changes; a rejected bundle is a failed configuration event', () => {
  assert.deepEqual((ecsDocument({ ...event, decision: 'masked' }) as any).event.type, ['allowed', 'change']);
  const rejected = ecsDocument({ ...event, type: 'bundle-rejected', decision: undefined, reason: 'bad signature' }) as any;
  assert.deepEqual([rejected.event.category, rejected.event.outcome, rejected.event.reason], [['configuration'], 'failure', 'bad signature']);
});

test('JSON lines: one document per line, each line parses', () => {
  const { body, contentType } = auditBody([event, { ...event, id: 'x' }], 'ecs-jsonl');
  assert.equal(contentType, 'application/x-ndjson');
  assert.ok(body.endsWith('\n'));
  assert.deepEqual(parseJsonLines(body).map((d) => d.event.id), [event.id, 'x']);
});

test('Splunk HEC: time in seconds, source type, the event under "event"', () => {
  const e = splunkEvent(event) as any;
  assert.equal(e.time, event.time / 1000);
  assert.equal(e.host, 'chatgpt.com');
  assert.equal(e.sourcetype, 'promptwarden:audit');
  assert.equal(e.event.id, event.id);
  assert.equal(e.event.rule_id, 'aws-access-key-id');
  const { body, contentType } = auditBody([event, event], 'splunk-hec');
  assert.equal(contentType, 'application/json');
  assert.equal(parseHec(body).length, 2);
});

test('the same events always give the same bytes (a retried batch is identical)', () => {
  assert.equal(auditBody([event], 'ecs-jsonl').body, auditBody([structuredClone(event)], 'ecs-jsonl').body);
});
