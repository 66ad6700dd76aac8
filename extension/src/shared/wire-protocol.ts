// The private channel between the page-world request guard and the content script: a MessagePort the
// content script creates and hands over once, at document_start, before any page script runs.
//
// The design decision to know: the page can see and tamper with page-world code, so the protocol gives
// it nothing it does not already have. The guard sends a request body; the content script answers with
// the body to send (masked or unchanged) or a bare refusal — never findings, rule ids or reasons.

import type { FailMode } from './findings';
import type { GuardedKind } from './chatgpt-endpoints';

/** The `window.postMessage` payload that carries the port. */
export const HANDSHAKE_KEY = '__promptwardenWireV1';
/** The largest body the guard hands over; a larger one follows the fail mode. */
export const MAX_BODY_LENGTH = 8_000_000;
/** How long the guard waits for an answer before following the fail mode. */
export const ANSWER_TIMEOUT_MS = 8_000;
/** How long a request waits for the port to arrive (page scripts may fetch very early). */
export const PORT_TIMEOUT_MS = 3_000;
/** The most requests waiting for an answer at once; more follow the fail mode. */
export const MAX_PENDING = 32;

/** page → content: a body to decide on. */
export interface WireRequest {
  t: 'request';
  id: number;
  kind: GuardedKind;
  body: string;
}

/** page → content: the guard took the port and wraps fetch and XHR. */
export interface WireReady {
  t: 'ready';
}

/** content → page. `cleared`: a file the upload guard let through, by size and SHA-256 (hex). */
export type WireMessage =
  | { t: 'config'; failMode: FailMode }
  | { t: 'cleared'; size: number; sha256: string }
  | { t: 'answer'; id: number; body: string }
  | { t: 'answer'; id: number; refused: true };

export type WireDecision = { body: string } | { refused: true };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;
const isId = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x > 0;

export function isWireRequest(x: unknown): x is WireRequest {
  return (
    isObj(x) &&
    x.t === 'request' &&
    isId(x.id) &&
    (x.kind === 'prepare' || x.kind === 'conversation') &&
    typeof x.body === 'string' &&
    x.body.length <= MAX_BODY_LENGTH
  );
}

export function isWireReady(x: unknown): x is WireReady {
  return isObj(x) && x.t === 'ready';
}

export function isWireMessage(x: unknown): x is WireMessage {
  if (!isObj(x)) return false;
  if (x.t === 'config') return x.failMode === 'open' || x.failMode === 'closed';
  if (x.t === 'cleared') {
    return typeof x.size === 'number' && Number.isSafeInteger(x.size) && x.size >= 0 && typeof x.sha256 === 'string' && /^[0-9a-f]{64}$/.test(x.sha256);
  }
  if (x.t !== 'answer' || !isId(x.id)) return false;
  return typeof x.body === 'string' || x.refused === true;
}

/** The handshake message: `{[HANDSHAKE_KEY]: true}` with exactly one port. */
export function isHandshake(data: unknown, ports: readonly MessagePort[]): boolean {
  return isObj(data) && data[HANDSHAKE_KEY] === true && ports.length === 1;
}
