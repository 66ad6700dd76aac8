// Keeps the engine's rules current: the administrator's signed rule bundle is fetched on a schedule and
// whenever the policy changes, verified, compiled and swapped in, then kept as last-known-good.
//
// The design decision to know: nothing unverified ever reaches the engine, and nothing that failed
// replaces what works. Sources, most specific first: inline policy rules, the bundle from the policy's
// URL(s) (mirrors, tried in order), the last-known-good bundle (chrome.storage.local) while no newer one
// verifies, and the built-in packs underneath all of them. A rejected bundle — bad signature, unknown
// key, older than last-known-good, expired, invalid rules, too large — leaves the engine as it was; the
// reason is kept for the popup and sent as an audit event. Open tabs scan through this worker, so their
// next scan already uses the new rules (no reload), and `announce` tells them to scan again at once.

import type { RuleSource } from './engine';
import { type BundleRules, compose, type Composition } from './engine-inputs';
import type { EffectivePolicy } from './managed-policy';

/** What wasm `verifyBundle` returns for a good bundle. */
export interface VerifiedBundle {
  version: number;
  keyId: string;
  issuedAt: number;
  expiresAt: number | null;
  rules: RuleSource[];
  policy: Record<string, unknown> | null;
  disabledRules: string[];
}

export type VerifyBundle = (
  bytes: Uint8Array,
  options: { trustedKeys: { keyId: string; publicKey: string }[]; now: number; minVersion: number; maxBytes?: number },
) => VerifiedBundle | Promise<VerifiedBundle>;

/** The last bundle that verified and compiled, as stored. */
export interface LastKnownGood extends VerifiedBundle {
  url: string;
  /** SHA-256 of the bundle file, hex: the same version with other bytes is refused. */
  sha256: string;
  etag: string | null;
  lastModified: string | null;
  /** When it was fetched (ms since the epoch). */
  fetchedAt: number;
}

export interface RulesError {
  kind: string;
  message: string;
  /** ms since the epoch. */
  at: number;
  url: string | null;
}

/** What the popup shows about rule updates. */
export interface RulesStatus {
  /** The bundle in use, or null (built-in rules only). */
  bundle: { version: number; keyId: string; url: string; issuedAt: number; expiresAt: number | null } | null;
  /** The last check of the bundle URL(s), whatever its outcome (ms since the epoch). */
  lastCheck: number | null;
  /** The last time a new rule set was put in use. */
  lastUpdate: number | null;
  lastError: RulesError | null;
  /** Inline rules from the policy are in use. */
  inline: boolean;
  /** Policy or bundle values that were ignored. */
  problems: string[];
}

/** An audit event about the rules (background/audit.ts). */
export interface RulesAudit {
  type: 'bundle-rejected' | 'bundle-applied';
  bundleUrl: string | null;
  bundleVersion: number | null;
  reason?: string;
  message?: string;
}

export interface UpdaterDeps {
  engine: { swap(inputs: Composition['inputs']): void };
  verify: VerifyBundle;
  fetch: typeof fetch;
  storage: { get(keys: string[]): Promise<Record<string, unknown>>; set(items: Record<string, unknown>): Promise<void> };
  builtin: () => Promise<{ version: string; rules: RuleSource[] }>;
  policy: () => EffectivePolicy;
  audit: (event: RulesAudit) => void;
  /** Asks to be woken for the periodic check and at `wakeAt` (an exemption ending); null cancels it. */
  schedule: (periodMinutes: number, wakeAt: number | null) => void;
  /** Tells open tabs the rules changed (they re-scan what is in the composer). */
  announce?: () => void;
  now?: () => number;
}

export const LKG_KEY = 'rules.lastKnownGood';
export const STATUS_KEY = 'rules.status';
/** The largest bundle fetched: larger ones are refused before they are read whole. */
export const MAX_BUNDLE_BYTES = 4 << 20;
const FETCH_TIMEOUT_MS = 30_000;

export class RuleUpdater {
  private lkg: LastKnownGood | null = null;
  private builtin: { version: string; rules: RuleSource[] } | null = null;
  private status: RulesStatus = { bundle: null, lastCheck: null, lastUpdate: null, lastError: null, inline: false, problems: [] };
  private running: Promise<void> | null = null;
  private again = false;
  private readonly now: () => number;

