// While the user types or pastes: scan (incrementally, through the ScanScheduler), paint highlights,
// show the count (pill and badge), and open the card on request or on a click inside a highlight.
// It owns the current findings; the send guard reads them.

import type { Finding } from '../shared/findings';
import type { Approvals } from './approvals';
import type { BackgroundClient } from './background-client';
import type { Card, CardItem } from './card';
import type { Composer } from './composer';
import { maskInEditor } from './editor-masker';
import type { HighlightPainter } from './highlights';
import type { Reporter } from './reporter';
import { ScanScheduler } from './scan-scheduler';
import type { StatusPill } from './status-pill';

export interface TypingGuardDeps {
  client: BackgroundClient;
  approvals: Approvals;
  painter: HighlightPainter;
  pill: StatusPill;
  card: Card;
  reporter: Reporter;
  /** Told after every completed scan. */
  onScanned?: (text: string, findings: readonly Finding[]) => void;
}

export class TypingGuard {
  private composer: Composer | null = null;
  private text = '';
  private all: Finding[] = [];
  private failMode: 'open' | 'closed' = 'closed';
  /** Called after each scan's highlights are registered (the benchmark measures up to here). */
  readonly painted = new Set<(findings: readonly Finding[]) => void>();
  private observer: MutationObserver | null = null;
  private readonly scheduler: ScanScheduler;
  private readonly listeners: [string, EventListener][] = [
    ['input', () => this.scheduler.request()],
    ['paste', () => queueMicrotask(() => this.scheduler.request())],
    ['click', () => this.onClick()],
  ];

  constructor(private readonly deps: TypingGuardDeps) {
    this.scheduler = new ScanScheduler({
      read: () => this.composer?.read() ?? '',
      scan: async (text) => {
        if (text.trim() === '') return [];
        const reply = await deps.client.ask({ type: 'scan', text });
        if (!reply.ok) return null;
        this.failMode = reply.failMode;
        return reply.findings;
      },
      onResult: (text, findings) => this.show(text, findings),
    });
  }

  get attached(): Composer | null {
    return this.composer;
  }

  /** The fail mode the policy asks for (as last reported by the engine). */
  get policyFailMode(): 'open' | 'closed' {
    return this.failMode;
  }

  /** Findings of the current text the user has not waved through. */
  get findings(): Finding[] {
    return this.all.filter((f) => !this.deps.approvals.has(this.text.slice(f.start, f.end)));
  }

  attach(composer: Composer | null): void {
    if (composer === this.composer) return;
    this.detach();
    this.composer = composer;
    if (!composer) return;
    for (const [type, fn] of this.listeners) composer.element.addEventListener(type, fn);
    // Changes that fire no input event (the app setting text, undo) still change the DOM.
    this.observer = new MutationObserver(() => this.scheduler.request());
    this.observer.observe(composer.element, { childList: true, characterData: true, subtree: true });
    this.scheduler.reset();
    this.scheduler.request();
  }

  /** The rules changed: forget what the last scan found and scan the whole text again. */
  rescanAll(): void {
    this.scheduler.reset();
    this.scheduler.request();
  }

  /** Scan again now (after a mask, an ignore, or a change the observers cannot see). */
  rescan(): void {
    this.scheduler.request();
  }

  openCard(focusStart?: number): void {
    const items = this.items();
    if (!items.length) return;
    const view = focusStart === undefined ? { mode: 'review' as const, items } : { mode: 'review' as const, items, focusStart };
    this.deps.card.show(view, {
      mask: (item) => void this.mask([item]),
      ignore: (item) => this.ignore(item),
      maskAll: () => void this.mask(this.items()),
      close: () => {
        this.deps.card.hide();
        this.composer?.focus();
      },
    });
  }

  items(findings: readonly Finding[] = this.findings): CardItem[] {
    return findings.map((finding) => ({ finding, value: this.text.slice(finding.start, finding.end) }));
  }

  ignore(item: CardItem): void {
    this.deps.approvals.add(item.value);
    this.deps.reporter.event('ignored');
    this.show(this.text, this.all);
  }

  /** Masks the given items in the composer; a failure is explained in the card. */
  async mask(items: readonly CardItem[]): Promise<boolean> {
    const composer = this.composer;
    if (!composer || !items.length) return true;
    const outcome = await maskInEditor(composer, this.deps.client, {
      spans: items.map(({ finding }) => ({ start: finding.start, end: finding.end })),
    });
    if (outcome.ok) {
      this.deps.reporter.event('masked', outcome.count);
    } else {
      this.deps.card.show(
        { mode: 'notice', items: [], notice: `Could not mask automatically (${outcome.reason}). Please edit the highlighted text.` },
        { mask() {}, ignore() {}, maskAll() {}, close: () => this.deps.card.hide() },
      );
    }
    this.rescan();
    return outcome.ok;
  }

  private show(text: string, findings: Finding[]): void {
    this.text = text;
    this.all = findings;
    const visible = this.findings;
    if (this.composer) this.deps.painter.paint(this.composer, visible);
    this.deps.pill.show(visible);
    this.deps.reporter.findingCount(visible.length);
    if (this.deps.card.mode === 'review') {
      if (visible.length) this.openCard();
      else this.deps.card.hide();
    }
    this.deps.onScanned?.(text, visible);
    for (const listener of this.painted) listener(visible);
  }

  private onClick(): void {
    const at = this.composer?.caret();
    if (at === null || at === undefined) return;
    const hit = this.findings.find((f) => f.start <= at && at <= f.end);
    if (hit) this.openCard(hit.start);
  }

  private detach(): void {
    if (this.composer) for (const [type, fn] of this.listeners) this.composer.element.removeEventListener(type, fn);
    this.observer?.disconnect();
    this.observer = null;
    this.composer = null;
    this.all = [];
    this.text = '';
    this.deps.painter.clear();
    this.deps.pill.hide();
  }
}
