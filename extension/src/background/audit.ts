// Audit events for the administrator's SIEM: what happened (which rule, which category, what the
// policy did, what the user decided, on which site), never what was typed. Any part of the service
// worker calls `recordAudit` (sync, never throws); this module stamps each event with an id, the time,
// the bundle, extension and browser versions, keeps it in a persisted, bounded queue
// (./audit-queue.ts) and has ./audit-delivery.ts send it in batches to the one configured endpoint.
//
// The design decision to know: an event is written to `chrome.storage.local` before anyone tries to
// send it, and removed only after the collector answered 2xx — delivery is at-least-once and survives
// worker and browser restarts; a collector de-duplicates by `event.id`. Events recorded before the
// worker has read its policy wait in memory (bounded) and are queued once it has; with no audit
// endpoint configured nothing is kept (beyond two minutes in memory, in case the policy is still
// on its way: managed storage can be empty for a few seconds after the browser starts).

import type { DecisionFinding, DecisionReport } from '../shared/messages';
import { type AuditConfig, AuditDelivery, type DeliveryStatus } from './audit-delivery';
import { type AuditEvent, type AuditInput, type AuditType, auditEventFrom, DEFAULT_MAX_QUEUE } from './audit-event';
import { AuditQueue, type KeyValueStore } from './audit-queue';

export type { AuditConfig, AuditFormat, DeliveryStatus } from './audit-delivery';
export type { AuditDecision, AuditEvent, AuditInput, AuditType } from './audit-event';

/** Name of the alarm that retries delivery (the worker may sleep between attempts). */
export const AUDIT_ALARM = 'audit.retry';
/** Events kept in memory until the worker knows its audit configuration… */
const MAX_HELD_EVENTS = 1000;
/** …and for how long: managed storage can answer `{}` for a few seconds after install or start. */
const HOLD_MS = 2 * 60_000;

/** What the worker's entry point provides. */
export interface AuditDeps {
  /** The audit settings of the effective policy, or undefined when audit is off. */
  config: () => AuditConfig | undefined;
  /** The active rule bundle's version, stamped on every event. */
  bundleVersion: () => string | null;
  extensionVersion: string;
  /** `Chrome/156.0.8078.79`, `Firefox/153.0`. */
  browser: string;
  storage: KeyValueStore;
  fetch: typeof fetch;
  /** Wakes the worker for a retry at `when` (ms since the epoch); `undefined` cancels. */
  wakeAt: (when: number | undefined) => void;
  now?: () => number;
  uuid?: () => string;
}

let deps: AuditDeps | undefined;
let queue: AuditQueue | undefined;
let delivery: AuditDelivery | undefined;
/** Inputs recorded before `startAudit` or while no audit endpoint is known, with their time. */
let held: { input: AuditInput; at: number }[] = [];
let heldDropped = 0;
/** The WebCrypto key for the policy's current hash key, imported once. */
let hmacKey: { secret: string; key: Promise<CryptoKey> } | undefined;

/**
 * Records one audit event. Sync and never throws: the event is queued and delivered later.
 * Never pass the matched text or the prompt; use `recordMatchAudit` to correlate a match.
 */
export function recordAudit(input: AuditInput): void {
  try {
    const config = deps?.config();
    if (!deps || !queue || !config) {
      // Not started, or no endpoint (yet): held briefly in memory, queued if an endpoint arrives soon.
      const now = Date.now();
      held = held.filter((h) => now - h.at < HOLD_MS);
      if (held.length < MAX_HELD_EVENTS) held.push({ input, at: now });
      else heldDropped++;
      return;
    }
    queue.append([stamp(input)], config.maxQueue ?? DEFAULT_MAX_QUEUE).then(
      () => delivery?.soon(),
      () => {},
    );
  } catch {
    // Auditing must never break what the user is doing.
  }
}

/**
 * Records an event about one match, with a keyed hash of the matched value when the policy sets an
 * audit hash key (HMAC-SHA-256, hex) so that a SIEM can correlate the same value across events
 * without ever seeing it. The value itself is used for the hash only and then dropped.
 */
export function recordMatchAudit(input: AuditInput, match: string): void {
  let secret: string | undefined;
  try {
    secret = deps?.config()?.hashKey || undefined;
  } catch {
    secret = undefined;
  }
  if (!secret) return recordAudit(input);
  hashMatch(secret, match).then(
    (matchHash) => recordAudit({ ...input, matchHash }),
    () => recordAudit(input),
  );
}

/** The most events one decision report produces (one per rule and distinct matched value). */
export const MAX_EVENTS_PER_DECISION = 100;

/**
 * Records a decision reported by a content script: one event per rule and distinct matched value,
 * `count` saying how often it occurred, with the value's keyed hash when the policy sets a hash key.
 * Beyond MAX_EVENTS_PER_DECISION values, further matches are counted per rule without a hash.
 */
