// The JavaScript glue wasm-bindgen generates for crates/warden-wasm (`--target web
// --experimental-reset-state-function`), built twice (build.sh build_wasm): 'warden-wasm-glue' is the
// detector alone, loaded at start; 'warden-wasm-files-glue' adds file extraction and bundle
// verification, loaded on first use. The build aliases these names to the generated files; these
// declarations describe the part the service worker uses.
declare module 'warden-wasm-glue' {
  export default function init(options: { module_or_path: RequestInfo | URL | Response | BufferSource | WebAssembly.Module }): Promise<unknown>;
  export function initSync(options: { module: BufferSource | WebAssembly.Module }): unknown;
  export function engineVersion(): string;
  export function crashForTest(): void;
  /** Re-instantiates the module after a trap; every handle from before is dead. */
  export function __wbg_reset_state(): void;
  export class Detector {
    constructor(options: unknown);
    readonly ruleCount: number;
    readonly warnings: string[];
    readonly policy: unknown;
    scan(text: string): unknown;
    mask(text: string, request: unknown): unknown;
    review(text: string, request: unknown): unknown;
    unmask(text: string, mapping: unknown): string;
    /** Files module only. Extracts the file's text and scans it: a FileReport (shared/messages.ts). */
    scanFile(bytes: Uint8Array, name: string, options?: { maxBytes?: number }): unknown;
    /** Files module only. A copy with the findings replaced; throws an Error of kind `unsupported` for formats it cannot rewrite. */
    sanitizeFile(bytes: Uint8Array, name: string, request?: { style?: string }): { bytes: Uint8Array; replaced: number };
    free(): void;
  }
}

declare module 'warden-wasm-files-glue' {
  export * from 'warden-wasm-glue';
  export { default } from 'warden-wasm-glue';
  /**
   * Checks a signed rule bundle (crates/warden-bundle): size, format, key, signature, validity, version,
   * rules. Throws an Error whose `kind` is too-large, malformed, unsupported-format, unknown-key,
   * bad-signature, expired, not-yet-valid, downgrade or invalid-rules.
   */
  export function verifyBundle(
    bytes: Uint8Array,
    options: { trustedKeys: { keyId: string; publicKey: string }[]; now: number; minVersion: number; maxBytes?: number },
  ): {
    version: number;
    keyId: string;
    issuedAt: number;
    expiresAt: number | null;
    rules: { source: string; text: string }[];
    policy: Record<string, unknown> | null;
    disabledRules: string[];
  };
}
