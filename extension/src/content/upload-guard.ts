// The upload guard: every way a file reaches the site — the file picker (`input[type=file]`), a drop,
// a paste of files, and a paste of text long enough that the site turns it into a file — is caught at
// `document` in the capture phase, before the site's own handlers, because the site uploads a file
// the moment it is attached, long before Send.
//
// The design decision to know: the original event is stopped and its files taken; each file is
// checked in the service worker (content/file-transfer.ts) and decided per policy
// (content/upload-decision.ts); then the files that may go — byte-identical, or a masked copy with the
// same name — continue in ONE re-dispatched event of the same kind (a `change` with `input.files` set
// through a DataTransfer, a `drop`, a `paste`), which this guard recognises as its own and lets
// through. Before that, the page-world request guard is told the size and SHA-256 of each cleared
// file, so the upload request itself is refused for anything else. Nothing is lost: a stopped file
// is simply not attached, and the card says why.

import type { FailMode } from '../shared/findings';
import { MAX_FILE_BYTES } from '../shared/file-port';
import type { FileFinding, GuardEvent } from '../shared/messages';
import { type CheckOptions, type CheckResult, checkFile } from './file-transfer';
import { type UploadCard, PROGRESS_FROM_BYTES } from './upload-card';
import { decideUpload } from './upload-decision';

/**
 * Pasted text longer than this is checked as a file. ChatGPT turns pastes of roughly 5,000–10,000
 * characters into an attachment; the lower end is used so none slips between the two thresholds.
 */
export const LONG_PASTE_CHARS = 5_000;
/** Files in one pick, drop or paste; more are not attached (and the card says so). */
export const MAX_FILES_PER_EVENT = 32;

export interface UploadGuardDeps {
  card: Pick<UploadCard, 'progress' | 'ask' | 'notice' | 'hide'>;
  reporter: { event(event: GuardEvent, count?: number): void };
  /** Tells the page-world request guard that these bytes may be uploaded. */
  clear(size: number, sha256: string): void;
  /** The site's message box: long pastes into it are checked as files. */
  composer(): Element | null;
  /** The site's file input, for browsers whose script-made drop and paste events carry no files. */
  fileInput?(): HTMLInputElement | null;
  /** The policy's fail mode as last reported (for when the worker cannot be reached). */
  failMode(): FailMode;
  check?: (file: { name: string; size: number; bytes: Uint8Array | null }, options: CheckOptions) => Promise<CheckResult>;
  longPasteChars?: number;
}

