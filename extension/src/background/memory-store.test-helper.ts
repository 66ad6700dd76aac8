// An in-memory stand-in for chrome.storage.local for the audit unit tests (node has no extension
// storage): values are copied in and out, as the browser does.

import type { KeyValueStore } from './audit-queue';

/** chrome.storage.local's behaviour: values are copied in and out. */
export function memoryStore(): KeyValueStore & { data: Map<string, unknown>; writes: number } {
  const data = new Map<string, unknown>();
  const store = {
    data,
    writes: 0,
    async get(keys: string | string[]) {
      const out: Record<string, unknown> = {};
      for (const k of typeof keys === 'string' ? [keys] : keys) if (data.has(k)) out[k] = structuredClone(data.get(k));
      return out;
    },
    async set(items: Record<string, unknown>) {
      store.writes++;
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys: string | string[]) {
      for (const k of typeof keys === 'string' ? [keys] : keys) data.delete(k);
    },
  };
  return store;
}

