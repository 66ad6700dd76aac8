// The JavaScript glue wasm-bindgen generates for crates/warden-wasm (`--target web
// --experimental-reset-state-function`). The build aliases this module name to the generated file;
// these declarations describe the part of it the service worker uses.
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
    free(): void;
  }
}
