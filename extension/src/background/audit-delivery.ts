// Sends queued audit events to the administrator's collector, in batches, with retry and exponential
// back-off, to the configured endpoint only.
//
// The design decision to know: a batch leaves the queue only after the collector answered 2xx, so a
// worker that stops mid-request, a collector that is down, a 5xx, a 401 — all mean "send it again
// later" (at-least-once; collectors de-duplicate by event id). Waiting uses a short in-worker timer
// while the worker lives and an alarm as the durable backstop (the worker may be stopped, and alarms
// fire after at least 30 s in Chrome). Requests carry no cookies and do not follow redirects, so the
// events and the auth header go to the configured URL and nowhere else.

import { DEFAULT_MAX_QUEUE } from './audit-event';
import { type AuditFormat, AUDIT_FORMATS, auditBody } from './audit-format';
import type { AuditQueue } from './audit-queue';

export type { AuditFormat } from './audit-format';

/** The policy's audit settings (managed-policy.ts `effectivePolicy().audit`). */
export interface AuditConfig {
  /** Where events are POSTed: `https://…` (or `http://` to a loopback address). */
  endpoint: string;
  format: AuditFormat;
  /** The whole `Authorization` header value (`Splunk <token>`, `ApiKey …`, `Bearer …`). */
  authHeader?: string;
  /** Secret for the keyed hash of matched values; no hash when unset. */
  hashKey?: string;
  /** Events per request (1–1000, default 100). */
  batchSize?: number;
  /** Events kept while the collector is unreachable (default 10,000). */
  maxQueue?: number;
  /** Whether a `justify` reason typed by the user is sent (default: no). */
  includeJustification?: boolean;
}

export interface DeliveryStatus {
  endpoint: string | null;
  /** Events delivered since the worker started. */
  delivered: number;
  batches: number;
  failures: number;
  lastAttempt: number | null;
  lastSuccess: number | null;
  lastError: string | null;
  nextAttempt: number | null;
}

export const DEFAULT_BATCH_SIZE = 100;
export const MAX_BATCH_SIZE = 1000;
/** New events wait this long for company before a request is made. */
export const FLUSH_DELAY_MS = 1000;
export const BACKOFF_BASE_MS = 2000;
export const BACKOFF_MAX_MS = 5 * 60_000;
export const REQUEST_TIMEOUT_MS = 30_000;

export interface AuditDeliveryDeps {
  queue: AuditQueue;
  config: () => AuditConfig | undefined;
  fetch: typeof fetch;
  /** Wakes the worker for a retry at `when` (ms since the epoch); `undefined` cancels. */
  wakeAt: (when: number | undefined) => void;
  now?: (() => number) | undefined;
  /** 0–1; back-off is multiplied by 0.8–1.2 to spread many browsers' retries. */
  random?: () => number;
}

/** The reason `endpoint` cannot be used, or null when it can. */
export function endpointProblem(endpoint: unknown): string | null {
  if (typeof endpoint !== 'string' || !endpoint) return 'no audit endpoint is configured';
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `the audit endpoint "${endpoint.slice(0, 200)}" is not a URL: set a full https:// URL in the policy`;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return null;
  return `the audit endpoint must use https:// (plain http:// only to a loopback address), not ${url.protocol}//${url.host}`;
}

export class AuditDelivery {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private running: Promise<DeliveryStatus> | undefined;
  private again = false;
  private stopped = false;
  private batchLimit = MAX_BATCH_SIZE;
  private state: DeliveryStatus = {
    endpoint: null,
    delivered: 0,
    batches: 0,
    failures: 0,
    lastAttempt: null,
    lastSuccess: null,
    lastError: null,
    nextAttempt: null,
  };

  constructor(private readonly deps: AuditDeliveryDeps) {}

  status(): DeliveryStatus {
    return { ...this.state, endpoint: this.deps.config()?.endpoint ?? null };
  }

