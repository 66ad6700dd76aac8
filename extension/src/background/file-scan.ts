// The worker's end of file uploads: takes a file's bytes over its own port (shared/file-port.ts),
// has the engine extract and scan them, answers with the report, and on request sends back a
// redacted copy. Only content scripts on the guarded sites may connect.
//
// The design decision to know: the bytes live only as long as the port. Cancelling (the user's
// Cancel, a closed tab, a navigation) closes the port, and the buffer goes with it. Every size is
// bounded before anything is allocated: one file at most MAX_FILE_BYTES, a few files at once, and
// a total across them; a file over the size limit is reported as not inspectable without its bytes
// ever being sent.

import { isGuardedPage } from '../shared/chatgpt-endpoints';
import {
  CHUNK_BYTES,
  decodeChunk,
  type Encoding,
  encodeChunk,
  FILE_PORT_NAME,
  type FromWorker,
  isToWorker,
  MAX_FILE_BYTES,
  type ToWorker,
} from '../shared/file-port';
import { ACTIONS, type Action, type Policy } from '../shared/findings';
import { failureFrom, type FileReport, isFileReport } from '../shared/messages';
import type { Engine } from './engine';

/** Files being received or held at once (one per attached file being checked). */
export const MAX_OPEN_FILES = 8;
/** Bytes held across all open files. */
export const MAX_HELD_BYTES = 4 * MAX_FILE_BYTES;
/** How long a scanned file is kept for a masked copy while the user decides. */
export const HOLD_MS = 10 * 60_000;

/** The part of a runtime Port used here (tests pass a fake). */
export interface FilePort {
  readonly name: string;
  readonly sender?: { id?: string; url?: string; tab?: { id?: number } };
  postMessage(message: FromWorker): void;
  disconnect(): void;
  onMessage: { addListener(fn: (message: unknown) => void): void };
  onDisconnect: { addListener(fn: () => void): void };
}

export interface FileScanDeps {
  engine: Pick<Engine, 'run' | 'policy'>;
  /** This extension's id: other senders are refused. */
  extensionId: string;
  /** Resolves when `engine` can read files (it may be loaded on the first file). */
  ready: () => Promise<unknown>;
  clock?: () => number;
}

/** The policy's action for a file that cannot be inspected (`uninspectable`); `warn` when it names none. */
export function uninspectableAction(policy: Policy | null): Action {
  const value = (policy as { uninspectable?: unknown } | null)?.uninspectable;
  return (ACTIONS as readonly unknown[]).includes(value) ? (value as Action) : 'warn';
}

/** The report for a file too large to be handed over: not inspectable, with the reason in words. */
export function tooLargeReport(size: number): FileReport {
  const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
  return {
    format: 'unknown',
    inspectable: false,
    reason: `the file is ${mb(size)}; PromptWarden checks files up to ${mb(MAX_FILE_BYTES)}`,
    findings: [],
    sanitizable: false,
    textBytes: 0,
  };
}


export class FileScanner {
  private openFiles = 0;
  private heldBytes = 0;

  constructor(private readonly deps: FileScanDeps) {}

  /** Takes a newly connected port if it is a file port; returns whether it did. */
  accept(port: FilePort): boolean {
    if (port.name !== FILE_PORT_NAME) return false;
    const sender = port.sender;
    if (sender?.id !== this.deps.extensionId || sender.tab?.id === undefined || !isGuardedPage(sender.url)) {
      port.disconnect();
      return true;
    }
    if (this.openFiles >= MAX_OPEN_FILES) {
      safePost(port, { t: 'error', error: { kind: 'busy', message: 'too many files are being checked at once; try again in a moment' } });
      port.disconnect();
      return true;
    }
    this.openFiles++;
    const session = new Session(this, port, this.deps);
    let queue: Promise<unknown> = this.deps.ready();
    port.onMessage.addListener((message) => {
      // In order, after the engine is up; a throw answers as an error and ends the session.
      queue = queue.then(() => session.receive(message)).catch((e: unknown) => session.fail(failureFrom(e).error));
    });
    port.onDisconnect.addListener(() => {
      session.release();
      this.openFiles--;
    });
    return true;
  }

  /** Reserves room for `n` bytes; false when the total would pass MAX_HELD_BYTES. */
  reserve(n: number): boolean {
    if (this.heldBytes + n > MAX_HELD_BYTES) return false;
    this.heldBytes += n;
    return true;
  }

  free(n: number): void {
    this.heldBytes = Math.max(0, this.heldBytes - n);
  }

  /** For tests: bytes currently held. */
  get held(): number {
    return this.heldBytes;
  }
}

function safePost(port: FilePort, message: FromWorker): void {
  try {
    port.postMessage(message);
  } catch {
    // The tab went away.
  }
}

type State = 'begin' | 'receiving' | 'scanned' | 'done';