export function recordDecision(report: DecisionReport, site: string | undefined): void {
  try {
    const groups = new Map<string, { finding: DecisionFinding; count: number; value: string | undefined }>();
    for (const finding of report.findings) {
      const { start, end } = finding;
      const text = report.text;
      let value = text !== undefined && start !== undefined && end !== undefined && start < end && end <= text.length ? text.slice(start, end) : undefined;
      let key = JSON.stringify([finding.ruleId, finding.action, value ?? null]);
      if (!groups.has(key) && groups.size >= MAX_EVENTS_PER_DECISION) {
        value = undefined;
        key = JSON.stringify([finding.ruleId, finding.action, null]);
      }
      const group = groups.get(key);
      if (group) group.count++;
      else groups.set(key, { finding, count: 1, value });
    }
    const type: AuditType = report.stage === 'upload' ? 'upload' : report.stage === 'preflight' ? 'detection' : 'decision';
    const base = { type, decision: report.decision, stage: report.stage, site, justification: report.justification };
    if (!groups.size) return recordAudit(base);
    for (const { finding, count, value } of groups.values()) {
      const input: AuditInput = {
        ...base,
        ruleId: finding.ruleId,
        entity: finding.entity,
        category: finding.category,
        confidence: finding.confidence,
        action: finding.action,
        count,
      };
      if (value === undefined) recordAudit(input);
      else recordMatchAudit(input, value);
    }
  } catch {
    // Auditing must never break what the user is doing.
  }
}

/** HMAC-SHA-256 of `value` (UTF-8) under `secret` (UTF-8), as lowercase hex. */
export async function hashMatch(secret: string, value: string): Promise<string> {
  if (hmacKey?.secret !== secret) {
    const raw = new TextEncoder().encode(secret);
    hmacKey = { secret, key: crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']) };
  }
  const mac = await crypto.subtle.sign('HMAC', await hmacKey.key, new TextEncoder().encode(value));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Starts the queue and delivery (once per worker start, after the policy is known). Events recorded
 * before are queued now, and anything left from an earlier run is sent.
 */
export function startAudit(d: AuditDeps): void {
  deps = d;
  delivery?.stop();
  queue = new AuditQueue(d.storage, { now: d.now, overflowEvent: (count, first, last) => stampOverflow(count, first, last) });
  delivery = new AuditDelivery({ queue, config: d.config, fetch: d.fetch, wakeAt: d.wakeAt, now: d.now });
  if (!d.config()) {
    void queue.clear();
    return;
  }
  queueHeld();
}

/** Moves the held events into the queue (an endpoint is known now) and starts delivery. */
function queueHeld(): void {
  const config = deps?.config();
  if (!queue || !config) return;
  const now = (deps?.now ?? Date.now)();
  const events = held.filter((h) => now - h.at < HOLD_MS).map(({ input, at }) => stamp(input, at));
  const dropped = heldDropped;
  held = [];
  heldDropped = 0;
  const maxQueue = config.maxQueue ?? DEFAULT_MAX_QUEUE;
  void queue
    .append(events, maxQueue)
    .then(() => (dropped ? queue?.countDropped(dropped, maxQueue) : undefined))
    .then(() => delivery?.soon(0), () => {});
}

/** The policy changed: with audit off the queue is emptied; otherwise delivery starts over. */
export function auditConfigChanged(): void {
  if (!deps || !queue || !delivery) return;
  if (!deps.config()) {
    void queue.clear();
    deps.wakeAt(undefined);
    return;
  }
  delivery.resetBackoff();
  queueHeld();
  delivery.soon(0, true);
}

/** Stops delivery attempts in this worker (tests; the queue stays for the next start). */
export function stopAudit(): void {
  delivery?.stop();
}

/** The retry alarm fired (or the browser started): try to deliver now. */
export function onAuditAlarm(): void {
  delivery?.soon(0, true);
}

/** For tests and the popup: queue size, dropped count, last delivery result. */
export async function auditStatus(): Promise<(DeliveryStatus & { queued: number; dropped: number }) | null> {
  if (!queue || !delivery) return null;
  const { size, dropped } = await queue.stats();
  return { ...delivery.status(), queued: size, dropped };
}

/** Delivers everything queued now, batch by batch; resolves when the queue is empty or a batch failed. */
export async function flushAudit(): Promise<DeliveryStatus | null> {
  if (!delivery) return null;
  return delivery.drain();
}

function stamp(input: AuditInput, at?: number): AuditEvent {
  const d = deps as AuditDeps;
  return auditEventFrom(input, {
    id: (d.uuid ?? (() => crypto.randomUUID()))(),
    time: at ?? (d.now ?? Date.now)(),
    bundleVersion: safe(d.bundleVersion),
    extensionVersion: d.extensionVersion,
    browser: d.browser,
    includeJustification: safe(() => d.config()?.includeJustification === true) ?? false,
  });
}

function stampOverflow(count: number, first: number, last: number): AuditEvent {
  return stamp(
    { type: 'queue-overflow', count, reason: `audit queue full: ${count} events dropped between ${new Date(first).toISOString()} and ${new Date(last).toISOString()}` },
    last,
  );
}

function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}
