// A small button above the composer's corner while the message holds findings: how many, how serious,
// and a way to open the card (highlights alone cannot be clicked).

import { type Finding, mostSevere } from '../shared/findings';
import type { UiHost } from './ui-host';
import { SHIELD_SVG } from './ui-styles';

export class StatusPill {
  private element: HTMLButtonElement | null = null;

  constructor(
    private readonly host: UiHost,
    private readonly anchor: () => Element | null,
    private readonly onOpen: () => void,
  ) {}

  show(findings: readonly Finding[]): void {
    if (!findings.length) return this.hide();
    const root = this.host.mount();
    const pill = this.element ?? document.createElement('button');
    pill.type = 'button';
    pill.className = `pill sev-${mostSevere(findings)}`;
    const n = findings.length;
    const dot = document.createElement('span');
    dot.className = 'dot';
    dot.innerHTML = SHIELD_SVG; // static markup
    const label = document.createElement('span');
    label.textContent = `${n} sensitive ${n === 1 ? 'item' : 'items'}`;
    const review = document.createElement('span');
    review.className = 'review';
    review.textContent = 'Review';
    pill.replaceChildren(dot, label, review);
    pill.setAttribute('aria-label', `PromptWarden: ${n} sensitive ${n === 1 ? 'item' : 'items'} in your message. Review`);
    if (!this.element) {
      pill.addEventListener('click', (e) => {
        e.preventDefault();
        this.onOpen();
      });
      this.element = pill;
    }
    if (!pill.isConnected) root.append(pill);
    this.place();
  }

  hide(): void {
    this.element?.remove();
    this.element = null;
  }

  /** Keeps the pill on the composer's top-right corner (the composer grows as the user types). */
  place(): void {
    const pill = this.element;
    const rect = this.anchor()?.getBoundingClientRect();
    if (!pill || !rect) return;
    const view = pill.ownerDocument.defaultView;
    const width = pill.offsetWidth || 170;
    pill.style.left = `${Math.max(8, Math.min(rect.right - width, (view?.innerWidth ?? 1024) - width - 8))}px`;
    pill.style.top = `${Math.max(8, rect.top - 36)}px`;
  }
}
