// The long-lived connection content scripts use for their requests (see content/background-client.ts):
// each request carries an id, and its reply comes back with the same id.

export const PORT_NAME = 'promptwarden';

export interface PortRequest {
  id: number;
  message: unknown;
}

export interface PortReply {
  id: number;
  reply: unknown;
}

export function isPortRequest(x: unknown): x is PortRequest {
  const r = x as Partial<PortRequest> | null;
  return typeof r === 'object' && r !== null && typeof r.id === 'number' && Number.isSafeInteger(r.id) && 'message' in r;
}
