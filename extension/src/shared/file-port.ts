// How a file's bytes reach the engine in the service worker: one runtime Port per file, the bytes in
// chunks, the report back on the same port, and — when the user or the policy asks for it — a
// redacted copy back in chunks too. Closing the port cancels everything and frees the bytes.
//
// The design decision to know: Chrome's runtime messaging serialises as JSON, so bytes travel as
// strings. Two encodings were measured on a 10 MB file (docs/uploads.md): base64, encoded natively
// (`Uint8Array.prototype.toBase64`, Chrome 140+, Firefox 133+), and "binary strings" (one char per byte).
// Base64 is the default: its 4/3 size is plain ASCII, while a binary string of compressed data is
// mostly control characters (escaped as `\u00XX`) and bytes above 0x7F (two UTF-8 bytes each), which
// made the hand-over five to seven times slower. The `begin` message names the encoding. A window of
// unacknowledged chunks keeps memory bounded and gives the progress bar real numbers.

import { ACTIONS, type Action, type FailMode } from './findings';
import { type ErrorInfo, type FileReport, isFileReport, MAX_FILE_NAME_LENGTH } from './messages';

export const FILE_PORT_NAME = 'promptwarden-file';
/** Bytes per chunk before encoding. */
export const CHUNK_BYTES = 1 << 20;
/** Chunks sent and not yet acknowledged. */
export const WINDOW = 4;
/** The largest file handed over (the policy's default file size limit); larger ones are reported unreadable. */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export type Encoding = 'binary' | 'base64';

// --- content script → worker --------------------------------------------------------------------

export type ToWorker =
  | { t: 'begin'; name: string; size: number; encoding: Encoding }
  | { t: 'chunk'; seq: number; data: string }
  | { t: 'end' }
  /** Make a redacted copy of the received file and send it back. */
  | { t: 'sanitize' };

// --- worker → content script --------------------------------------------------------------------

export type FromWorker =
  | { t: 'ack'; seq: number; received: number }
  /** Everything arrived (`ms`: from `begin` to the last byte); the scan starts. */
  | { t: 'received'; ms: number }
  | {
      t: 'report';
      report: FileReport;
      /** The policy's action for a file that cannot be inspected. */
      uninspectable: Action;
      failMode: FailMode;
      scanMs: number;
    }
  | { t: 'sanitized'; size: number; replaced: number }
  | { t: 'copy'; seq: number; data: string }
  | { t: 'copy-end' }
  | { t: 'error'; error: ErrorInfo };

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isSeq = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
const isSize = (x: unknown): x is number => isSeq(x) && x <= Number.MAX_SAFE_INTEGER;
/** A chunk's encoded length is at most 4/3 of CHUNK_BYTES (base64), plus padding. */
const isChunkData = (x: unknown): x is string => typeof x === 'string' && x.length <= Math.ceil(CHUNK_BYTES / 3) * 4;
const isEncoding = (x: unknown): x is Encoding => x === 'binary' || x === 'base64';

export function isToWorker(x: unknown): x is ToWorker {
  if (!isObj(x)) return false;
  switch (x.t) {
    case 'begin':
      return typeof x.name === 'string' && x.name.length <= MAX_FILE_NAME_LENGTH && isSize(x.size) && isEncoding(x.encoding);
    case 'chunk':
      return isSeq(x.seq) && isChunkData(x.data);
    case 'end':
    case 'sanitize':
      return true;
    default:
      return false;
  }
}

export function isFromWorker(x: unknown): x is FromWorker {
  if (!isObj(x)) return false;
  switch (x.t) {
    case 'ack':
      return isSeq(x.seq) && isSize(x.received);
    case 'received':
      return typeof x.ms === 'number';
    case 'report':
      return (
        isFileReport(x.report) &&
        (ACTIONS as readonly unknown[]).includes(x.uninspectable) &&
        (x.failMode === 'open' || x.failMode === 'closed') &&
        typeof x.scanMs === 'number'
      );
    case 'sanitized':
      return isSize(x.size) && isSize(x.replaced);
    case 'copy':
      return isSeq(x.seq) && isChunkData(x.data);
    case 'copy-end':
      return true;
    case 'error':
      return isObj(x.error) && typeof x.error.kind === 'string' && typeof x.error.message === 'string';
    default:
      return false;
  }
}

// --- chunk encoding -----------------------------------------------------------------------------

/** `Uint8Array.prototype.toBase64` / `Uint8Array.fromBase64` (Chrome 140+, Firefox 133+), when present. */
interface NativeBase64 {
  toBase64?: (this: Uint8Array) => string;
}
interface NativeBase64Ctor {
  fromBase64?: (s: string) => Uint8Array;
}

/** Whether this browser encodes base64 natively (otherwise base64 would cost a slow JS pass). */
export function hasNativeBase64(): boolean {
  return (
    typeof (Uint8Array.prototype as NativeBase64).toBase64 === 'function' &&
    typeof (Uint8Array as unknown as NativeBase64Ctor).fromBase64 === 'function'
  );
}

// String.fromCharCode takes its arguments on the stack: slices keep it well under engine limits.
const SLICE = 0x8000;

export function encodeChunk(bytes: Uint8Array, encoding: Encoding): string {
  if (encoding === 'base64') {
    const native = (bytes as Uint8Array & NativeBase64).toBase64;
    if (native) return native.call(bytes);
    return btoa(binaryString(bytes));
  }
  return binaryString(bytes);
}

function binaryString(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < bytes.length; i += SLICE) {
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + SLICE) as unknown as number[]));
  }
  return parts.join('');
}

/**
 * Decodes `data` into `into` at `offset`; returns the number of bytes written, or -1 when the data is
 * not valid for the encoding or does not fit.
 */
export function decodeChunk(data: string, encoding: Encoding, into: Uint8Array, offset: number): number {
  if (encoding === 'base64') {
    let bytes: Uint8Array;
    try {
      const native = (Uint8Array as unknown as NativeBase64Ctor).fromBase64;
      bytes = native ? native(data) : Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
    } catch {
      return -1;
    }
    if (offset + bytes.length > into.length) return -1;
    into.set(bytes, offset);
    return bytes.length;
  }
  if (offset + data.length > into.length) return -1;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (c > 0xff) return -1;
    into[offset + i] = c;
  }
  return data.length;
}
