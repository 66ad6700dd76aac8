// The audit queue: events waiting for the collector, persisted in extension storage so that they
// survive the worker being stopped and the browser being restarted, and bounded.
//
// The design decision to know: each event is its own storage key (`audit.event.<n>`) with a small
// index (`audit.queue` = head, tail, dropped) written in the same `set` call, so appending costs one
// small write however long the queue is, and a batch is read by key range. When the queue holds
// `maxQueue` events, each new event pushes out the oldest, and the index counts them; after the next
// delivered batch one `queue-overflow` event saying how many were dropped, and when, is queued —
// nothing is dropped silently, and the count survives restarts. All operations run one after another (one promise chain): the worker is the only writer.

import type { AuditEvent } from './audit-event';

/** The part of `chrome.storage.local` the queue uses. */
export interface KeyValueStore {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export const INDEX_KEY = 'audit.queue';
const EVENT_PREFIX = 'audit.event.';

interface Index {
  /** Sequence number of the oldest queued event. */
  head: number;
  /** Sequence number the next event gets. */
  tail: number;
  /** Events dropped because the queue was full, since the last overflow event. */
  dropped: number;
  firstDrop: number;
  lastDrop: number;
}

export interface AuditQueueOptions {
  /** Builds the event that reports `count` dropped events (dropped between `first` and `last`). */
  overflowEvent: (count: number, first: number, last: number) => AuditEvent;
  now?: (() => number) | undefined;
}

export class AuditQueue {
  private index: Index | undefined;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: KeyValueStore,
    private readonly options: AuditQueueOptions,
  ) {}

  /** Stores `events` in order; beyond `maxQueue` the oldest queued events are dropped and counted. */
  append(events: AuditEvent[], maxQueue: number): Promise<void> {
    return this.serial(async () => {
      const index = await this.load();
      const items: Record<string, unknown> = {};
      this.addOverflow(index, items, maxQueue);
      const now = (this.options.now ?? Date.now)();
      const droppedKeys: string[] = [];
      for (const event of events) {
        items[EVENT_PREFIX + index.tail++] = event;
        while (index.tail - index.head > maxQueue) {
          // Full: the oldest event goes (the recent ones matter most to whoever reads the SIEM).
          const key = EVENT_PREFIX + index.head++;
          if (key in items) delete items[key];
          else droppedKeys.push(key);
          if (index.dropped === 0) index.firstDrop = now;
          index.dropped++;
          index.lastDrop = now;
        }
      }
      await this.save(index, items);
      if (droppedKeys.length) await this.store.remove(droppedKeys);
    });
  }

  /** Counts events that were lost before they reached the queue (e.g. the worker's early buffer). */
  countDropped(count: number, maxQueue: number): Promise<void> {
    return this.serial(async () => {
      const index = await this.load();
      const now = (this.options.now ?? Date.now)();
      if (index.dropped === 0) index.firstDrop = now;
      index.dropped += count;
      index.lastDrop = now;
      const items: Record<string, unknown> = {};
      this.addOverflow(index, items, maxQueue);
      await this.save(index, items);
    });
  }

  /** The oldest `n` events (fewer when fewer are queued), with the position to pass to `removeUpTo`. */
  peek(n: number): Promise<{ events: AuditEvent[]; upTo: number }> {
    return this.serial(async () => {
      const index = await this.load();
      const end = Math.min(index.tail, index.head + Math.max(0, n));
      const keys = range(index.head, end).map((i) => EVENT_PREFIX + i);
      const stored = keys.length ? await this.store.get(keys) : {};
      // A key can be missing only if storage lost it; skipping keeps the queue moving.
      const events = keys.map((k) => stored[k]).filter((e): e is AuditEvent => isEvent(e));
      return { events, upTo: end };
    });
  }

  /** Removes the events before position `upTo` (they were delivered); adds an overflow event if due. */
  removeUpTo(upTo: number, maxQueue: number): Promise<void> {
    return this.serial(async () => {
      const index = await this.load();
      const end = Math.min(upTo, index.tail);
      if (end <= index.head) return;
      const keys = range(index.head, end).map((i) => EVENT_PREFIX + i);
      index.head = end;
      const items: Record<string, unknown> = {};
      this.addOverflow(index, items, maxQueue);
      // Index first: if the worker stops in between, stale keys are only garbage, never re-sent.
      await this.save(index, items);
      await this.store.remove(keys);
    });
  }

  /** Forgets everything queued (audit was switched off). */
  clear(): Promise<void> {
    return this.serial(async () => {
      const index = await this.load();
      const keys = range(index.head, index.tail).map((i) => EVENT_PREFIX + i);
      this.index = { head: index.tail, tail: index.tail, dropped: 0, firstDrop: 0, lastDrop: 0 };
      await this.store.set({ [INDEX_KEY]: this.index });
      if (keys.length) await this.store.remove(keys);
    });
  }

  stats(): Promise<{ size: number; dropped: number }> {
    return this.serial(async () => {
      const index = await this.load();
      return { size: index.tail - index.head, dropped: index.dropped };
    });
  }

  private addOverflow(index: Index, items: Record<string, unknown>, maxQueue: number): void {
    if (index.dropped > 0 && index.tail - index.head < maxQueue) {
      items[EVENT_PREFIX + index.tail++] = this.options.overflowEvent(index.dropped, index.firstDrop, index.lastDrop);
      index.dropped = 0;
    }
  }

  private async load(): Promise<Index> {
    if (this.index) return this.index;
    const stored = (await this.store.get(INDEX_KEY))[INDEX_KEY];
    this.index = isIndex(stored) ? { ...stored } : { head: 0, tail: 0, dropped: 0, firstDrop: 0, lastDrop: 0 };
    return this.index;
  }

  private async save(index: Index, items: Record<string, unknown>): Promise<void> {
    try {
      await this.store.set({ ...items, [INDEX_KEY]: { ...index } });
    } catch (e) {
      // Not written (storage full or gone): re-read the index next time rather than trust memory.
      this.index = undefined;
      throw e;
    }
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const run = this.chain.then(job, job);
    this.chain = run.catch(() => {});
    return run;
  }
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

function isIndex(x: unknown): x is Index {
  const i = x as Partial<Index> | null;
  return (
    typeof i === 'object' &&
    i !== null &&
    Number.isSafeInteger(i.head) &&
    Number.isSafeInteger(i.tail) &&
    (i.head as number) <= (i.tail as number) &&
    Number.isSafeInteger(i.dropped) &&
    typeof i.firstDrop === 'number' &&
    typeof i.lastDrop === 'number'
  );
}

function isEvent(x: unknown): x is AuditEvent {
  const e = x as Partial<AuditEvent> | null;
  return typeof e === 'object' && e !== null && typeof e.id === 'string' && typeof e.type === 'string' && typeof e.time === 'number';
}
