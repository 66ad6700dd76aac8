// The service worker's one Detector: built from the active rule sources and policy, used through
// `run`, rebuilt when it breaks, replaced whole by `swap` when the rules or the policy change.
//
// The design decision to know: the wasm is built with panic = abort, so a Rust panic surfaces as a
// `WebAssembly.RuntimeError` (a trap) and leaves the instance in an unknown state. It is never used
// again: `run` re-instantiates the module (`__wbg_reset_state`), compiles a new Detector from the same
// sources, records the error, and reports the failed call as `engine-crashed`. The call is not
// retried — the same input would trap again.

import type * as Glue from 'warden-wasm-glue';
import type { Policy } from '../shared/findings';
import type { EngineStatus } from '../shared/messages';

export type WasmGlue = Pick<typeof Glue, 'default' | 'engineVersion' | 'Detector' | '__wbg_reset_state'>;
export type WasmDetector = Glue.Detector;

/** One rule file in its JSON form. */
export interface RuleSource {
  source: string;
  text: string;
}

export interface EngineInputs {
  /** Where the rules came from, for the popup ("built-in 0.1.0", a bundle URL…). */
  label: string;
  rules: RuleSource[];
  policy?: Policy;
  /**
   * A different policy for some pages (an exemption limited to some sites): its key and policy, or
   * null for the main one. Each such policy gets its own Detector, compiled on first use.
   */
  policyFor?: (url: string) => { key: string; policy: Policy } | null;
}

/** Per-site detectors kept at most (each one is a full compile of the rules). */
export const MAX_VARIANTS = 4;

export interface EngineOptions {
  glue: WasmGlue;
  /** The `.wasm` to instantiate (URL, Response or bytes). */
  wasm: () => Promise<RequestInfo | URL | Response | BufferSource>;
  inputs: () => Promise<EngineInputs>;
  /** Wall clock for error times (Date.now by default). */
  now?: () => number;
  /** Monotonic clock for start-up timings (performance.now by default). */
  clock?: () => number;
}

/** A failure to report as `{kind, message}`. */
export class EngineError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export class Engine {
  private detector: WasmDetector | null = null;
  private readonly variants = new Map<string, WasmDetector>();
  private detectorPolicy: Policy | null = null;
  private inputs: EngineInputs | null = null;
  private version: string | null = null;
  private lastError: EngineStatus['lastError'] = null;
  private restarts = 0;
  private timings: EngineStatus['timings'] = null;
  private readonly now: () => number;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Instantiates the wasm and compiles the detector. Never rejects: a failure is kept as `lastError`. */
  async start(): Promise<void> {
    const clock = this.options.clock ?? (() => performance.now());
    const t0 = clock();
    try {
      await this.options.glue.default({ module_or_path: await this.options.wasm() });
      const t1 = clock();
      this.version = this.options.glue.engineVersion();
      this.inputs = await this.options.inputs();
      const t2 = clock();
      this.detector = this.build(this.inputs);
      this.timings = { wasmMs: t1 - t0, rulesMs: t2 - t1, compileMs: clock() - t2 };
    } catch (e) {
      this.fail(e, 'engine-start');
    }
  }

  /** The rules and policy the current detector was built from. */
  get activeInputs(): EngineInputs | null {
    return this.detector ? this.inputs : null;
  }

  get ready(): boolean {
    return this.detector !== null;
  }

  /** The policy in effect (defaults filled in by the engine). */
  get policy(): Policy | null {
    return this.detector ? this.detectorPolicy : null;
  }

  status(): EngineStatus {
    return {
      ready: this.ready,
      version: this.version,
      ruleCount: this.detector?.ruleCount ?? 0,
      rulesSource: this.inputs?.label ?? null,
      policy: this.policy,
      lastError: this.lastError,
      restarts: this.restarts,
      timings: this.timings,
    };
  }

  /**
   * Compiles `inputs` into a new detector and, only if that works, puts it in place of the current one
   * (which is freed). Throws the compile error and keeps the current detector otherwise.
   */
  swap(inputs: EngineInputs): void {
    const previous = this.detector;
    const previousPolicy = this.detectorPolicy;
    let next: WasmDetector;
    try {
      next = this.build(inputs);
    } catch (e) {
      this.detectorPolicy = previousPolicy;
      throw e;
    }
    this.detector = next;
    this.inputs = inputs;
    this.clearVariants();
    if (previous) previous.free();
  }

  /**
   * Calls `fn` with the detector (the one for `url` when the policy differs there). Throws
   * EngineError when there is none or it trapped.
   */
  run<T>(fn: (detector: WasmDetector) => T, url?: string): T {
    const detector = url === undefined ? this.detector : this.detectorFor(url);
    if (!detector) throw new EngineError('engine-unavailable', this.lastError?.message ?? 'the engine is not ready');
    try {
      return fn(detector);
    } catch (e) {
      if (!(e instanceof WebAssembly.RuntimeError)) throw e;
      this.recover(e);
      throw new EngineError('engine-crashed', `the engine stopped (${e.message}) and was restarted`);
    }
  }

  private detectorFor(url: string): WasmDetector | null {
    const variant = this.detector && this.inputs?.policyFor?.(url);
    if (!variant) return this.detector;
    const known = this.variants.get(variant.key);
    if (known) return known;
    const options: { rules: RuleSource[]; policy: Policy } = { rules: this.inputs?.rules ?? [], policy: variant.policy };
    const detector = new this.options.glue.Detector(options);
    this.variants.set(variant.key, detector);
    if (this.variants.size > MAX_VARIANTS) {
      const [oldest, old] = this.variants.entries().next().value as [string, WasmDetector];
      this.variants.delete(oldest);
      old.free();
    }
    return detector;
  }

  private clearVariants(): void {
    for (const d of this.variants.values()) d.free();
    this.variants.clear();
  }

  private build(inputs: EngineInputs): WasmDetector {
    const options: { rules: RuleSource[]; policy?: Policy } = { rules: inputs.rules };
    if (inputs.policy) options.policy = inputs.policy;
    const detector = new this.options.glue.Detector(options);
    this.detectorPolicy = detector.policy as Policy;
    return detector;
  }

  private recover(trap: Error): void {
    this.detector = null;
    this.variants.clear(); // every handle died with the instance
    this.fail(trap, 'engine-crashed');
    this.restarts++;
    try {
      this.options.glue.__wbg_reset_state();
      if (this.inputs) this.detector = this.build(this.inputs);
    } catch (e) {
      this.fail(e, 'engine-start');
    }
  }

  private fail(error: unknown, fallbackKind: string): void {
    const e = error as { kind?: unknown; message?: unknown };
    const kind = typeof e?.kind === 'string' ? e.kind : fallbackKind;
    const message = typeof e?.message === 'string' ? e.message : String(error);
    this.lastError = { kind, message, at: this.now() };
  }
}