/** A file that may continue, with the bytes that will be uploaded. */
export interface Cleared {
  file: File;
  bytes: Uint8Array;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

const isFileInput = (x: unknown): x is HTMLInputElement => x instanceof HTMLInputElement && x.type === 'file';

export class UploadGuard {
  /** Events this guard dispatched itself: they go through untouched. */
  private readonly ours = new WeakSet<Event>();
  /** Inputs whose files are being checked (their `input` and `change` come as a pair). */
  private readonly pending = new WeakSet<HTMLInputElement>();
  /** Checks run one at a time, so cards come one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private readonly check: NonNullable<UploadGuardDeps['check']>;

  constructor(private readonly deps: UploadGuardDeps) {
    this.check = deps.check ?? checkFile;
  }

  install(doc: Document): void {
    doc.addEventListener('input', this.onPick, true);
    doc.addEventListener('change', this.onPick, true);
    doc.addEventListener('drop', this.onDrop, true);
    doc.addEventListener('paste', this.onPaste, true);
  }

  /** Runs `files` through the checks; resolves with the files that may continue (originals or masked copies). */
  screen(files: readonly File[]): Promise<Cleared[]> {
    const run = this.queue.then(() => this.screenAll(files));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private readonly onPick = (e: Event): void => {
    const input = e.composedPath()[0];
    if (this.ours.has(e) || !isFileInput(input)) return;
    if (this.pending.has(input)) return stop(e); // the `change` after the `input` we took
    const files = Array.from(input.files ?? []);
    if (!files.length) return;
    stop(e);
    this.pending.add(input);
    // Nothing the page reads from the input meanwhile may hold an unchecked file.
    input.value = '';
    void this.screen(files).then((cleared) => {
      this.pending.delete(input);
      if (!cleared.length) return;
      const dt = new DataTransfer();
      for (const c of cleared) dt.items.add(c.file);
      input.files = dt.files;
      this.dispatch(input, new Event('input', { bubbles: true, composed: true }));
      this.dispatch(input, new Event('change', { bubbles: true }));
    });
  };

  private readonly onDrop = (e: DragEvent): void => {
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (this.ours.has(e) || !files.length) return;
    stop(e);
    const target = e.composedPath()[0];
    const init: DragEventInit = {
      bubbles: true,
      cancelable: true,
      composed: true,
      clientX: e.clientX,
      clientY: e.clientY,
      screenX: e.screenX,
      screenY: e.screenY,
    };
    const extra = stringItems(e.dataTransfer);
    void this.screen(files).then((cleared) => {
      if (!cleared.length) return;
      const dataTransfer = transferOf(cleared, extra);
      const event = new DragEvent('drop', { ...init, dataTransfer });
      if ((event.dataTransfer?.files.length ?? 0) !== cleared.length) return this.viaInput(cleared.map((c) => c.file));
      this.dispatch(liveTarget(target, this.deps.composer()), event);
    });
  };

  private readonly onPaste = (e: ClipboardEvent): void => {
    if (this.ours.has(e) || !e.clipboardData) return;
    const data = e.clipboardData;
    const files = Array.from(data.files ?? []);
    const target = e.composedPath()[0];
    if (files.length) {
      stop(e);
      const extra = stringItems(data);
      void this.screen(files).then((cleared) => {
        if (!cleared.length) return;
        const event = pasteEvent(transferOf(cleared, extra));
        if ((event.clipboardData?.files.length ?? 0) !== cleared.length) return this.viaInput(cleared.map((c) => c.file));
        this.dispatch(liveTarget(target, this.deps.composer()), event);
      });
      return;
    }
    const composer = this.deps.composer();
    if (!composer || !e.composedPath().includes(composer)) return;
    const text = data.getData('text/plain');
    if (text.length <= (this.deps.longPasteChars ?? LONG_PASTE_CHARS)) return; // the typing guard has it
    stop(e);
    const extra = stringItems(data);
    const asFile = new File([text], 'pasted.txt', { type: 'text/plain' });
    void this.screen([asFile]).then((cleared) => {
      const first = cleared[0];
      if (!first) return;
      const dt = new DataTransfer();
      const pasted = first.file === asFile ? text : new TextDecoder().decode(first.bytes);
      if (first.file === asFile) {
        for (const [type, value] of extra) dt.setData(type, value);
      } else {
        // A masked copy: only its text goes in (rich formats would carry the original values).
        dt.setData('text/plain', pasted);
      }
      const event = pasteEvent(dt);
      if (event.clipboardData?.getData('text/plain') !== pasted) return this.viaInput([first.file]);
      this.dispatch(liveTarget(target, this.deps.composer()), event);
    }).catch(() => undefined);
  };

  /**
   * Firefox drops the data of drop and paste events made by an extension script, so there the
   * cleared files go in through the site's file input, as if picked (the site uploads them the same way).
   */
  private viaInput(files: File[]): void {
    const input = this.deps.fileInput?.();
    if (!input) {
      void this.deps.card.notice(
        'The files could not be attached',
        'They were checked and may be uploaded, but this browser did not let PromptWarden hand them to the page. Attach them with the + button.',
      );
      return;
    }
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(f);
    input.files = dt.files;
    this.dispatch(input, new Event('input', { bubbles: true, composed: true }));
    this.dispatch(input, new Event('change', { bubbles: true }));
  }

  private dispatch(target: EventTarget, event: Event): void {
    this.ours.add(event);
    target.dispatchEvent(event);
  }

  private async screenAll(files: readonly File[]): Promise<Cleared[]> {
    const cleared: Cleared[] = [];
    const take = files.slice(0, MAX_FILES_PER_EVENT);
    for (const file of take) {
      const ok = await this.screenOne(file);
      if (ok) cleared.push(ok);
    }
    if (files.length > take.length) {
      void this.deps.card.notice(
        'Some files were not attached',
        `PromptWarden checks up to ${MAX_FILES_PER_EVENT} files at a time; ${files.length - take.length} more were not attached. Attach them in another batch.`,
      );
    }
    for (const c of cleared) this.deps.clear(c.bytes.length, await sha256Hex(c.bytes));
    return cleared;
  }

  /** One file: the file (or its masked copy) that may continue, or null. Never throws. */
  private async screenOne(file: File): Promise<Cleared | null> {
    const { card, reporter } = this.deps;
    const abort = new AbortController();
    const showProgress = file.size > PROGRESS_FROM_BYTES;
    const cancel = () => abort.abort();
    if (showProgress) card.progress(file.name, 0, cancel);
    try {
      let bytes: Uint8Array | null = null;
      if (file.size <= MAX_FILE_BYTES) {
        try {
          bytes = await ownBytes(file);
        } catch (e) {
          return await this.unchecked(file, null, `the file could not be read (${e instanceof Error ? e.message : String(e)})`);
        }
      }
      const result = await this.check(
        { name: file.name, size: file.size, bytes },
        {
          signal: abort.signal,
          onProgress: (received, total) => {
            if (showProgress && !abort.signal.aborted) card.progress(file.name, received < total ? received / total : null, cancel);
          },
        },
      );
      if (showProgress) card.hide();
      if (!result.ok) {
        if (result.error.kind === 'cancelled') return null; // the user's Cancel: not attached, nothing to explain
        return await this.unchecked(file, bytes, result.error.message);
      }
      const { check } = result;
      const decision = decideUpload(check.report, check.uninspectable);
      const keep = (): Cleared | null => (bytes ? { file, bytes } : null);
      switch (decision.kind) {
        case 'pass':
          check.close();
          return keep();
        case 'sanitize':
          return await this.maskedCopy(file, check, decision.findings);
        case 'warn': {
          reporter.event('upload-warned', Math.max(1, decision.findings.length));
          const choice = await card.ask({ kind: 'warn', file: file.name, findings: decision.findings, reason: decision.reason, canSanitize: false });
          check.close();
          if (choice !== 'upload-anyway') return null;
          reporter.event('uploaded-anyway', Math.max(1, decision.findings.length));
          return keep();
        }
        case 'block': {
          reporter.event('upload-blocked', Math.max(1, decision.findings.length));
          const choice = await card.ask({ kind: 'block', file: file.name, findings: decision.findings, reason: decision.reason, canSanitize: decision.canSanitize });
          if (choice === 'masked-copy' && decision.canSanitize) return await this.maskedCopy(file, check, decision.findings, false);
          check.close();
          return null;
        }
      }
    } catch (e) {
      card.hide();
      return this.unchecked(file, null, e instanceof Error ? e.message : String(e));
    }
  }

  private async maskedCopy(
    file: File,
    check: { sanitize: () => Promise<{ ok: true; bytes: Uint8Array; replaced: number } | { ok: false; error: { message: string } }> },
    findings: FileFinding[],
    announce = true,
  ): Promise<Cleared | null> {
    const copy = await check.sanitize();
    if (!copy.ok) {
      this.deps.reporter.event('upload-blocked', findings.length);
      void this.deps.card.notice(`${file.name} was not uploaded`, `PromptWarden could not make a masked copy (${copy.error.message}). Remove the sensitive data from the file and attach it again.`, findings);
      return null;
    }
    this.deps.reporter.event('upload-masked', findings.length);
    if (announce) {
      const n = findings.length;
      void this.deps.card.notice(
        `A masked copy of ${file.name} is being uploaded`,
        `${n} ${n === 1 ? 'item' : 'items'} in the file ${n === 1 ? 'is' : 'are'} masked by your organisation’s policy. The file on your computer is unchanged.`,
        findings,
      );
    }
    const masked = new File([copy.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type, lastModified: file.lastModified });
    return { file: masked, bytes: copy.bytes };
  }

  /** The file could not be checked: the fail mode decides, and the user is told either way. */
  private async unchecked(file: File, bytes: Uint8Array | null, why: string): Promise<Cleared | null> {
    const open = this.deps.failMode() === 'open';
    if (open && bytes) {
      void this.deps.card.notice(`${file.name} was uploaded unchecked`, `PromptWarden could not check it (${why}). Your organisation allows unchecked files.`);
      return { file, bytes };
    }
    this.deps.reporter.event('upload-blocked');
    void this.deps.card.notice(`${file.name} was not uploaded`, `PromptWarden could not check it (${why}), so it was not attached. Try again in a moment.`);
    return null;
  }
}

/**
 * The file's bytes in a buffer of this script's own. In Firefox a File from the page yields a buffer of
 * the page's compartment, on which typed-array methods (`subarray`, …) are denied to a content script;
 * copying element-wise into a fresh buffer is allowed.
 */
async function ownBytes(file: File): Promise<Uint8Array> {
  const view = new Uint8Array(await file.arrayBuffer());
  const own = new Uint8Array(view.length);
  own.set(view);
  return own;
}

function stop(e: Event): void {
  e.preventDefault();
  e.stopImmediatePropagation();
}

/** The non-file entries of a DataTransfer (text, HTML, URLs), kept so a re-dispatched event loses nothing. */
function stringItems(dt: DataTransfer | null): [string, string][] {
  if (!dt) return [];
  return Array.from(dt.types)
    .filter((t) => t !== 'Files')
    .map((t): [string, string] => [t, dt.getData(t)]);
}

function pasteEvent(clipboardData: DataTransfer): ClipboardEvent {
  return new ClipboardEvent('paste', { bubbles: true, cancelable: true, composed: true, clipboardData });
}

function transferOf(files: Cleared[], extra: [string, string][]): DataTransfer {
  const dt = new DataTransfer();
  for (const [type, value] of extra) dt.setData(type, value);
  for (const c of files) dt.items.add(c.file);
  return dt;
}

/** The original target when it is still on the page, otherwise the message box. */
function liveTarget(target: EventTarget | undefined, fallback: Element | null): EventTarget {
  if (target instanceof Node && target.isConnected) return target;
  return fallback ?? document.body;
}

