// The one message contract between the extension's contexts (content script, popup, options) and the
// service worker. Messages carry data, never Error objects: every reply is `{ ok: true, … }` or
// `{ ok: false, error: { kind, message } }`. Everything that arrives is checked by a runtime guard
// before use, and every text is bounded.

import {
  ACTIONS,
  type Action,
  CATEGORIES,
  type Category,
  type Confidence,
  type Finding,
  type Policy,
  type Replacement,
  type ReviewedFinding,
  type Span,
  STAGES,
  type Stage,
  type Treatment,
} from './findings';

/** The longest text one message may carry, in UTF-16 code units (about 4 MB of ASCII). */
export const MAX_TEXT_LENGTH = 4_000_000;
/** The most spans, actions or approved values one request may carry. */
export const MAX_ITEMS = 4096;

/** What a site adapter found on the page. */
export interface SiteHealth {
  /** Composer found, send control found, request guard connected. */
  composer: boolean;
  sendControl: boolean;
  wireGuard: boolean;
  /** Human-readable problems, empty when healthy. */
  problems: string[];
}

/** Things the guards did in a tab, counted for the popup (metadata only, never text). */
export type GuardEvent =
  | 'masked'
  | 'blocked'
  | 'warned'
  | 'sent-anyway'
  | 'ignored'
  | 'wire-masked'
  | 'wire-refused'
  | 'preflight-masked'
  | 'upload-blocked'
  | 'upload-masked'
  | 'upload-warned'
  | 'uploaded-anyway';

export const GUARD_EVENTS: readonly GuardEvent[] = [
  'masked',
  'blocked',
  'warned',
  'sent-anyway',
  'ignored',
  'wire-masked',
  'wire-refused',
  'preflight-masked',
  'upload-blocked',
  'upload-masked',
  'upload-warned',
  'uploaded-anyway',
];

// --- uploads ------------------------------------------------------------------------------------
// A file's bytes travel over their own port (shared/file-port.ts); these are what the engine says about
// them (crates/warden-wasm/src/files.rs).

/** One finding inside a file: where it is (page, sheet and cell, slide, line…) and a masked preview. */
export interface FileFinding {
  ruleId: string;
  description: string;
  entity: string;
  category: Category;
  confidence: Confidence;
  score: number;
  action: Action;
  /** Where in the file, in words ("page 2", "Sheet1!B4", "line 12"). */
  location: string;
  /** The matched value with its middle masked; never the raw value. */
  preview: string;
}

/** What the engine found in a file. `inspectable: false` (encrypted, image, unknown, too large) says why in `reason`. */
export interface FileReport {
  format: string;
  inspectable: boolean;
  reason: string | null;
  findings: FileFinding[];
  /** Whether a redacted copy of this format can be made. */
  sanitizable: boolean;
  /** How much text was extracted. */
  textBytes: number;
}

/** The longest file name accepted (browsers allow 255 bytes on most systems). */
export const MAX_FILE_NAME_LENGTH = 1024;

// --- content script → service worker ------------------------------------------------------------

export interface ScanRequest {
  type: 'scan';
  text: string;
}

export interface MaskRequest {
  type: 'mask';
  text: string;
  /** Mask only findings overlapping these ranges; all when absent. */
  spans?: Span[];
  /** Mask only findings with these actions. */
  actions?: Action[];
}

export interface ReviewRequest {
  type: 'review';
  text: string;
  stage: Stage;
  /** Values the user explicitly let through. */
  approved: string[];
}

export interface ReportRequest {
  type: 'report';
  health?: SiteHealth;
  /** Findings currently in the composer (for the badge). */
  findings?: number;
  event?: GuardEvent;
  /** How many findings the event concerned. */
  count?: number;
}

/** What finally happened to a text or file with findings in it (for the audit log; see background/audit-event.ts). */
export type AuditDecision = 'allowed' | 'sent-anyway' | 'justified' | 'masked' | 'redacted' | 'blocked' | 'ignored' | 'cancelled';

export const AUDIT_DECISIONS: readonly AuditDecision[] = [
  'allowed',
  'sent-anyway',
  'justified',
  'masked',
  'redacted',
  'blocked',
  'ignored',
  'cancelled',
];

/** One finding a decision concerned: metadata, and where it is in the decision's `text` when there is one. */
export interface DecisionFinding {
  ruleId: string;
  entity: string;
  category: string;
  confidence: string;
  /** The policy's action (`allow`, `warn`, `justify`, `mask`, `block`). */
  action: string;
  start?: number;
  end?: number;
}

/**
 * A user's (or the policy's) decision on a send or an upload, reported for the audit log. `text` is
 * what the spans point into: the worker uses it only to hash matched values, and keeps nothing of it.
 */
