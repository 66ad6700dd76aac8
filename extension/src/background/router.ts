// Answers messages, in trust tiers: content scripts on the guarded sites may scan, mask, review and
// report (health, counts, and decisions for the audit log); the extension's own pages (popup, options)
// may read status. Anything else — another sender, an unknown type, a malformed or oversized message —
// gets a Failure, never an exception.

import { isGuardedPage } from '../shared/chatgpt-endpoints';
import type { Finding, Replacement, ReviewedFinding, Treatment } from '../shared/findings';
import {
  type AdminStatus,
  type ContentToBackground,
  type DecisionReport,
  type Failure,
  failure,
  failureFrom,
  isContentToBackground,
  isPageToBackground,
  type PageToBackground,
  type Replies,
} from '../shared/messages';
import type { Engine } from './engine';
import { MAX_TABS, type TabState } from './tab-state';

export interface Sender {
  id?: string;
  tabId?: number;
  url?: string;
}

export type AnyReply = ({ ok: true } & Replies[keyof Replies]) | Failure;

/** A conversation's placeholder mapping (original values inside: kept in memory only, never stored). */
type Mapping = unknown;

export class Router {
  private readonly mappings = new Map<number, Mapping>();

  constructor(
    private readonly engine: Engine,
    private readonly tabs: TabState,
    private readonly self: { id: string; origin: string; version: string },
    /** Where decisions go for the audit log (background/audit.ts `recordDecision`). */
    private readonly audit: (report: DecisionReport, site: string | undefined) => void = () => {},
    /** The administrator's side: policy and rule-update status, and the extra sites it guards. */
    private readonly admin: { status?: () => AdminStatus; isExtraSite?: (url: string) => boolean } = {},
  ) {}

  handle(message: unknown, sender: Sender): AnyReply {
    if (sender.id !== this.self.id) return failure('forbidden', 'messages are accepted from this extension only');
    try {
      const guarded = isGuardedPage(sender.url) || (!!sender.url && !!this.admin.isExtraSite?.(sender.url));
      if (sender.tabId !== undefined && guarded && isContentToBackground(message)) {
        return this.fromContent(message, sender.tabId, sender.url);
      }
      if (sender.url?.startsWith(this.self.origin) && isPageToBackground(message)) {
        return this.fromPage(message);
      }
      const type = typeof (message as { type?: unknown })?.type === 'string' ? (message as { type: string }).type : '?';
      return failure('bad-message', `unknown or malformed message (type ${type.slice(0, 40)}) from ${sender.url?.slice(0, 80) ?? 'an unknown sender'}`);
    } catch (e) {
      return failureFrom(e);
    }
  }

  /** The tab navigated away or closed: its mapping and counts go. */
  forgetTab(tabId: number): void {
    this.mappings.delete(tabId);
    this.tabs.forget(tabId);
  }

  private fromContent(message: ContentToBackground, tabId: number, url: string | undefined): AnyReply {
    const failMode = this.engine.policy?.fail_mode ?? 'closed';
    switch (message.type) {
      case 'scan': {
        const findings = this.engine.run((d) => d.scan(message.text), url) as Finding[];
        return { ok: true, findings, failMode };
      }
      case 'mask': {
        const request: Record<string, unknown> = { mapping: this.mappings.get(tabId) };
        if (message.spans) request.spans = message.spans.map(({ start, end }) => ({ start, end }));
        if (message.actions) request.actions = message.actions;
        const result = this.engine.run((d) => d.mask(message.text, request), url) as MaskResult;
        this.keepMapping(tabId, result.mapping);
        return { ok: true, text: result.text, replacements: result.replacements };
      }
      case 'review': {
        const request = { stage: message.stage, approved: message.approved, mapping: this.mappings.get(tabId) };
        const result = this.engine.run((d) => d.review(message.text, request), url) as ReviewResult;
        this.keepMapping(tabId, result.mapping);
        return { ok: true, verdict: result.verdict, text: result.text, findings: result.findings, failMode };
      }
      case 'report':
        this.tabs.report(tabId, message);
        return { ok: true };
      case 'decision':
        this.audit(message, url);
        return { ok: true };
    }
  }

  private fromPage(message: PageToBackground): AnyReply {
    return {
      ok: true,
      engine: this.engine.status(),
      tab: message.tabId === undefined ? null : this.tabs.get(message.tabId),
      extensionVersion: this.self.version,
      ...(this.admin.status ? { admin: this.admin.status() } : {}),
    };
  }

  private keepMapping(tabId: number, mapping: Mapping): void {
    this.mappings.delete(tabId);
    this.mappings.set(tabId, mapping);
    if (this.mappings.size > MAX_TABS) {
      const oldest = this.mappings.keys().next().value;
      if (oldest !== undefined) this.mappings.delete(oldest);
    }
  }
}

interface MaskResult {
  text: string;
  replacements: Replacement[];
  mapping: Mapping;
}

interface ReviewResult {
  verdict: Treatment;
  text: string;
  findings: ReviewedFinding[];
  mapping: Mapping;
}

