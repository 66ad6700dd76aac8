// Turns queued audit events into the bytes a SIEM takes without glue:
//   `ecs-jsonl`  — one JSON document per line, Elastic Common Schema field names (`@timestamp`,
//                  `event.id`, `event.action`, `rule.id`, `observer`, `user_agent`, `related.hash`),
//                  PromptWarden's own fields under `promptwarden.*` (ECS's rule for custom fields);
//   `splunk-hec` — a Splunk HTTP Event Collector batch: `{"time","host","source","sourcetype","event"}`
//                  objects one after another, as `/services/collector/event` accepts them.
// Pure functions: the same events always give the same body, so a retried batch is byte-identical.

import type { AuditEvent } from './audit-event';

export type AuditFormat = 'ecs-jsonl' | 'splunk-hec';
export const AUDIT_FORMATS: readonly AuditFormat[] = ['ecs-jsonl', 'splunk-hec'];

/** The ECS version the documents follow. */
export const ECS_VERSION = '8.11.0';
export const SPLUNK_SOURCE = 'promptwarden';
export const SPLUNK_SOURCETYPE = 'promptwarden:audit';

export interface AuditBody {
  body: string;
  contentType: string;
}

export function auditBody(events: readonly AuditEvent[], format: AuditFormat): AuditBody {
  if (format === 'splunk-hec') {
    return { body: events.map((e) => JSON.stringify(splunkEvent(e))).join('\n'), contentType: 'application/json' };
  }
  return { body: events.map((e) => `${JSON.stringify(ecsDocument(e))}\n`).join(''), contentType: 'application/x-ndjson' };
}

/** ECS `event.category` / `event.type` / `event.outcome` for each kind of event. */
function ecsClass(e: AuditEvent): { category: string[]; type: string[]; outcome: 'success' | 'failure' | 'unknown'; kind: string } {
  switch (e.type) {
    case 'bundle-applied':
      return { category: ['configuration'], type: ['change'], outcome: 'success', kind: 'event' };
    case 'bundle-rejected':
    case 'policy-error':
      return { category: ['configuration'], type: ['error'], outcome: 'failure', kind: 'event' };
    case 'guard-health':
      return { category: ['web'], type: ['error'], outcome: 'failure', kind: 'state' };
    case 'queue-overflow':
      return { category: ['host'], type: ['error'], outcome: 'failure', kind: 'event' };
    default: {
      const denied = e.decision === 'blocked' || e.decision === 'cancelled';
      const changed = e.decision === 'masked' || e.decision === 'redacted';
      return {
        category: [e.type === 'upload' ? 'file' : 'web'],
        type: [denied ? 'denied' : 'allowed', ...(changed ? ['change'] : [])],
        outcome: 'success',
        kind: 'alert',
      };
    }
  }
}

/** `Chrome/156.0.1` → name and version. */
function agent(browser: string): { name: string; version?: string } {
  const slash = browser.indexOf('/');
  return slash < 0 ? { name: browser } : { name: browser.slice(0, slash), version: browser.slice(slash + 1) };
}

export function ecsDocument(e: AuditEvent): Record<string, unknown> {
  const cls = ecsClass(e);
  const doc: Record<string, unknown> = {
    '@timestamp': new Date(e.time).toISOString(),
    ecs: { version: ECS_VERSION },
    event: {
      id: e.id,
      kind: cls.kind,
      category: cls.category,
      type: cls.type,
      action: e.type,
      outcome: cls.outcome,
      dataset: 'promptwarden.audit',
      provider: 'promptwarden',
      module: 'promptwarden',
      ...(e.reason ? { reason: e.reason } : {}),
    },
    observer: { vendor: 'PromptWarden', product: 'PromptWarden', type: 'dlp', version: e.extensionVersion },
    user_agent: agent(e.browser),
  };
  if (e.ruleId || e.category) {
    doc.rule = {
      ...(e.ruleId ? { id: e.ruleId, name: e.ruleId } : {}),
      ...(e.category ? { category: e.category } : {}),
      ...(e.bundleVersion ? { version: e.bundleVersion, ruleset: 'promptwarden' } : {}),
    };
  }
  if (e.site) doc.url = { domain: e.site };
  if (e.matchHash) doc.related = { hash: [e.matchHash] };
  doc.promptwarden = compact({
    type: e.type,
    entity: e.entity,
    category: e.category,
    confidence: e.confidence,
    count: e.count,
    action: e.action,
    decision: e.decision,
    justification: e.justification,
    stage: e.stage,
    match_hash: e.matchHash,
    bundle_version: e.bundleVersion,
  });
  return doc;
}

export function splunkEvent(e: AuditEvent): Record<string, unknown> {
  return {
    time: e.time / 1000,
    // A browser extension cannot learn the machine's name; the site is what the event is about.
    host: e.site ?? 'promptwarden',
    source: SPLUNK_SOURCE,
    sourcetype: SPLUNK_SOURCETYPE,
    event: compact({
      id: e.id,
      type: e.type,
      rule_id: e.ruleId,
      entity: e.entity,
      category: e.category,
      confidence: e.confidence,
      count: e.count,
      action: e.action,
      decision: e.decision,
      justification: e.justification,
      site: e.site,
      reason: e.reason,
      stage: e.stage,
      match_hash: e.matchHash,
      bundle_version: e.bundleVersion,
      extension_version: e.extensionVersion,
      browser: e.browser,
    }),
  };
}

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}
