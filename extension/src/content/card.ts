// The card that explains findings and offers what can be done: Mask, Mask all, Ignore once, and on
// send, Send anyway (only when nothing is blocked) or Edit. A finding whose policy action is `justify`
// has no Ignore once and no Send anyway: it is sent only with a reason typed in the card.
// A non-modal dialog in the closed shadow
// root: keyboard first (focus moves in, Tab stays in, Escape means Edit), labelled for screen readers.

import { type Finding, mostSevere } from '../shared/findings';
import { ACTION_LABELS, CATEGORY_LABELS, findingTitle, preview, WHY } from './finding-labels';
import { placeNear, type UiHost } from './ui-host';
import { SHIELD_SVG } from './ui-styles';

/** The longest reason a user may type for a `justify` send. */
export const MAX_REASON_LENGTH = 500;

export interface CardItem {
  finding: Finding;
  /** The matched text (shown only as a preview). */
  value: string;
}

export interface CardView {
  mode: 'review' | 'send' | 'notice';
  items: CardItem[];
  /** A message shown above the list (errors, what just happened). */
  notice?: string;
  /** The item to mark and scroll to (a click on its highlight). */
  focusStart?: number;
}

export interface CardActions {
  mask(item: CardItem): void;
  ignore(item: CardItem): void;
  maskAll(): void;
  /** Offered on send when nothing is blocked and nothing needs a reason. */
  sendAnyway?(): void;
  /** Offered on send when a finding needs a reason (`justify`) and nothing is blocked. */
  sendWithReason?(reason: string): void;
  /** Close / Edit / Escape. */
  close(): void;
}

function button(label: string, cls: string, onClick: () => void, aria?: string): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (cls) b.className = cls;
  if (aria) b.setAttribute('aria-label', aria);
  b.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    onClick();
  });
  return b;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function headline(view: CardView): { title: string; lead: string } {
  const n = view.items.length;
  const items = `${n} ${n === 1 ? 'item' : 'items'}`;
  const worst = mostSevere(view.items.map((i) => i.finding));
  if (view.mode === 'notice') return { title: 'PromptWarden', lead: '' };
  if (view.mode === 'review') {
    return { title: `${items} in your message may be sensitive`, lead: 'Review them before you send. Nothing has left your browser.' };
  }
  if (worst === 'block') {
    return {
      title: 'This message can’t be sent yet',
      lead: `It contains ${items} your organisation does not allow to be shared. Mask them to send, or edit the message.`,
    };
  }
  return { title: 'Check before sending', lead: `${items} may be sensitive. Your message is kept until you decide.` };
}

export class Card {
  private element: HTMLElement | null = null;
  private shownMode: CardView['mode'] | null = null;

  constructor(
    private readonly host: UiHost,
    private readonly anchor: () => Element | null,
  ) {}

  get open(): boolean {
    return this.element !== null;
  }

  /** What the open card is for, or null when closed. */
  get mode(): CardView['mode'] | null {
    return this.shownMode;
  }

  /** The rendered card (for tests that drive it through the isolated world). */
  get node(): HTMLElement | null {
    return this.element;
  }