class Session {
  private state: State = 'begin';
  private name = '';
  private encoding: Encoding = 'binary';
  private bytes: Uint8Array | null = null;
  private received = 0;
  private nextSeq = 0;
  private started = 0;
  private holdTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly clock: () => number;

  constructor(
    private readonly owner: FileScanner,
    private readonly port: FilePort,
    private readonly deps: FileScanDeps,
  ) {
    this.clock = deps.clock ?? (() => performance.now());
  }

  receive(message: unknown): void {
    if (this.state === 'done') return;
    if (!isToWorker(message)) return this.fail({ kind: 'bad-message', message: 'malformed file message' });
    switch (message.t) {
      case 'begin':
        return this.begin(message);
      case 'chunk':
        return this.chunk(message.seq, message.data);
      case 'end':
        return this.end();
      case 'sanitize':
        return this.sanitize();
    }
  }

  fail(error: { kind: string; message: string }): void {
    safePost(this.port, { t: 'error', error });
    this.release();
    this.state = 'done';
  }

  release(): void {
    clearTimeout(this.holdTimer);
    if (this.bytes) this.owner.free(this.bytes.length);
    this.bytes = null;
  }

  private begin(m: Extract<ToWorker, { t: 'begin' }>): void {
    if (this.state !== 'begin') return this.fail({ kind: 'bad-message', message: 'the file was already announced' });
    this.name = m.name;
    this.encoding = m.encoding;
    if (m.size > MAX_FILE_BYTES) {
      // Never transferred: the policy decides about a file that cannot be inspected.
      this.state = 'done';
      return this.post({ t: 'report', report: tooLargeReport(m.size), ...this.policyFields(), scanMs: 0 });
    }
    if (!this.owner.reserve(m.size)) {
      return this.fail({ kind: 'busy', message: 'too many large files are being checked at once; try again in a moment' });
    }
    this.bytes = new Uint8Array(m.size);
    this.started = this.clock();
    this.state = 'receiving';
  }

  private chunk(seq: number, data: string): void {
    const bytes = this.bytes;
    if (this.state !== 'receiving' || !bytes) return this.fail({ kind: 'bad-message', message: 'a chunk arrived out of place' });
    if (seq !== this.nextSeq) return this.fail({ kind: 'bad-message', message: `chunk ${seq} arrived, ${this.nextSeq} expected` });
    const n = decodeChunk(data, this.encoding, bytes, this.received);
    if (n < 0 || n > CHUNK_BYTES) return this.fail({ kind: 'bad-message', message: 'a chunk is malformed or larger than announced' });
    this.received += n;
    this.nextSeq++;
    this.post({ t: 'ack', seq, received: this.received });
  }

  private end(): void {
    const bytes = this.bytes;
    if (this.state !== 'receiving' || !bytes) return this.fail({ kind: 'bad-message', message: 'the file ended out of place' });
    if (this.received !== bytes.length) {
      return this.fail({ kind: 'bad-message', message: `${this.received} of ${bytes.length} bytes arrived` });
    }
    this.post({ t: 'received', ms: this.clock() - this.started });
    const t0 = this.clock();
    const report: unknown = this.deps.engine.run((d) => d.scanFile(bytes, this.name, { maxBytes: MAX_FILE_BYTES }));
    if (!isFileReport(report)) return this.fail({ kind: 'bad-reply', message: 'the engine returned a file report of an unknown shape' });
    this.state = 'scanned';
    this.post({ t: 'report', report, ...this.policyFields(), scanMs: this.clock() - t0 });
    this.holdTimer = setTimeout(() => {
      this.fail({ kind: 'timeout', message: 'the file was kept for a masked copy for 10 minutes and then let go; attach it again' });
      this.port.disconnect();
    }, HOLD_MS);
  }

  private sanitize(): void {
    const bytes = this.bytes;
    if (this.state !== 'scanned' || !bytes) return this.fail({ kind: 'bad-message', message: 'nothing to sanitize' });
    const style = this.deps.engine.policy?.mask_style;
    const copy = this.deps.engine.run((d) => d.sanitizeFile(bytes, this.name, style ? { style } : {}));
    if (!(copy?.bytes instanceof Uint8Array) || typeof copy.replaced !== 'number') {
      return this.fail({ kind: 'bad-reply', message: 'the engine returned a sanitized copy of an unknown shape' });
    }
    this.post({ t: 'sanitized', size: copy.bytes.length, replaced: copy.replaced });
    let seq = 0;
    for (let at = 0; at < copy.bytes.length; at += CHUNK_BYTES) {
      this.post({ t: 'copy', seq: seq++, data: encodeChunk(copy.bytes.subarray(at, at + CHUNK_BYTES), this.encoding) });
    }
    this.post({ t: 'copy-end' });
    this.state = 'done';
    this.release();
  }

  private policyFields() {
    const policy = this.deps.engine.policy;
    return { uninspectable: uninspectableAction(policy), failMode: policy?.fail_mode ?? ('closed' as const) };
  }

  private post(message: FromWorker): void {
    safePost(this.port, message);
  }
}