export interface DecisionReport {
  type: 'decision';
  decision: AuditDecision;
  stage: 'send' | 'upload' | 'preflight';
  findings: DecisionFinding[];
  text?: string;
  /** The reason typed for a `justify` send (audited only if the policy asks for it). */
  justification?: string;
}

/** The most findings one decision report may carry. */
export const MAX_DECISION_FINDINGS = 1000;

export type ContentToBackground = ScanRequest | MaskRequest | ReviewRequest | ReportRequest | DecisionReport;

// --- extension pages (popup, options) → service worker ------------------------------------------

export interface StatusRequest {
  type: 'status';
  tabId?: number;
}

export type PageToBackground = StatusRequest;

export type ToBackground = ContentToBackground | PageToBackground;

// --- replies ------------------------------------------------------------------------------------

export interface EngineStatus {
  ready: boolean;
  version: string | null;
  ruleCount: number;
  rulesSource: string | null;
  policy: Policy | null;
  lastError: { kind: string; message: string; at: number } | null;
  restarts: number;
  /** How long the last start took: instantiating the wasm, reading the rules, compiling them (ms). */
  timings: { wasmMs: number; rulesMs: number; compileMs: number } | null;
}

/** What the administrator's policy and rule updates look like from here (popup, options page). */
export interface AdminStatus {
  /** An administrator's policy is present. */
  managed: boolean;
  /** Who manages PromptWarden, as the policy names it. */
  orgName: string | null;
  lockSettings: boolean;
  /** User settings the policy decides (`minConfidence`, `category.<name>`): read-only. */
  lockedSettings: string[];
  userOverrideAllowed: boolean;
  /** Extra sites the policy asks to guard, and whether the browser lets PromptWarden run there. */
  extraSites: { patterns: string[]; granted: boolean };
  rules: {
    bundle: { version: number; keyId: string; url: string; issuedAt: number; expiresAt: number | null } | null;
    lastCheck: number | null;
    lastUpdate: number | null;
    lastError: { kind: string; message: string; at: number; url: string | null } | null;
    inline: boolean;
    /** Policy values that were ignored, and why. */
    problems: string[];
  };
}

export interface TabStatus {
  health: SiteHealth | null;
  findings: number;
  counts: Partial<Record<GuardEvent, number>>;
}

export interface Replies {
  scan: { findings: Finding[]; failMode: 'open' | 'closed' };
  mask: { text: string; replacements: Replacement[] };
  review: { verdict: Treatment; text: string; findings: ReviewedFinding[]; failMode: 'open' | 'closed' };
  report: object;
  decision: object;
  status: { engine: EngineStatus; tab: TabStatus | null; extensionVersion: string; admin?: AdminStatus };
}

export interface ErrorInfo {
  kind: string;
  message: string;
}

export type Failure = { ok: false; error: ErrorInfo };
export type Reply<T extends keyof Replies> = ({ ok: true } & Replies[T]) | Failure;

export function failure(kind: string, message: string): Failure {
  return { ok: false, error: { kind, message } };
}

/** Turns anything thrown into a Failure, keeping a `kind` when the error has one (wasm errors do). */
export function failureFrom(error: unknown, fallbackKind = 'internal'): Failure {
  if (error && typeof error === 'object') {
    const e = error as { kind?: unknown; message?: unknown };
    const kind = typeof e.kind === 'string' ? e.kind : fallbackKind;
    return failure(kind, typeof e.message === 'string' ? e.message : String(error));
  }
  return failure(fallbackKind, String(error));
}

// --- runtime guards -----------------------------------------------------------------------------

type Obj = Record<string, unknown>;

const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isText = (x: unknown): x is string => typeof x === 'string' && x.length <= MAX_TEXT_LENGTH;
const isCount = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 1e9;
/** Chrome's tab ids are not small: any non-negative safe integer. */
const isTabId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isList = (x: unknown, item: (y: unknown) => boolean): boolean =>
  Array.isArray(x) && x.length <= MAX_ITEMS && x.every(item);
const isSpan = (x: unknown): boolean => isObj(x) && isCount(x.start) && isCount(x.end) && x.start <= x.end;
const oneOf =
  <T extends string>(values: readonly T[]) =>
  (x: unknown): x is T =>
    typeof x === 'string' && (values as readonly string[]).includes(x);
const isAction = oneOf(ACTIONS);
const isCategory = oneOf(CATEGORIES);
const isConfidence = oneOf(['low', 'medium', 'high'] as const);
const isShort = (x: unknown, max = 500): x is string => typeof x === 'string' && x.length <= max;
const isStage = oneOf(STAGES);
const isEvent = oneOf(GUARD_EVENTS);
const isDecision = oneOf(AUDIT_DECISIONS);
const isDecisionFinding = (x: unknown): boolean =>
  isObj(x) &&
  onlyKeys(x, ['ruleId', 'entity', 'category', 'confidence', 'action', 'start', 'end']) &&
  isShort(x.ruleId, 200) &&
  isShort(x.entity, 200) &&
  isShort(x.category, 50) &&
  isShort(x.confidence, 20) &&
  isShort(x.action, 20) &&
  (x.start === undefined || isCount(x.start)) &&
  (x.end === undefined || isCount(x.end));