  constructor(private readonly deps: UpdaterDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** The inputs for the engine's first compile: built-in rules, last-known-good, the policy. */
  async initialInputs(): Promise<Composition['inputs']> {
    const [builtin, stored] = await Promise.all([this.deps.builtin(), this.deps.storage.get([LKG_KEY, STATUS_KEY]).catch(() => ({}) as Record<string, unknown>)]);
    this.builtin = builtin;
    this.lkg = isLastKnownGood(stored[LKG_KEY]) ? stored[LKG_KEY] : null;
    const saved = stored[STATUS_KEY] as Partial<RulesStatus> | undefined;
    if (saved && typeof saved === 'object') {
      this.status.lastCheck = typeof saved.lastCheck === 'number' ? saved.lastCheck : null;
      this.status.lastUpdate = typeof saved.lastUpdate === 'number' ? saved.lastUpdate : null;
      this.status.lastError = saved.lastError && typeof saved.lastError.kind === 'string' ? saved.lastError : null;
    }
    const bundle = this.lkgFor(this.deps.policy());
    const composition = this.compose(this.deps.policy(), false, bundle);
    this.note(composition, bundle);
    return composition.inputs;
  }

  getStatus(): RulesStatus {
    return structuredClone(this.status);
  }

  /** The bundle version in use (stamped on audit events). */
  bundleVersion(): string | null {
    return this.status.bundle ? String(this.status.bundle.version) : null;
  }

  /** Checks the bundle URL(s) when the last check is older than the policy's interval (a worker start). */
  checkIfDue(): Promise<void> {
    const last = this.status.lastCheck;
    const due = last === null || this.now() - last >= this.deps.policy().updateIntervalMinutes * 60_000;
    return due ? this.check() : Promise.resolve();
  }

  /** The policy changed: recompile with it, re-schedule, and check the bundle at once. */
  async policyChanged(): Promise<void> {
    this.recompile();
    await this.check();
  }

  /** Recompiles the current sources (an exemption ended, the policy changed). */
  recompile(): void {
    if (!this.builtin) return;
    const bundle = this.lkgFor(this.deps.policy());
    const composition = this.compose(this.deps.policy(), false, bundle);
    try {
      this.deps.engine.swap(composition.inputs);
    } catch (e) {
      // Inline rules are the likeliest culprit: keep the rest working without them.
      this.recordError(errorKind(e, 'invalid-rules'), `the policy's rules do not compile: ${errorMessage(e)}`, null);
      const fallback = this.compose(this.deps.policy(), true, bundle);
      try {
        this.deps.engine.swap(fallback.inputs);
        this.note(fallback, bundle);
      } catch {
        // Nothing better compiles: the rules in use stay.
      }
      return;
    }
    this.note(composition, bundle);
    this.deps.announce?.();
  }

  /** Checks the bundle URL(s) now. Concurrent calls share one run (and one more after it). */
  check(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.checkOnce();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async checkOnce(): Promise<void> {
    const policy = this.deps.policy();
    const urls = policy.ruleBundleUrls;
    if (!urls.length) {
      this.status.lastCheck = null;
      return;
    }
    if (!policy.trustedKeys.length) {
      this.recordError('unknown-key', 'the policy lists rule bundle URLs but no trustedKeys, so no bundle can be verified; add the public key `warden bundle keygen` printed', null);
      await this.persistStatus();
      return;
    }
    for (const url of urls) {
      const outcome = await this.tryUrl(url, policy);
      if (outcome === 'done') {
        // A mirror that could not be reached does not matter once another answered. (A rejected bundle
        // from a mirror stays shown: someone published or changed a bad file there.)
        if (this.status.lastError?.kind === 'fetch-failed') this.status.lastError = null;
        break;
      }
    }
    this.status.lastCheck = this.now();
    await this.persistStatus();
  }

  /** 'done': the URL answered with the bundle in use or a new good one; 'next': try the next mirror. */
  private async tryUrl(url: string, policy: EffectivePolicy): Promise<'done' | 'next'> {
    const headers: Record<string, string> = {};
    if (this.lkg?.url === url) {
      if (this.lkg.etag) headers['If-None-Match'] = this.lkg.etag;
      if (this.lkg.lastModified) headers['If-Modified-Since'] = this.lkg.lastModified;
    }
    let bytes: Uint8Array;
    let response: Response;
    try {
      response = await this.deps.fetch(url, { headers, cache: 'no-store', credentials: 'omit', redirect: 'follow', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
      if (response.status === 304) {
        this.clearErrorFor(url);
        return 'done';
      }
      if (!response.ok) throw Object.assign(new Error(`the server answered HTTP ${response.status}`), { kind: 'fetch-failed' });
      bytes = await readBounded(response, MAX_BUNDLE_BYTES);
    } catch (e) {
      const kind = errorKind(e, 'fetch-failed');
      const why = kind === 'too-large' ? errorMessage(e) : `could not fetch it (${errorMessage(e)}); the rules in use stay`;
      this.recordError(kind, why, url);
      if (kind === 'too-large') this.reject(url, null, kind, why);
      return 'next';
    }

    let bundle: VerifiedBundle;
    try {
      bundle = await this.deps.verify(bytes, {
        trustedKeys: policy.trustedKeys,
        now: Math.floor(this.now() / 1000),
        minVersion: this.lkg?.version ?? 0,
        maxBytes: MAX_BUNDLE_BYTES,
      });
    } catch (e) {
      this.reject(url, null, errorKind(e, 'malformed'), errorMessage(e));
      return 'next';
    }
    const sha256 = await sha256Hex(bytes);
    const validators = { etag: response.headers.get('ETag'), lastModified: response.headers.get('Last-Modified') };
    if (this.lkg && bundle.version === this.lkg.version) {
      if (sha256 !== this.lkg.sha256) {
        this.reject(url, bundle.version, 'downgrade', `the bundle has version ${bundle.version}, the version in use, but different content; sign changed rules with a higher version`);
        return 'next';
      }
      // The same bundle again (a server without ETag support): only the validators may have changed.
      this.lkg = { ...this.lkg, url, ...validators };
      await this.deps.storage.set({ [LKG_KEY]: this.lkg }).catch(() => {});
      this.clearErrorFor(url);
      return 'done';
    }

    const candidate: LastKnownGood = { ...bundle, url, sha256, ...validators, fetchedAt: this.now() };
    const composition = this.compose(policy, false, candidate);
    try {
      this.deps.engine.swap(composition.inputs);
    } catch (e) {
      this.reject(url, bundle.version, 'invalid-rules', `the bundle's rules do not compile with the others in use: ${errorMessage(e)}`);
      return 'next';
    }
    this.lkg = candidate;
    this.status.lastUpdate = this.now();
    this.status.lastError = null;
    this.note(composition, candidate);
    try {
      await this.deps.storage.set({ [LKG_KEY]: candidate });
    } catch (e) {
      // In use now, but it will not survive a restart: say so.
      this.recordError('storage-failed', `bundle v${bundle.version} is in use but could not be saved as last-known-good (${errorMessage(e)})`, url);
    }
    this.deps.audit({ type: 'bundle-applied', bundleUrl: url, bundleVersion: bundle.version });
    this.deps.announce?.();
    return 'done';
  }

  private compose(policy: EffectivePolicy, withoutInline: boolean, bundle: LastKnownGood | null): Composition {
    const builtin = this.builtin ?? { version: '?', rules: [] };
    const rules: BundleRules | null = bundle && { version: bundle.version, rules: bundle.rules, policy: bundle.policy, disabledRules: bundle.disabledRules };
    return compose({ builtin, bundle: rules, policy, now: this.now(), withoutInline });
  }

  /** The last-known-good bundle, if the policy still asks for bundles and still trusts its key. */
  private lkgFor(policy: EffectivePolicy): LastKnownGood | null {
    const lkg = this.lkg;
    if (!lkg || !policy.ruleBundleUrls.length) return null;
    return policy.trustedKeys.some((k) => k.keyId === lkg.keyId) ? lkg : null;
  }

  /** Records what the engine now runs, and schedules the next wake-up. */
  private note(composition: Composition, bundle: LastKnownGood | null): void {
    const policy = this.deps.policy();
    this.status.bundle = bundle && { version: bundle.version, keyId: bundle.keyId, url: bundle.url, issuedAt: bundle.issuedAt, expiresAt: bundle.expiresAt };
    this.status.inline = composition.inline;
    this.status.problems = [...policy.problems, ...composition.problems].slice(0, 20);
    this.deps.schedule(policy.updateIntervalMinutes, composition.nextChange);
  }

  private reject(url: string, version: number | null, kind: string, message: string): void {
    this.recordError(kind, message, url);
    this.deps.audit({ type: 'bundle-rejected', bundleUrl: url, bundleVersion: version, reason: kind, message });
  }

  private recordError(kind: string, message: string, url: string | null): void {
    this.status.lastError = { kind, message: message.slice(0, 1000), at: this.now(), url };
  }

  private clearErrorFor(url: string): void {
    if (this.status.lastError?.url === url) this.status.lastError = null;
  }

  private async persistStatus(): Promise<void> {
    const { lastCheck, lastUpdate, lastError } = this.status;
    await this.deps.storage.set({ [STATUS_KEY]: { lastCheck, lastUpdate, lastError } }).catch(() => {});
  }
}

/** The body, refusing more than `max` bytes (checked on Content-Length first, then while reading). */
export async function readBounded(response: Response, max: number): Promise<Uint8Array> {
  const tooLarge = (n: string) =>
    Object.assign(new Error(`the bundle is ${n} bytes; the limit is ${max} bytes — publish a smaller bundle`), { kind: 'too-large' });
  const declared = Number(response.headers.get('Content-Length'));
  if (Number.isFinite(declared) && declared > max) throw tooLarge(String(declared));
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge(`more than ${max}`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as BufferSource);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

function isLastKnownGood(x: unknown): x is LastKnownGood {
  const l = x as Partial<LastKnownGood> | null;
  return (
    !!l &&
    typeof l.version === 'number' &&
    typeof l.keyId === 'string' &&
    typeof l.url === 'string' &&
    typeof l.sha256 === 'string' &&
    Array.isArray(l.rules) &&
    l.rules.every((r) => typeof r?.source === 'string' && typeof r?.text === 'string') &&
    Array.isArray(l.disabledRules)
  );
}

function errorKind(e: unknown, fallback: string): string {
  const kind = (e as { kind?: unknown })?.kind;
  if (typeof kind === 'string') return kind;
  if ((e as { name?: unknown })?.name === 'TimeoutError') return 'fetch-failed';
  return fallback;
}

function errorMessage(e: unknown): string {
  const m = (e as { message?: unknown })?.message;
  return typeof m === 'string' ? m : String(e);
}
