// The one message contract between the extension's contexts (content script, popup, options) and the
// service worker. Messages carry data, never Error objects: every reply is `{ ok: true, … }` or
// `{ ok: false, error: { kind, message } }`. Everything that arrives is checked by a runtime guard
// before use, and every text is bounded.

import {
  ACTIONS,
  type Action,
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
  | 'preflight-masked';

export const GUARD_EVENTS: readonly GuardEvent[] = [
  'masked',
  'blocked',
  'warned',
  'sent-anyway',
  'ignored',
  'wire-masked',
  'wire-refused',
  'preflight-masked',
];

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

export type ContentToBackground = ScanRequest | MaskRequest | ReviewRequest | ReportRequest;

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
  status: { engine: EngineStatus; tab: TabStatus | null; extensionVersion: string };
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
const isStage = oneOf(STAGES);
const isEvent = oneOf(GUARD_EVENTS);

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
    case 'report':
      return true;
    case 'status':
      return isObj(x.engine) && typeof x.extensionVersion === 'string';
    default:
      return false;
  }
}