/** Only the listed keys (plus `type`) may be present. */
const onlyKeys = (x: Obj, keys: string[]): boolean => Object.keys(x).every((k) => k === 'type' || keys.includes(k));

export function isSiteHealth(x: unknown): x is SiteHealth {
  return (
    isObj(x) &&
    typeof x.composer === 'boolean' &&
    typeof x.sendControl === 'boolean' &&
    typeof x.wireGuard === 'boolean' &&
    isList(x.problems, (p) => typeof p === 'string' && p.length <= 500) &&
    (x.problems as unknown[]).length <= 20
  );
}

export function isContentToBackground(x: unknown): x is ContentToBackground {
  if (!isObj(x)) return false;
  switch (x.type) {
    case 'scan':
      return onlyKeys(x, ['text']) && isText(x.text);
    case 'mask':
      return (
        onlyKeys(x, ['text', 'spans', 'actions']) &&
        isText(x.text) &&
        (x.spans === undefined || isList(x.spans, isSpan)) &&
        (x.actions === undefined || isList(x.actions, isAction))
      );
    case 'review':
      return (
        onlyKeys(x, ['text', 'stage', 'approved']) &&
        isText(x.text) &&
        isStage(x.stage) &&
        isList(x.approved, (v) => typeof v === 'string' && v.length <= 65_536)
      );
    case 'decision':
      return (
        onlyKeys(x, ['decision', 'stage', 'findings', 'text', 'justification']) &&
        isDecision(x.decision) &&
        (x.stage === 'send' || x.stage === 'upload' || x.stage === 'preflight') &&
        Array.isArray(x.findings) &&
        x.findings.length <= MAX_DECISION_FINDINGS &&
        x.findings.every(isDecisionFinding) &&
        (x.text === undefined || isText(x.text)) &&
        (x.justification === undefined || isShort(x.justification, 10_000))
      );
    case 'report':
      return (
        onlyKeys(x, ['health', 'findings', 'event', 'count']) &&
        (x.health === undefined || isSiteHealth(x.health)) &&
        (x.findings === undefined || isCount(x.findings)) &&
        (x.event === undefined || isEvent(x.event)) &&
        (x.count === undefined || isCount(x.count))
      );
    default:
      return false;
  }
}

export function isPageToBackground(x: unknown): x is PageToBackground {
  return isObj(x) && x.type === 'status' && onlyKeys(x, ['tabId']) && (x.tabId === undefined || isTabId(x.tabId));
}

/** A reply of the right shape for `type`: `ok` plus the fields that type promises, or a Failure. */
export function isReply<T extends keyof Replies>(type: T, x: unknown): x is Reply<T> {
  if (!isObj(x)) return false;
  if (x.ok === false) return isObj(x.error) && typeof x.error.kind === 'string' && typeof x.error.message === 'string';
  if (x.ok !== true) return false;
  switch (type) {
    case 'scan':
      return Array.isArray(x.findings) && (x.failMode === 'open' || x.failMode === 'closed');
    case 'mask':
      return typeof x.text === 'string' && Array.isArray(x.replacements);
    case 'review':
      return (
        typeof x.text === 'string' &&
        (x.verdict === 'pass' || x.verdict === 'mask' || x.verdict === 'refuse') &&
        Array.isArray(x.findings)
      );
    case 'decision':
    case 'report':
      return true;
    case 'status':
      return isObj(x.engine) && typeof x.extensionVersion === 'string';
    default:
      return false;
  }
}

export function isFileFinding(x: unknown): x is FileFinding {
  return (
    isObj(x) &&
    isShort(x.ruleId, 200) &&
    isShort(x.description) &&
    isShort(x.entity, 200) &&
    isCategory(x.category) &&
    isConfidence(x.confidence) &&
    typeof x.score === 'number' &&
    isAction(x.action) &&
    isShort(x.location) &&
    isShort(x.preview)
  );
}

/** A report as the engine returns it; anything else (a changed engine API) is rejected, not guessed at. */
export function isFileReport(x: unknown): x is FileReport {
  return (
    isObj(x) &&
    isShort(x.format, 100) &&
    typeof x.inspectable === 'boolean' &&
    (x.reason === null || x.reason === undefined || isShort(x.reason, 2000)) &&
    isList(x.findings, isFileFinding) &&
    typeof x.sanitizable === 'boolean' &&
    isCount(x.textBytes)
  );
}
