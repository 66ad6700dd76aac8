// The long-lived connection content scripts use for their requests (see content/background-client.ts):
// each request carries an id, and its reply comes back with the same id. The worker may also send a
// notice, with no id: the rules changed, so what is on screen should be scanned again.

export const PORT_NAME = 'promptwarden';

export interface PortRequest {
  id: number;
  message: unknown;
}

export interface PortReply {
  id: number;
  reply: unknown;
}

/** Sent by the worker on every open port when a new rule set or policy is in use. */
export const RULES_CHANGED = { notice: 'rules-changed' } as const;

export function isRulesChanged(x: unknown): boolean {
  return typeof x === 'object' && x !== null && (x as { notice?: unknown }).notice === RULES_CHANGED.notice;
}

export function isPortRequest(x: unknown): x is PortRequest {
  const r = x as Partial<PortRequest> | null;
  return typeof r === 'object' && r !== null && typeof r.id === 'number' && Number.isSafeInteger(r.id) && 'message' in r;
}