  /**
   * Delivers within `delayMs` — or at the next retry time while backing off after a failure, unless
   * `force` (the retry alarm fired, the policy changed).
   */
  soon(delayMs = FLUSH_DELAY_MS, force = false): void {
    if (this.stopped) return;
    const now = this.now();
    let at = now + delayMs;
    if (!force && this.state.nextAttempt !== null) at = Math.max(at, this.state.nextAttempt);
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer !== undefined && this.timerAt <= at) return;
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      void this.drain();
    }, at - now);
  }

  /** Cancels the pending attempt (audit switched off, or the worker replaced this instance). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    this.stopped = true;
  }

  /** Forget the failures (the endpoint may have changed). */
  resetBackoff(): void {
    this.state.failures = 0;
    this.state.nextAttempt = null;
    this.batchLimit = MAX_BATCH_SIZE;
  }

  /** Sends batch after batch until the queue is empty or a request fails. */
  drain(): Promise<DeliveryStatus> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.sendAll().finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        this.soon();
      }
    });
    return this.running;
  }

  private async sendAll(): Promise<DeliveryStatus> {
    for (;;) {
      const config = this.deps.config();
      if (!config) return this.status();
      const problem = endpointProblem(config.endpoint);
      if (problem || !AUDIT_FORMATS.includes(config.format)) {
        // A policy mistake: nothing can be sent until it is fixed; the policy change will wake us.
        this.state.lastError = problem ?? `unknown audit format "${String(config.format)}": use ecs-jsonl or splunk-hec`;
        this.wake(undefined);
        return this.status();
      }
      const size = Math.min(this.batchLimit, clamp(config.batchSize ?? DEFAULT_BATCH_SIZE, 1, MAX_BATCH_SIZE));
      const { events, upTo } = await this.deps.queue.peek(size);
      const maxQueue = config.maxQueue ?? DEFAULT_MAX_QUEUE;
      if (!events.length) {
        await this.deps.queue.removeUpTo(upTo, maxQueue); // entries storage lost, if any
        this.state.nextAttempt = null;
        this.wake(undefined);
        return this.status();
      }
      this.state.lastAttempt = this.now();
      const error = await this.post(config, events);
      if (error) {
        this.failed(error);
        return this.status();
      }
      await this.deps.queue.removeUpTo(upTo, maxQueue);
      this.state.delivered += events.length;
      this.state.batches++;
      this.state.failures = 0;
      this.state.nextAttempt = null;
      this.state.lastSuccess = this.now();
      this.state.lastError = null;
    }
  }

  /** One POST; the error in words, or null when the collector took the batch. */
  private async post(config: AuditConfig, events: Parameters<typeof auditBody>[0]): Promise<string | null> {
    const { body, contentType } = auditBody(events, config.format);
    const headers: Record<string, string> = { 'Content-Type': contentType };
    const auth = config.authHeader?.trim();
    if (auth) headers.Authorization = config.format === 'splunk-hec' && !auth.includes(' ') ? `Splunk ${auth}` : auth;
    try {
      const response = await this.deps.fetch(config.endpoint, {
        method: 'POST',
        headers,
        body,
        credentials: 'omit',
        redirect: 'error',
        cache: 'no-store',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      if (response.ok) return null;
      if (response.status === 413 && this.batchLimit > 1) this.batchLimit = Math.max(1, Math.floor(events.length / 2));
      const hint =
        response.status === 401 || response.status === 403
          ? ' (check the audit auth header in the policy)'
          : response.status === 404
            ? ' (check the audit endpoint URL in the policy)'
            : '';
      return `the collector answered HTTP ${response.status}${hint}`;
    } catch (e) {
      const name = (e as { name?: string })?.name;
      if (name === 'TimeoutError') return `the collector did not answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
      return `could not reach the collector (${(e as Error)?.message ?? String(e)})`;
    }
  }

  private failed(error: string): void {
    this.state.failures++;
    this.state.lastError = error;
    const base = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.min(this.state.failures - 1, 20));
    const delay = Math.round(base * (0.8 + 0.4 * (this.deps.random ?? Math.random)()));
    this.state.nextAttempt = this.now() + delay;
    this.wake(this.state.nextAttempt);
    this.soon(delay, true);
  }

  private wake(when: number | undefined): void {
    try {
      this.deps.wakeAt(when);
    } catch {
      // No alarm: the in-worker timer and the next event or browser start still retry.
    }
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.floor(n))) : lo;
}
