// The content script's way to the service worker: typed requests, bounded waits, and failures as data.
// A worker that is starting, restarting or gone (the extension was updated under this page) answers
// with a Failure of kind `unavailable`, never an exception.
//
// Requests go over one long-lived port rather than a `sendMessage` each: while typing, every keystroke
// asks for a scan, and a port saves opening a message channel per request. The worker closes ports
// when it stops; the next request reconnects (which starts it again), and a request caught by the
// disconnect is sent once more.

import { type ContentToBackground, failure, isReply, type Reply } from '../shared/messages';
import { isRulesChanged, PORT_NAME, type PortReply } from '../shared/port';

/** Most requests answer in milliseconds; a cold worker compiling its rules takes up to a few seconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** The most requests waiting for an answer; more fail at once (nothing queues without bound). */
export const MAX_PENDING = 64;

/** The part of a runtime Port the client uses (so tests can pass a fake). */
export interface PortLike {
  postMessage(message: unknown): void;
  onMessage: { addListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

type Connect = () => PortLike;

const DISCONNECTED = 'disconnected';

export class BackgroundClient {
  private port: PortLike | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (reply: unknown) => void>();
  private readonly rulesListeners: (() => void)[] = [];

  constructor(private readonly connect: Connect = () => chrome.runtime.connect({ name: PORT_NAME })) {}

  async ask<T extends ContentToBackground>(message: T, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Reply<T['type']>> {
    const first = await this.once(message, timeoutMs);
    if (!first.ok && first.error.kind === DISCONNECTED) {
      const second = await this.once(message, timeoutMs);
      if (!second.ok && second.error.kind === DISCONNECTED) return failure('unavailable', 'the service worker is not reachable');
      return second;
    }
    return first;
  }

  private once<T extends ContentToBackground>(message: T, timeoutMs: number): Promise<Reply<T['type']>> {
    if (this.pending.size >= MAX_PENDING) return Promise.resolve(failure('busy', 'too many requests waiting'));
    let port: PortLike;
    try {
      port = this.ensurePort();
    } catch (e) {
      return Promise.resolve(failure('unavailable', e instanceof Error ? e.message : String(e)));
    }
    const id = this.nextId++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle(failure('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
      const settle = (reply: unknown) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(isReply(message.type, reply) ? reply : failure('bad-reply', 'the service worker sent a malformed reply'));
      };
      this.pending.set(id, settle);
      try {
        port.postMessage({ id, message });
      } catch {
        this.drop(port);
      }
    });
  }

  /** Calls `cb` when the worker says a new rule set is in use (open tabs scan again, no reload). */
  onRulesChanged(cb: () => void): void {
    this.rulesListeners.push(cb);
  }

  private ensurePort(): PortLike {
    if (this.port) return this.port;
    const port = this.connect();
    port.onMessage.addListener((data) => {
      if (isRulesChanged(data)) {
        for (const cb of this.rulesListeners) cb();
        return;
      }
      const { id, reply } = (data ?? {}) as Partial<PortReply>;
      if (typeof id === 'number') this.pending.get(id)?.(reply);
    });
    port.onDisconnect.addListener(() => this.drop(port));
    this.port = port;
    return port;
  }

  /** The port closed: everything waiting on it is answered `disconnected` (and retried once). */
  private drop(port: PortLike): void {
    if (this.port === port) this.port = null;
    for (const settle of [...this.pending.values()]) settle(failure(DISCONNECTED, 'the service worker closed the connection'));
  }
}