  show(view: CardView, actions: CardActions): void {
    const root = this.host.mount();
    const focused = this.element ? (this.element.getRootNode() as ShadowRoot).activeElement : null;
    const hadFocus = focused !== null && (this.element?.contains(focused) ?? false);
    this.element?.remove();
    const worst = mostSevere(view.items.map((i) => i.finding));
    const { title, lead } = headline(view);

    const card = el('section', `card sev-${view.items.length ? worst : 'allow'}`);
    card.setAttribute('role', 'dialog');
    card.setAttribute('aria-modal', 'false');
    card.setAttribute('aria-labelledby', 'pw-title');
    card.setAttribute('aria-describedby', 'pw-lead');

    const header = el('header', '');
    const shield = el('span', 'shield');
    shield.innerHTML = SHIELD_SVG; // static markup, no page data
    const h2 = el('h2', '', title);
    h2.id = 'pw-title';
    header.append(shield, h2, button('×', 'quiet close', actions.close, view.mode === 'send' ? 'Edit message' : 'Close'));
    const leadP = el('p', 'lead', lead);
    leadP.id = 'pw-lead';
    card.append(header, leadP);
    if (view.notice) {
      const notice = el('p', 'notice', view.notice);
      notice.setAttribute('role', 'status');
      card.append(notice);
    }

    const list = el('ul', '');
    list.setAttribute('aria-label', 'Findings');
    for (const item of view.items) {
      const f = item.finding;
      const li = el('li', `sev-${f.action}${view.focusStart === f.start ? ' current' : ''}`);
      const row = el('div', 'row');
      row.append(el('span', 'name', findingTitle(f)), el('span', 'tag', ACTION_LABELS[f.action]), el('span', 'cat', CATEGORY_LABELS[f.category]));
      const code = el('code', '', preview(item.value));
      code.setAttribute('aria-label', 'value, partly hidden');
      const acts = el('div', 'item-actions');
      acts.append(button('Mask', '', () => actions.mask(item), `Mask ${findingTitle(f)}`));
      if (f.action === 'warn' || f.action === 'allow') {
        acts.append(button('Ignore once', 'quiet', () => actions.ignore(item), `Ignore ${findingTitle(f)} once`));
      }
      li.append(row, code, el('p', 'why', WHY[f.category]), acts);
      list.append(li);
    }
    if (view.items.length) card.append(list);

    const needsReason = view.mode === 'send' && worst === 'justify' && actions.sendWithReason;
    let reason: HTMLTextAreaElement | null = null;
    if (needsReason) {
      const field = el('div', 'reason');
      const label = el('label', '', 'Why does this need to be sent? Your reason is required to send it.');
      label.htmlFor = 'pw-reason';
      reason = el('textarea', '');
      reason.id = 'pw-reason';
      reason.maxLength = MAX_REASON_LENGTH;
      reason.placeholder = 'For example: the customer asked for this reference in the ticket';
      // Enter in the reason must not reach the page's composer shortcuts.
      reason.addEventListener('keydown', (e) => e.stopPropagation());
      field.append(label, reason);
      card.append(field);
    }

    const footer = el('footer', '');
    footer.append(el('span', 'spacer', 'PromptWarden'));
    let primary: HTMLButtonElement | null = null;
    if (view.mode === 'send') {
      footer.append(button('Edit', '', actions.close));
      if (needsReason && reason) {
        const field = reason;
        const send = button('Send with reason', '', () => {
          const text = field.value.trim();
          if (text) actions.sendWithReason?.(text);
        });
        send.disabled = true;
        field.addEventListener('input', () => (send.disabled = field.value.trim() === ''));
        footer.append(send);
      } else if (actions.sendAnyway && worst !== 'block') footer.append(button('Send anyway', '', actions.sendAnyway));
      primary = button('Mask all and send', 'primary', actions.maskAll);
    } else if (view.mode === 'review') {
      footer.append(button('Close', '', actions.close));
      if (view.items.length) primary = button('Mask all', 'primary', actions.maskAll);
    } else {
      primary = button('OK', 'primary', actions.close);
    }
    if (primary) footer.append(primary);
    card.append(footer);

    card.addEventListener('keydown', (e) => this.onKey(e, card, actions));
    root.append(card);
    placeNear(card, this.anchor());
    this.element = card;
    this.shownMode = view.mode;
    if (view.focusStart !== undefined) list.querySelector('li.current')?.scrollIntoView({ block: 'nearest' });
    if (view.mode !== 'review' || hadFocus) (primary ?? card.querySelector('button'))?.focus();
  }

  hide(): void {
    this.element?.remove();
    this.element = null;
    this.shownMode = null;
  }

  private onKey(e: KeyboardEvent, card: HTMLElement, actions: CardActions): void {
    if (e.key === 'Escape') {
      e.preventDefault();
      actions.close();
      return;
    }
    if (e.key !== 'Tab') return;
    // Keep focus inside the card while it is open.
    const buttons = Array.from(card.querySelectorAll('button'));
    const first = buttons[0];
    const last = buttons[buttons.length - 1];
    const inside = (card.getRootNode() as ShadowRoot).activeElement;
    if (e.shiftKey && inside === first) {
      e.preventDefault();
      last?.focus();
    } else if (!e.shiftKey && inside === last) {
      e.preventDefault();
      first?.focus();
    }
  }
}
