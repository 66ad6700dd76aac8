// Scans the composer while the user types: at once when nothing is in flight, coalesced while a scan
// runs (at most one in flight, one waiting), and incrementally — only the edited region, plus margins
// wide enough for the engine's context windows, is sent to the engine; findings elsewhere are kept and
// shifted. When typing pauses, one full scan reconciles whatever an incremental scan could not see.

import type { Finding } from '../shared/findings';

/** Texts up to this long are always scanned whole. */
export const SMALL_TEXT = 8192;
/**
 * Findings within this distance of an edit are re-decided; the text scanned reaches this far beyond
 * that again, so every re-decided finding sees its full context (the engine's context window is at most
 * 2048 bytes, hence at most 2048 UTF-16 units, either side).
 */
export const MARGIN = 4096;

export interface Plan {
  /** The slice of the new text to scan. */
  scanStart: number;
  scanEnd: number;
  /** Findings starting in [acceptStart, acceptEnd) come from the new scan; the others are kept. */
  acceptStart: number;
  acceptEnd: number;
  /** Old findings, moved to the new text's positions (findings touching the edit dropped). */
  kept: Finding[];
}

/** The edited range: common prefix and suffix of the two texts removed. */
export function changedRange(prev: string, next: string): { start: number; prevEnd: number; nextEnd: number } {
  const max = Math.min(prev.length, next.length);
  let start = 0;
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  let suffix = 0;
  while (
    suffix < max - start &&
    prev.charCodeAt(prev.length - 1 - suffix) === next.charCodeAt(next.length - 1 - suffix)
  ) {
    suffix++;
  }
  return { start, prevEnd: prev.length - suffix, nextEnd: next.length - suffix };
}

function lineStart(text: string, at: number): number {
  return at <= 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
}

function lineEnd(text: string, at: number): number {
  const i = text.indexOf('\n', at);
  return i < 0 ? text.length : i;
}

/** How to rescan `next` given the previous text and its findings; null means scan it whole. */
export function plan(prev: { text: string; findings: Finding[] } | null, next: string): Plan | null {
  if (!prev || next.length <= SMALL_TEXT) return null;
  const { start, prevEnd, nextEnd } = changedRange(prev.text, next);
  if (nextEnd - start > next.length / 2) return null;
  const delta = next.length - prev.text.length;
  let acceptStart = Math.max(0, start - MARGIN);
  let acceptEnd = Math.min(next.length, nextEnd + MARGIN);
  const kept: Finding[] = [];
  for (const f of prev.findings) {
    if (f.end <= start) kept.push(f);
    else if (f.start >= prevEnd) kept.push({ ...f, start: f.start + delta, end: f.end + delta });
  }
  // A kept finding straddling the accept zone is re-decided whole.
  for (const f of kept) {
    if (f.start < acceptStart && f.end > acceptStart) acceptStart = f.start;
    if (f.start < acceptEnd && f.end > acceptEnd) acceptEnd = f.end;
  }
  return {
    scanStart: lineStart(next, Math.max(0, acceptStart - MARGIN)),
    scanEnd: lineEnd(next, Math.min(next.length, acceptEnd + MARGIN)),
    acceptStart,
    acceptEnd,
    kept: kept.filter((f) => f.start < acceptStart || f.start >= acceptEnd),
  };
}

/** Kept findings plus those of the region scan (positions relative to `plan.scanStart`). */
export function merge(p: Plan, regionFindings: readonly Finding[]): Finding[] {
  const fresh = regionFindings
    .map((f) => ({ ...f, start: f.start + p.scanStart, end: f.end + p.scanStart }))
    .filter((f) => f.start >= p.acceptStart && f.start < p.acceptEnd);
  const kept = p.kept.filter((k) => !fresh.some((f) => f.start < k.end && k.start < f.end));
  return [...kept, ...fresh].sort((a, b) => a.start - b.start);
}

export interface SchedulerOptions {
  /** The composer's current text. */
  read: () => string;
  /** Asks the engine; null when it could not answer. */
  scan: (text: string) => Promise<Finding[] | null>;
  /** Every completed scan, whole or incremental: the text and all its findings. */
  onResult: (text: string, findings: Finding[], kind: 'full' | 'incremental') => void;
  /** Quiet time after which an incremental state is reconciled by a full scan. */
  idleMs?: number;
}

export class ScanScheduler {
  private last: { text: string; findings: Finding[]; exact: boolean } | null = null;
  private running = false;
  private again = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly idleMs: number;

  constructor(private readonly options: SchedulerOptions) {
    this.idleMs = options.idleMs ?? 400;
  }

  /** The text changed (or may have): scan now, or as soon as the running scan ends. */
  request(): void {
    clearTimeout(this.idleTimer);
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run(false);
  }

  /** Forget the previous state (the composer was replaced); the next scan is whole. */
  reset(): void {
    this.last = null;
  }

  private async run(full: boolean): Promise<void> {
    this.running = true;
    try {
      const text = this.options.read();
      if (this.last && this.last.text === text && (this.last.exact || !full)) return;
      const p = full ? null : plan(this.last, text);
      const found = await this.options.scan(p ? text.slice(p.scanStart, p.scanEnd) : text);
      if (found) {
        const findings = p ? merge(p, found) : found;
        this.last = { text, findings, exact: !p };
        this.options.onResult(text, findings, p ? 'incremental' : 'full');
      }
    } finally {
      this.running = false;
      if (this.again) {
        this.again = false;
        void this.run(false);
      } else if (this.last && !this.last.exact) {
        this.idleTimer = setTimeout(() => void this.run(true), this.idleMs);
      }
    }
  }
}
