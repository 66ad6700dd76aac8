// The send guard: Enter in the composer and clicks on the send control are caught at `document`, in
// the capture phase — before the editor's and the app's own handlers — checked against the policy,
// and let go once, by re-triggering the same send, after the decision:
//   nothing to act on → send; only `mask` findings → rewrite, verify, send;
//   `warn` → card: Send anyway / Mask / Edit;   `block` → card: Mask / Edit (no Send anyway).
// IME-safe: an Enter that confirms a composition (isComposing, keyCode 229) is never touched. The
// user's text is never cleared here: on every path that does not send, it stays in the composer.

import type { Finding } from '../shared/findings';
import type { Approvals } from './approvals';
import type { BackgroundClient } from './background-client';
import type { Card, CardItem } from './card';
import type { SiteAdapter } from './chatgpt-adapter';
import { maskInEditor } from './editor-masker';
import type { Reporter } from './reporter';
import type { TypingGuard } from './typing-guard';

type Via = 'enter' | 'click';

export interface SendGuardDeps {
  adapter: SiteAdapter;
  client: BackgroundClient;
  approvals: Approvals;
  typing: TypingGuard;
  card: Card;
  reporter: Reporter;
}

export class SendGuard {
  /** Set only while we re-dispatch the send ourselves, so our own listeners let it through. */
  private bypass = false;
  private deciding = false;

  constructor(private readonly deps: SendGuardDeps) {}

  install(doc: Document): void {
    doc.addEventListener('keydown', this.onKeydown, true);
    doc.addEventListener('click', this.onClick, true);
  }

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (this.bypass || e.key !== 'Enter' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return;
    if (e.isComposing || e.keyCode === 229) return; // an IME confirming a candidate
    const composer = this.deps.adapter.composer();
    if (!composer || !e.composedPath().includes(composer.element)) return;
    this.intercept(e, 'enter');
  };

  private readonly onClick = (e: MouseEvent): void => {
    if (this.bypass || !this.deps.adapter.isSendControl(e.composedPath())) return;
    this.intercept(e, 'click');
  };

  private intercept(e: Event, via: Via): void {
    e.preventDefault();
    e.stopImmediatePropagation();
    if (!this.deciding) void this.decide(via);
  }

  private async decide(via: Via): Promise<void> {
    this.deciding = true;
    try {
      await this.check(via);
    } finally {
      this.deciding = false;
    }
  }

  private async check(via: Via): Promise<void> {
    const { adapter, client, approvals, card, reporter, typing } = this.deps;
    const composer = adapter.composer();
    const text = composer?.read() ?? '';
    if (!composer || text.trim() === '') return this.resend(via);
    const reply = await client.ask({ type: 'scan', text });
    if (!reply.ok) {
      if (typing.policyFailMode === 'open') return this.resend(via);
      return this.notice(`PromptWarden could not check this message (${reply.error.message}), so it was not sent. Try again in a moment.`);
    }
    if (composer.read() !== text) return this.check(via); // typed while we checked: check what is there now
    const findings = reply.findings.filter((f) => f.action !== 'allow' && !approvals.has(text.slice(f.start, f.end)));
    const blocked = findings.filter((f) => f.action === 'block');
    const warned = findings.filter((f) => f.action === 'warn');
    const justified = findings.filter((f) => f.action === 'justify');
    if (!findings.length) return this.resend(via);
    if (!blocked.length && !warned.length && !justified.length) {
      const outcome = await maskInEditor(composer, client, { actions: ['mask'] });
      if (!outcome.ok) return this.notice(`Could not mask the message (${outcome.reason}), so it was not sent.`);
      reporter.event('masked', outcome.count);
      reporter.decision('send', 'masked', findings, { text });
      return this.resend(via);
    }
    reporter.event(blocked.length ? 'blocked' : 'warned', findings.length);
    // The policy refused this send as it is; what the user does next is reported as it happens.
    if (blocked.length) reporter.decision('send', 'blocked', blocked, { text });
    const items: CardItem[] = findings.map((finding) => ({ finding, value: text.slice(finding.start, finding.end) }));
    card.show(
      { mode: 'send', items },
      {
        mask: (item) => void this.after(this.masked(typing.mask([item]), [item], text), via),
        ignore: (item) => {
          approvals.add(item.value);
          reporter.event('ignored');
          reporter.decision('send', 'ignored', [item.finding], { text });
          void this.after(Promise.resolve(true), via);
        },
        maskAll: () => void this.after(this.masked(typing.mask(items), items, text), via),
        sendAnyway: blocked.length || justified.length ? undefined : () => void this.sendAnyway(items, warned, via, text),
        sendWithReason:
          blocked.length || !justified.length ? undefined : (reason) => void this.sendWithReason(items, [...warned, ...justified], via, text, reason),
        close: () => {
          card.hide();
          composer.focus();
          if (!blocked.length) reporter.decision('send', 'cancelled', warned, { text });
        },
      },
    );
  }

  /** After a decision in the card: check again, which sends if nothing is left to decide. */
  private async after(action: Promise<boolean>, via: Via): Promise<void> {
    if (!(await action)) return; // the card now explains the failure; the text is untouched
    this.deps.card.hide();
    await this.decide(via);
  }

  /** Reports the items as masked once the mask succeeded. */
  private async masked(action: Promise<boolean>, items: CardItem[], text: string): Promise<boolean> {
    const ok = await action;
    if (ok) this.deps.reporter.decision('send', 'masked', items.map((i) => i.finding), { text });
    return ok;
  }

  /** A `justify` send: the reason goes with the decision (kept in the audit log only if the policy asks). */
  private async sendWithReason(items: CardItem[], decided: Finding[], via: Via, text: string, reason: string): Promise<void> {
    for (const item of items) if (item.finding.action === 'warn' || item.finding.action === 'justify') this.deps.approvals.add(item.value);
    this.deps.reporter.event('sent-anyway', decided.length);
    this.deps.reporter.decision('send', 'justified', decided, { text, justification: reason });
    await this.after(Promise.resolve(true), via);
  }

  private async sendAnyway(items: CardItem[], warned: Finding[], via: Via, text: string): Promise<void> {
    for (const item of items) if (item.finding.action === 'warn') this.deps.approvals.add(item.value);
    this.deps.reporter.event('sent-anyway', warned.length);
    this.deps.reporter.decision('send', 'sent-anyway', warned, { text });
    await this.after(Promise.resolve(true), via); // `mask` findings are still masked on the way out
  }

  private notice(message: string): void {
    this.deps.card.show(
      { mode: 'notice', items: [], notice: message },
      { mask() {}, ignore() {}, maskAll() {}, close: () => this.deps.card.hide() },
    );
  }

  /** Sends once, the way the user asked to, past our own listeners. */
  private resend(via: Via): void {
    const { adapter } = this.deps;
    const composer = adapter.composer();
    this.bypass = true;
    try {
      const button = via === 'click' ? adapter.sendButton() : null;
      if (button) {
        button.click();
        return;
      }
      composer?.focus();
      composer?.element.dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true, composed: true }),
      );
    } finally {
      this.bypass = false;
    }
  }
}
