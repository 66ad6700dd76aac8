// The content script's end of a file check: hands a file's bytes to the service worker over their own
// port (shared/file-port.ts), reports progress as the worker acknowledges chunks, and returns the
// engine's report — plus a way to ask for the redacted copy while the worker still holds the bytes.
// Every wait is bounded; a cancelled or failed check closes the port, which frees the bytes there.

import {
  CHUNK_BYTES,
  decodeChunk,
  type Encoding,
  encodeChunk,
  FILE_PORT_NAME,
  type FromWorker,
  isFromWorker,
  MAX_FILE_BYTES,
  WINDOW,
} from '../shared/file-port';
import type { Action, FailMode } from '../shared/findings';
import type { ErrorInfo, FileReport } from '../shared/messages';

/** The longest silence from the worker while it receives, scans or copies (a 50 MB scan included). */
export const IDLE_TIMEOUT_MS = 30_000;

export interface FilePortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

export interface CheckOptions {
  /** Bytes the worker has acknowledged so far, of `total`. */
  onProgress?: (received: number, total: number) => void;
  signal?: AbortSignal;
  encoding?: Encoding;
  connect?: () => FilePortLike;
  idleTimeoutMs?: number;
}

export interface FileCheck {
  report: FileReport;
  uninspectable: Action;
  failMode: FailMode;
  /** From the first chunk sent to the worker holding every byte; and the engine's extraction + scan. */
  timings: { handOverMs: number; workerReceiveMs: number; scanMs: number };
  /** The redacted copy (same format). Ends the check. */
  sanitize(): Promise<{ ok: true; bytes: Uint8Array; replaced: number } | { ok: false; error: ErrorInfo }>;
  /** Frees the bytes in the worker. */
  close(): void;
}

export type CheckResult = { ok: true; check: FileCheck } | { ok: false; error: ErrorInfo };

const connectDefault = (): FilePortLike => chrome.runtime.connect({ name: FILE_PORT_NAME });

/**
 * Sends `bytes` to the worker and waits for the engine's report. For a file over MAX_FILE_BYTES pass
 * `bytes: null` and its `size`: it is never read, and the worker reports it not inspectable.
 */
export function checkFile(file: { name: string; size: number; bytes: Uint8Array | null }, options: CheckOptions = {}): Promise<CheckResult> {
  const { name } = file;
  const bytes = file.bytes ?? new Uint8Array(0);
  if (file.bytes === null ? file.size <= MAX_FILE_BYTES : file.bytes.length !== file.size) {
    return Promise.resolve({ ok: false, error: { kind: 'internal', message: 'the file\'s bytes are missing' } });
  }
  const encoding = options.encoding ?? 'base64';
  const idleMs = options.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  let port: FilePortLike;
  try {
    port = (options.connect ?? connectDefault)();
  } catch (e) {
    return Promise.resolve({ ok: false, error: { kind: 'unavailable', message: e instanceof Error ? e.message : String(e) } });
  }

  return new Promise<CheckResult>((resolve) => {
    let closed = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let sent = 0; // chunks posted
    let acked = 0; // chunks acknowledged
    const chunks = Math.ceil(bytes.length / CHUNK_BYTES);
    const t0 = performance.now();
    let handOverMs = 0;
    let workerReceiveMs = 0;
    // While the report is pending, messages settle it; afterwards the sanitize step takes over.
    let onMessage: (m: FromWorker) => void;
    let onEnd: (error: ErrorInfo) => void;

    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
      try {
        port.disconnect();
      } catch {
        // Already gone.
      }
    };
    const idle = () => {
      clearTimeout(timer);
      timer = setTimeout(() => onEnd({ kind: 'timeout', message: `the service worker did not answer within ${idleMs / 1000} s` }), idleMs);
    };
    const abort = () => onEnd({ kind: 'cancelled', message: 'the check was cancelled' });
    const post = (m: unknown) => {
      try {
        port.postMessage(m);
      } catch {
        onEnd({ kind: 'unavailable', message: 'the service worker closed the connection' });
      }
    };
    const pump = () => {
      while (!closed && sent < chunks && sent - acked < WINDOW) {
        const at = sent * CHUNK_BYTES;
        post({ t: 'chunk', seq: sent, data: encodeChunk(bytes.subarray(at, at + CHUNK_BYTES), encoding) });
        sent++;
      }
      if (!closed && sent === chunks && acked === chunks) post({ t: 'end' });
    };

    onEnd = (error) => {
      close();
      resolve({ ok: false, error });
    };
    onMessage = (m) => {
      switch (m.t) {
        case 'ack':
          if (m.seq !== acked) return onEnd({ kind: 'bad-reply', message: 'the worker acknowledged an unexpected chunk' });
          acked++;
          options.onProgress?.(m.received, bytes.length);
          return pump();
        case 'received':
          handOverMs = performance.now() - t0;
          workerReceiveMs = m.ms;
          return;
        case 'report': {
          // Now the user decides, which takes as long as it takes; the worker bounds how long it holds the bytes.
          clearTimeout(timer);
          const check: FileCheck = {
            report: m.report,
            uninspectable: m.uninspectable,
            failMode: m.failMode,
            timings: { handOverMs, workerReceiveMs, scanMs: m.scanMs },
            sanitize: () => sanitize(),
            close,
          };
          return resolve({ ok: true, check });
        }
        case 'error':
          return onEnd(m.error);
        default:
          return onEnd({ kind: 'bad-reply', message: `unexpected "${m.t}" from the worker` });
      }
    };

    const sanitize = () =>
      new Promise<{ ok: true; bytes: Uint8Array; replaced: number } | { ok: false; error: ErrorInfo }>((done) => {
        if (closed) return done({ ok: false, error: { kind: 'cancelled', message: 'the check was closed' } });
        let copy: Uint8Array | null = null;
        let replaced = 0;
        let filled = 0;
        let nextSeq = 0;
        onEnd = (error) => {
          close();
          done({ ok: false, error });
        };
        onMessage = (m) => {
          if (m.t === 'error') return onEnd(m.error);
          if (m.t === 'sanitized' && !copy) {
            if (m.size > MAX_FILE_BYTES * 2) return onEnd({ kind: 'too-large', message: 'the sanitized copy is too large' });
            copy = new Uint8Array(m.size);
            replaced = m.replaced;
            return;
          }
          if (m.t === 'copy' && copy && m.seq === nextSeq) {
            const n = decodeChunk(m.data, encoding, copy, filled);
            if (n < 0) return onEnd({ kind: 'bad-reply', message: 'a chunk of the sanitized copy is malformed' });
            filled += n;
            nextSeq++;
            return;
          }
          if (m.t === 'copy-end' && copy && filled === copy.length) {
            const result = copy;
            close();
            return done({ ok: true, bytes: result, replaced });
          }
          onEnd({ kind: 'bad-reply', message: 'the sanitized copy arrived out of order' });
        };
        idle();
        post({ t: 'sanitize' });
      });

    port.onMessage.addListener((m) => {
      if (closed) return;
      idle();
      if (!isFromWorker(m)) return onEnd({ kind: 'bad-reply', message: 'the service worker sent a malformed file message' });
      onMessage(m);
    });
    port.onDisconnect.addListener(() => {
      if (!closed) onEnd({ kind: 'unavailable', message: 'the service worker closed the connection' });
    });
    if (options.signal?.aborted) return abort();
    options.signal?.addEventListener('abort', abort);
    idle();
    post({ t: 'begin', name, size: file.size, encoding });
    if (file.bytes) pump();
  });
}
