// Everything the guards know about ChatGPT's page, in one object: where the composer is, which control
// sends, and whether all of that is where it should be (the health check). Selectors are defaults
// gathered from the site's rollouts; a missing element is reported, never silently skipped.

import type { SiteHealth } from '../shared/messages';
import { type Composer, plainComposer, richComposer } from './composer';

/** Rich composers first: the hidden fallback textarea next to ProseMirror must not win. */
export const RICH_COMPOSER_SELECTORS = ['div#prompt-textarea[contenteditable="true"]', 'div.ProseMirror[contenteditable="true"]'];
export const PLAIN_COMPOSER_SELECTORS = ['textarea#prompt-textarea', 'textarea[name="prompt-textarea"]'];
export const SEND_SELECTORS = [
  'button[data-testid="send-button"]',
  '#composer-submit-button',
  'button[aria-label*="Send" i]',
  'form button[type="submit"]',
];

export interface SiteAdapter {
  composer(): Composer | null;
  sendButton(): HTMLElement | null;
  /** Whether an event's path goes through the send control. */
  isSendControl(path: readonly EventTarget[]): boolean;
  health(wireGuard: boolean): SiteHealth;
}

function visible(el: Element): boolean {
  return el.getClientRects().length > 0;
}

export class ChatGptAdapter implements SiteAdapter {
  private cached: Composer | null = null;
  private sendSeen = true;

  constructor(private readonly doc: Document = document) {}

  composer(): Composer | null {
    if (this.cached?.element.isConnected) return this.cached;
    this.cached = null;
    for (const sel of RICH_COMPOSER_SELECTORS) {
      const el = this.doc.querySelector<HTMLElement>(sel);
      if (el) return (this.cached = richComposer(el));
    }
    for (const sel of PLAIN_COMPOSER_SELECTORS) {
      const el = this.doc.querySelector<HTMLTextAreaElement>(sel);
      if (el && visible(el)) return (this.cached = plainComposer(el));
    }
    return null;
  }

  sendButton(): HTMLElement | null {
    // Prefer the composer's own form: a page has other buttons with "Send" in their label.
    const scope: ParentNode = this.composer()?.element.closest('form') ?? this.doc;
    for (const sel of SEND_SELECTORS) {
      const el = scope.querySelector<HTMLElement>(sel);
      if (el) return el;
    }
    return null;
  }

  isSendControl(path: readonly EventTarget[]): boolean {
    const button = this.sendButton();
    return button !== null && path.includes(button);
  }

  health(wireGuard: boolean): SiteHealth {
    const composer = this.composer();
    const problems: string[] = [];
    if (!composer) problems.push('composer not found: typing is not checked (requests still are)');
    // The send button only exists while the composer holds something (a voice button stands in for it
    // otherwise), so it can only be checked then; until then the last answer stands.
    if (composer && composer.read().trim() !== '') this.sendSeen = this.sendButton() !== null;
    if (!this.sendSeen) problems.push('send control not found: clicks on it are not checked (Enter and requests still are)');
    if (!wireGuard) problems.push('request guard not connected: requests are not checked');
    return { composer: composer !== null, sendControl: this.sendSeen, wireGuard, problems };
  }
}
