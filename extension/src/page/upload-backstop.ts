// The wire backstop for uploads, in the page world: the file-creation call (`POST /backend-api/files`)
// and the upload of the bytes (`PUT` to the blob host, `*.oaiusercontent.com`) go out only for files the
// content script's upload guard cleared. Anything else — a path the upload guard did not see, a file
// changed after it was checked — is refused (or let through when the policy's fail mode is open).
//
// The design decision to know: clearing cannot be forged from the page. The content script tells this
// guard, over the private port, the size and SHA-256 of each file it cleared; the guard hashes the
// bytes actually being PUT and compares. The page knows the hashes of the files it was given — and so
// can upload exactly those bytes, nothing else. The creation call carries only a name and a size, so
// it is checked against the cleared sizes. Clearances arrive over the port a moment after the site's
// handler ran, so a check waits briefly for one before refusing.

/** Which upload step a request is, or null. */
export type UploadStep = 'create' | 'put';

/** Adapter defaults for ChatGPT (the site changes them between rollouts). */
export const FILE_CREATE_PATH = /^\/backend-api\/files\/?$/;
export const BLOB_HOST_SUFFIX = '.oaiusercontent.com';
export const PAGE_HOSTS: readonly string[] = ['chatgpt.com', 'chat.openai.com'];

/** How long a clearance stays valid (the site may retry an upload). */
export const CLEARANCE_TTL_MS = 15 * 60_000;
/** Clearances kept; the oldest goes first. */
export const MAX_CLEARANCES = 128;
/** How long a request waits for its clearance to arrive over the port. */
export const CLEARANCE_WAIT_MS = 2_000;

export function classifyUpload(url: string, method: string, base: string): UploadStep | null {
  let u: URL;
  try {
    u = new URL(url, base);
  } catch {
    return null;
  }
  if (u.protocol !== 'https:') return null;
  const m = method.toUpperCase();
  if (m === 'POST' && PAGE_HOSTS.includes(u.hostname) && FILE_CREATE_PATH.test(u.pathname)) return 'create';
  if (m === 'PUT' && u.hostname.endsWith(BLOB_HOST_SUFFIX)) return 'put';
  return null;
}

interface Clearance {
  size: number;
  sha256: string;
  expires: number;
}

/** The files the upload guard cleared, as `(size, sha256)`, bounded in number and time. */
export class Clearances {
  private readonly entries: Clearance[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly waitMs = CLEARANCE_WAIT_MS,
  ) {}

  add(size: number, sha256: string): void {
    this.entries.push({ size, sha256, expires: this.now() + CLEARANCE_TTL_MS });
    while (this.entries.length > MAX_CLEARANCES) this.entries.shift();
    for (const wake of [...this.waiters]) wake();
  }

  has(size: number, sha256?: string): boolean {
    const now = this.now();
    return this.entries.some((c) => c.expires > now && c.size === size && (sha256 === undefined || c.sha256 === sha256));
  }

  /** Whether a matching clearance is here or arrives within `ms`. */
  waitFor(size: number, sha256: string | undefined, ms = this.waitMs): Promise<boolean> {
    if (this.has(size, sha256)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve(ok);
      };
      const wake = () => this.has(size, sha256) && done(true);
      const timer = setTimeout(() => done(this.has(size, sha256)), ms);
      this.waiters.add(wake);
    });
  }
}

// Captured when the guard starts, before any page script can replace them.
const subtle = globalThis.crypto?.subtle;
const digest = subtle?.digest.bind(subtle);
const blobBytes = typeof Blob === 'function' ? Blob.prototype.arrayBuffer : undefined;
const encoder = typeof TextEncoder === 'function' ? new TextEncoder() : undefined;

/** The bytes of a request body, or null when they cannot be read without consuming it (streams, forms). */
export async function bodyBytes(body: unknown): Promise<Uint8Array | null> {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === 'string') return encoder ? encoder.encode(body) : null;
  if (typeof Blob === 'function' && body instanceof Blob && blobBytes) return new Uint8Array(await blobBytes.call(body));
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return null;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string | null> {
  if (!digest) return null;
  const out = new Uint8Array(await digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(out, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The declared size in a file-creation body (`{file_name, file_size, …}`), or null. */
function declaredSize(bytes: Uint8Array): number | null {
  try {
    const json = JSON.parse(new TextDecoder().decode(bytes)) as { file_size?: unknown };
    return typeof json?.file_size === 'number' && Number.isSafeInteger(json.file_size) && json.file_size >= 0 ? json.file_size : null;
  } catch {
    return null;
  }
}

/**
 * Whether an upload step may go: `body` is what the request carries. `failOpen` decides for bodies
 * that cannot be read or hashed.
 */
export async function uploadAllowed(step: UploadStep, body: unknown, clearances: Clearances, failOpen: boolean): Promise<boolean> {
  let bytes: Uint8Array | null;
  try {
    bytes = await bodyBytes(body);
  } catch {
    bytes = null;
  }
  if (bytes === null) return failOpen;
  if (step === 'create') {
    const size = declaredSize(bytes);
    // A creation call with no size carries no file; its PUT is checked by hash.
    if (size === null) return true;
    return (await clearances.waitFor(size, undefined)) || failOpen;
  }
  const hash = await sha256Hex(bytes);
  if (hash === null) return failOpen;
  return (await clearances.waitFor(bytes.length, hash)) || failOpen;
}
