// The audit event itself: what callers describe (`AuditInput`) and what is queued and sent
// (`AuditEvent`). The one place where an event's fields are checked and bounded, so that nothing a
// caller passes by mistake — a URL with a query, a long reason — reaches the SIEM unchanged: sites
// are reduced to their host, texts are cut, counts are whole numbers, unknown fields are dropped.

import { AUDIT_DECISIONS, type AuditDecision } from '../shared/messages';

export { AUDIT_DECISIONS, type AuditDecision } from '../shared/messages';

/** What happened. */
export type AuditType =
  /** A guard acted on findings on its own (e.g. a preflight request masked on the wire). */
  | 'detection'
  /** The outcome of a send the user made with findings in it. */
  | 'decision'
  /** The outcome of a file upload with findings in it. */
  | 'upload'
  | 'bundle-applied'
  | 'bundle-rejected'
  | 'policy-error'
  /** Guards could not find what they expect on a site (and followed the fail mode). */
  | 'guard-health'
  /** The audit queue was full and events were dropped; `count` says how many. */
  | 'queue-overflow';

export const AUDIT_TYPES: readonly AuditType[] = [
  'detection',
  'decision',
  'upload',
  'bundle-applied',
  'bundle-rejected',
  'policy-error',
  'guard-health',
  'queue-overflow',
];

/** What a caller of `recordAudit` describes. Never the matched text or the prompt. */
export interface AuditInput {
  type: AuditType;
  /** The rule's id (`aws-access-key-id`). */
  ruleId?: string;
  /** `EMAIL_ADDRESS`, `AWS_ACCESS_KEY`… */
  entity?: string;
  /** `pii`, `secret`, `financial`, `gov_id`, `health`, `confidential`. */
  category?: string;
  /** `low`, `medium`, `high`. */
  confidence?: string;
  /** How many matches (or dropped events, or files) the event concerns. */
  count?: number;
  /** What the policy said: `allow`, `warn`, `mask`, `block`, `justify`. */
  action?: string;
  decision?: AuditDecision;
  /** The user's reason for a `justify` send. Kept only when the policy asks for it. */
  justification?: string;
  /** Where: a host, or a URL of which only the host is kept. */
  site?: string;
  /** Why, in words (a rejected bundle's reason, a policy error). Must not contain user text. */
  reason?: string;
  /** HMAC-SHA-256 of the matched value under the policy's hash key (set by `recordMatchAudit`). */
  matchHash?: string;
  /** `preflight`, `send`, `upload`. */
  stage?: string;
  /** For bundle events: the version concerned (the active one is stamped on every event anyway). */
  bundleVersion?: string;
}

/** One queued event: the input, checked, plus who and when. */
export interface AuditEvent extends Omit<AuditInput, 'bundleVersion'> {
  id: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** The rule bundle the event happened under (or the one a bundle event is about). */
  bundleVersion: string | null;
  extensionVersion: string;
  browser: string;
}

/** The queue bound when the policy sets none. */
export const DEFAULT_MAX_QUEUE = 10_000;
export const MAX_JUSTIFICATION = 1000;
export const MAX_REASON = 500;

export interface Stamp {
  id: string;
  time: number;
  bundleVersion: string | null;
  extensionVersion: string;
  browser: string;
  includeJustification: boolean;
}

/** Checks and bounds `input` and adds the stamp. Never throws. */
export function auditEventFrom(input: AuditInput, stamp: Stamp): AuditEvent {
  const i = (input ?? {}) as Partial<AuditInput>;
  const event: AuditEvent = {
    id: stamp.id,
    time: stamp.time,
    type: AUDIT_TYPES.includes(i.type as AuditType) ? (i.type as AuditType) : 'detection',
    bundleVersion: word(i.bundleVersion, 64) ?? stamp.bundleVersion,
    extensionVersion: stamp.extensionVersion,
    browser: stamp.browser,
  };
  const set = <K extends keyof AuditEvent>(key: K, value: AuditEvent[K] | undefined): void => {
    if (value !== undefined) event[key] = value;
  };
  set('ruleId', word(i.ruleId, 128));
  set('entity', word(i.entity, 64));
  set('category', word(i.category, 32));
  set('confidence', word(i.confidence, 16));
  set('count', typeof i.count === 'number' && Number.isFinite(i.count) ? Math.min(Math.max(0, Math.round(i.count)), 1e9) : undefined);
  set('action', word(i.action, 16));
  set('decision', AUDIT_DECISIONS.includes(i.decision as AuditDecision) ? i.decision : undefined);
  if (stamp.includeJustification) set('justification', text(i.justification, MAX_JUSTIFICATION));
  set('site', hostOf(i.site));
  set('reason', text(i.reason, MAX_REASON));
  set('matchHash', typeof i.matchHash === 'string' && /^[0-9a-f]{64}$/.test(i.matchHash) ? i.matchHash : undefined);
  set('stage', word(i.stage, 16));
  return event;
}

/** An identifier-like value: letters, digits and `-_.:/@+`, at most `max` characters. */
function word(x: unknown, max: number): string | undefined {
  if (typeof x !== 'string' && typeof x !== 'number') return undefined;
  const s = String(x).trim();
  return s && s.length <= max && /^[\w.:/@+-]+$/.test(s) ? s : undefined;
}

/** Free text, control characters removed, cut to `max` characters. */
function text(x: unknown, max: number): string | undefined {
  if (typeof x !== 'string') return undefined;
  const s = x.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  if (!s) return undefined;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The host of a URL or host name, lowercase; anything else (paths, queries, user info) is dropped. */
export function hostOf(x: unknown): string | undefined {
  if (typeof x !== 'string' || !x || x.length > 2048) return undefined;
  try {
    const host = new URL(x.includes('://') ? x : `https://${x}`).hostname.toLowerCase();
    return host && host.length <= 253 ? host : undefined;
  } catch {
    return undefined;
  }
}
