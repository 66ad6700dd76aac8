// The network veto (Firefox): a second wire layer, in the browser's network stack, under the page-world
// request guard.
//
// The page-world guard wraps `fetch` and `XMLHttpRequest` of the page's main frame, so it sees what the
// app sends — but not a request made from a context it does not wrap (a fresh same-origin frame's own
// `fetch`, a worker, a request the app makes in a way the guard does not know yet). Firefox keeps
// blocking `webRequest` in Manifest V3, so there the background reads the body of every request to the
// prompt and preflight endpoints before it leaves and cancels one that still carries an unmasked value
// the policy never lets out:
//   - `prepare` (the typing preflight): any finding the policy does not `allow` — the page-world guard
//     masks every one of them, so one left means the guard never saw the request;
//   - `conversation` (the sent prompt): `mask` and `block` findings — a `warn` may go out after the
//     user answered "Send anyway", which only the content script knows, so the veto lets it pass.
// It uses the same engine and policy as everything else in the background. Chrome MV3 offers blocking
// webRequest only to policy-installed extensions, so the Chrome build does not ask for it and this
// layer is simply not installed there.

import { classifyRequest, type GuardedKind } from '../shared/chatgpt-endpoints';
import type { FailMode, Finding } from '../shared/findings';

/** Bodies larger than this are not read: the request follows the fail mode. */
export const MAX_VETO_BODY_BYTES = 4 * 1024 * 1024;
/** Depth and count bounds for walking a JSON body's string values. */
const MAX_JSON_DEPTH = 64;
const MAX_JSON_STRINGS = 100_000;

/** The part of Firefox's `webRequest.onBeforeRequest` details the veto reads. */
export interface VetoRequestDetails {
  url: string;
  method: string;
  requestId?: string;
  requestBody?: {
    error?: string;
    raw?: { bytes?: ArrayBuffer; file?: string }[];
    formData?: Record<string, string[]>;
  } | null;
}

export interface BlockingResponse {
  cancel?: boolean;
}

/** Firefox's `webRequest` as far as the veto uses it. */
export interface BlockingWebRequest {
  onBeforeRequest: {
    addListener(
      listener: (details: VetoRequestDetails) => BlockingResponse | Promise<BlockingResponse>,
      filter: { urls: string[]; types?: string[] },
      extraInfoSpec: string[],
    ): void;
  };
}

export interface VetoDeps {
  /** Resolves once the engine can scan (the background's `ready`). */
  ready: Promise<unknown>;
  /** The engine's findings for `text`, with the policy's action on each. */
  scan(text: string): Finding[];
  /** What to do with a request that cannot be checked. */
  failMode(): FailMode;
}

export interface VetoVerdict {
  cancel: boolean;
  /** Why, in words (no value from the request). */
  reason: string;
}

/** Counters for the popup and the tests. Never holds a request's content. */
export interface VetoStats {
  checked: number;
  refused: number;
  lastReason: string | null;
}

/** The URL patterns of the guarded endpoints, for the listener's filter. */
export const VETO_URLS: readonly string[] = ['https://chatgpt.com/backend-api/*', 'https://chat.openai.com/backend-api/*'];

/**
 * The text the engine should see in a body: every string value of a JSON body (so `\u` escapes and
 * nesting hide nothing), one per line, or the body itself when it is not JSON.
 */
export function bodyText(raw: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return raw;
  }
  const out: string[] = [];
  const stack: [unknown, number][] = [[parsed, 0]];
  while (stack.length) {
    const [value, depth] = stack.pop() as [unknown, number];
    if (typeof value === 'string') {
      out.push(value);
      if (out.length > MAX_JSON_STRINGS) return raw; // absurd shape: scan the raw text instead
    } else if (value && typeof value === 'object' && depth < MAX_JSON_DEPTH) {
      const children = Array.isArray(value) ? value : Object.entries(value).flat();
      for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], depth + 1]);
    } else if (value && typeof value === 'object') {
      return raw;
    }
  }
  return out.join('\n');
}

/** Whether a request of `kind` may carry a finding with `action` unmasked (see the module comment). */
export function mayCarry(kind: GuardedKind, action: Finding['action']): boolean {
  if (action === 'allow') return true;
  return kind === 'conversation' && action === 'warn';
}

/** The veto's decision on one body. */
export function decide(kind: GuardedKind, body: string, scan: (text: string) => Finding[]): VetoVerdict {
  const findings = scan(bodyText(body));
  const leaking = findings.filter((f) => !mayCarry(kind, f.action));
  if (!leaking.length) return { cancel: false, reason: `${kind}: nothing the policy keeps back` };
  const entities = [...new Set(leaking.map((f) => f.entity))].slice(0, 5).join(', ');
  return { cancel: true, reason: `${kind}: refused, it carries an unmasked ${entities} (${leaking[0]?.action})` };
}

/**
 * The body of a request as text, `''` when it has none, or null when it cannot be read whole (an
 * upload of a file, a read error, or more than MAX_VETO_BODY_BYTES).
 */
export function readRequestBody(body: VetoRequestDetails['requestBody']): string | null {
  if (!body) return '';
  if (body.error) return null;
  if (body.formData) {
    const values = Object.entries(body.formData).flatMap(([k, vs]) => [k, ...vs]);
    const size = values.reduce((n, v) => n + v.length, 0);
    return size > MAX_VETO_BODY_BYTES ? null : values.join('\n');
  }
  if (!body.raw) return '';
  let size = 0;
  const parts: Uint8Array[] = [];
  for (const part of body.raw) {
    if (part.file !== undefined || !part.bytes) return null;
    size += part.bytes.byteLength;
    if (size > MAX_VETO_BODY_BYTES) return null;
    parts.push(new Uint8Array(part.bytes));
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new TextDecoder().decode(all);
}

/**
 * Registers the veto on `webRequest` (call at the top level, so Firefox wakes the background for it).
 * Returns its counters.
 */
export function installNetworkVeto(webRequest: BlockingWebRequest, deps: VetoDeps): VetoStats {
  const stats: VetoStats = { checked: 0, refused: 0, lastReason: null };
  const refuse = (reason: string): BlockingResponse => {
    stats.refused++;
    stats.lastReason = reason;
    return { cancel: true };
  };
  webRequest.onBeforeRequest.addListener(
    (details) => {
      const kind = classifyRequest(details.url, details.method, details.url);
      if (!kind) return {};
      stats.checked++;
      const body = readRequestBody(details.requestBody);
      if (body === null) {
        if (deps.failMode() === 'open') return {};
        return refuse(`${kind}: refused, its body could not be read whole (fail mode closed)`);
      }
      return deps.ready
        .then(() => decide(kind, body, (text) => deps.scan(text)))
        .then(
          (verdict): BlockingResponse => {
            if (!verdict.cancel) return {};
            return refuse(verdict.reason);
          },
          (): BlockingResponse => {
            if (deps.failMode() === 'open') return {};
            return refuse(`${kind}: refused, the engine could not check it (fail mode closed)`);
          },
        );
    },
    { urls: [...VETO_URLS] },
    ['blocking', 'requestBody'],
  );
  return stats;
}

/** Firefox's blocking webRequest, when this build has it (the Chrome build does not ask for it). */
export function blockingWebRequest(): BlockingWebRequest | null {
  const api = (globalThis as { browser?: { webRequest?: unknown }; chrome?: { webRequest?: unknown } });
  const webRequest = api.browser?.webRequest ?? null;
  const permissions = chrome.runtime.getManifest().permissions ?? [];
  if (!webRequest || !permissions.includes('webRequestBlocking')) return null;
  return webRequest as BlockingWebRequest;
}
