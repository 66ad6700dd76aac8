// What the user sees of an upload check, in the same closed-shadow card style as the send card:
//   progress — "Checking report.docx…" with a bar and Cancel, for files over 1 MB;
//   a decision card per file — what was found and where (location, kind, masked preview), and the
//   choices the policy leaves: Upload anyway / Cancel (warn), Upload a masked copy / Don't upload
//   (block, when a redacted copy can be made), or OK;
//   a notice — a masked copy went instead, or the file could not be checked.
// Keyboard first: focus moves to the primary button, Tab stays inside, Escape cancels.

import type { Action } from '../shared/findings';
import type { FileFinding } from '../shared/messages';
import { ACTION_LABELS, CATEGORY_LABELS, findingTitle } from './finding-labels';
import { placeNear, type UiHost } from './ui-host';
import { SHIELD_SVG } from './ui-styles';

/** Files larger than this show progress while they are checked. */
export const PROGRESS_FROM_BYTES = 1024 * 1024;
/** Findings listed per file (the rest are counted). */
export const MAX_LISTED = 50;

export type UploadChoice = 'upload-anyway' | 'masked-copy' | 'cancel';

export interface UploadView {
  kind: 'block' | 'warn';
  file: string;
  findings: FileFinding[];
  /** Why the file could not be read, or why no masked copy can be made. */
  reason: string | null;
  canSanitize: boolean;
}

const CSS = `
.card.upload .file { font-weight: 650; word-break: break-all; }
.card.upload .where { font-size: 12px; color: var(--muted); }
.card.upload .reason { margin: 0 12px 10px; padding: 10px 12px; border-radius: 10px; background: var(--sev-soft); font-size: 13px; }
.card.upload .more { margin: 0 12px 8px; font-size: 12.5px; color: var(--muted); }
.card.progress { padding-bottom: 4px; }
.card .bar { margin: 4px 16px 12px 54px; height: 6px; border-radius: 999px; background: var(--soft); overflow: hidden; }
.card .bar > span { display: block; height: 100%; width: 0; background: var(--primary); transition: width 0.12s linear; }
.card .bar.busy > span { width: 35%; animation: pw-busy 1.1s ease-in-out infinite; }
@keyframes pw-busy { from { transform: translateX(-100%); } to { transform: translateX(290%); } }
`;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function button(label: string, cls: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', cls, label);
  b.type = 'button';
  b.addEventListener('click', (e) => {
    e.preventDefault();
    e.stopPropagation();
    onClick();
  });
  return b;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export class UploadCard {
  private element: HTMLElement | null = null;
  private shown: 'progress' | 'block' | 'warn' | 'notice' | null = null;
  private styled = false;
  private bar: HTMLElement | null = null;
  private status: HTMLElement | null = null;
  /** Settles the open question when the card is replaced or hidden. */
  private settle: (() => void) | null = null;

  constructor(
    private readonly host: UiHost,
    private readonly anchor: () => Element | null,
  ) {}

  /** What the card shows now (tests read it through the isolated world). */
  get mode(): 'progress' | 'block' | 'warn' | 'notice' | null {
    return this.shown;
  }

  get node(): HTMLElement | null {
    return this.element;
  }

  /** Shows or updates the progress card. `fraction` null = checking (indeterminate). */
  progress(file: string, fraction: number | null, onCancel: () => void): void {
    if (this.shown !== 'progress') {
      const card = this.frame('progress', 'allow', `Checking ${file}`, 'PromptWarden checks files on this computer before they are uploaded.', onCancel);
      const bar = el('div', 'bar');
      bar.setAttribute('role', 'progressbar');
      bar.setAttribute('aria-label', `Checking ${file}`);
      bar.setAttribute('aria-valuemin', '0');
      bar.setAttribute('aria-valuemax', '100');
      bar.append(el('span', ''));
      const status = el('span', 'spacer', '');
      status.setAttribute('aria-live', 'polite');
      const footer = el('footer', '');
      const cancel = button('Cancel', '', onCancel);
      footer.append(status, cancel);
      card.append(bar, footer);
      this.open(card, 'progress', cancel);
      this.bar = bar;
      this.status = status;
    }
    const bar = this.bar;
    if (!bar || !this.status) return;
    bar.classList.toggle('busy', fraction === null);
    const fill = bar.firstElementChild as HTMLElement;
    if (fraction === null) {
      fill.style.width = '';
      bar.removeAttribute('aria-valuenow');
      this.status.textContent = 'Scanning…';
    } else {
      const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100);
      fill.style.width = `${pct}%`;
      bar.setAttribute('aria-valuenow', String(pct));
      this.status.textContent = `Reading ${pct}%`;
    }
  }

  /** Asks what to do with a file that was stopped or needs a decision. */
  ask(view: UploadView): Promise<UploadChoice> {
    return new Promise((resolve) => {
      let done = false;
      const choose = (choice: UploadChoice) => {
        if (done) return;
        done = true;
        this.hide();
        resolve(choice);
      };
      const n = view.findings.length;
      const title = view.kind === 'block' ? `${view.file} was not uploaded` : `Check ${view.file} before it is uploaded`;
      let lead: string;
      if (!n) lead = view.kind === 'block' ? 'PromptWarden could not check this file, and your organisation does not allow unchecked files.' : 'PromptWarden could not check what is inside this file.';
      else if (view.kind === 'block') {
        const blocked = view.findings.filter((f) => f.action === 'block').length || n;
        const others = n - blocked;
        lead =
          `It contains ${plural(blocked, 'item')} your organisation does not allow to be shared` +
          `${others ? ` and ${plural(others, 'other item')} to check` : ''}.${view.canSanitize ? ' You can upload a copy with them masked.' : ''}`;
      }
      else lead = `It contains ${plural(n, 'item')} that may be sensitive. Nothing has been uploaded yet.`;
      const worst: Action = view.kind;
      const card = this.frame(view.kind, worst, title, lead, () => choose('cancel'));
      card.classList.add('upload');
      if (view.reason) card.append(el('p', 'reason', view.reason));
      if (n) card.append(this.list(view.findings));

      const footer = el('footer', '');
      footer.append(el('span', 'spacer', 'PromptWarden'));
      let primary: HTMLButtonElement;
      if (view.kind === 'warn') {
        footer.append(button('Cancel', '', () => choose('cancel')));
        primary = button('Upload anyway', 'primary', () => choose('upload-anyway'));
      } else if (view.canSanitize) {
        footer.append(button('Don’t upload', '', () => choose('cancel')));
        primary = button('Upload a masked copy', 'primary', () => choose('masked-copy'));
      } else {
        primary = button('OK', 'primary', () => choose('cancel'));
      }
      footer.append(primary);
      card.append(footer);
      this.open(card, view.kind, primary, () => choose('cancel'));
    });
  }

  /** A message with an OK button; resolves when it is closed. */
  notice(title: string, text: string, findings: FileFinding[] = []): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const close = () => {
        if (done) return;
        done = true;
        this.hide();
        resolve();
      };
      const card = this.frame('notice', findings.length ? 'mask' : 'allow', title, text, close);
      card.classList.add('upload');
      if (findings.length) card.append(this.list(findings));
      const footer = el('footer', '');
      footer.append(el('span', 'spacer', 'PromptWarden'));
      const ok = button('OK', 'primary', close);
      footer.append(ok);
      card.append(footer);
      this.open(card, 'notice', ok, close);
    });
  }

  hide(): void {
    const settle = this.settle;
    this.settle = null;
    this.element?.remove();
    this.element = null;
    this.shown = null;
    this.bar = null;
    this.status = null;
    settle?.();
  }

  private list(findings: FileFinding[]): HTMLElement {
    const box = el('div', '');
    box.style.display = 'contents';
    const list = el('ul', '');
    list.setAttribute('aria-label', 'Findings in the file');
    for (const f of findings.slice(0, MAX_LISTED)) {
      const li = el('li', `sev-${f.action}`);
      const row = el('div', 'row');
      row.append(el('span', 'name', findingTitle(f)), el('span', 'tag', ACTION_LABELS[f.action]), el('span', 'cat', CATEGORY_LABELS[f.category]));
      const code = el('code', '', f.preview); // masked by the engine; never the raw value
      code.setAttribute('aria-label', 'value, partly hidden');
      li.append(row, el('div', 'where', f.location), code);
      list.append(li);
    }
    box.append(list);
    if (findings.length > MAX_LISTED) box.append(el('p', 'more', `and ${findings.length - MAX_LISTED} more`));
    return box;
  }

  /** The card's frame: header with shield, title, close; the lead line. */
  private frame(mode: string, severity: Action, title: string, lead: string, onClose: () => void): HTMLElement {
    const card = el('section', `card ${mode === 'progress' ? 'progress' : ''} sev-${severity}`);
    card.setAttribute('role', mode === 'progress' ? 'status' : 'dialog');
    card.setAttribute('aria-modal', 'false');
    card.setAttribute('aria-labelledby', 'pw-upload-title');
    const header = el('header', '');
    const shield = el('span', 'shield');
    shield.innerHTML = SHIELD_SVG; // static markup, no page data
    const h2 = el('h2', '', title);
    h2.id = 'pw-upload-title';
    const close = button('×', 'quiet close', onClose);
    close.setAttribute('aria-label', mode === 'progress' ? 'Cancel' : 'Close');
    header.append(shield, h2, close);
    card.append(header, el('p', 'lead', lead));
    return card;
  }

  private open(card: HTMLElement, mode: 'progress' | 'block' | 'warn' | 'notice', focus: HTMLElement, onEscape?: () => void): void {
    this.hide();
    const root = this.host.mount();
    if (!this.styled || !root.querySelector('style[data-upload]')) {
      const style = el('style', '', CSS);
      style.dataset.upload = '';
      root.prepend(style);
      this.styled = true;
    }
    card.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && onEscape) {
        e.preventDefault();
        onEscape();
      } else if (e.key === 'Tab') {
        const buttons = Array.from(card.querySelectorAll('button'));
        const inside = (card.getRootNode() as ShadowRoot).activeElement;
        const first = buttons[0];
        const last = buttons[buttons.length - 1];
        if (e.shiftKey && inside === first) {
          e.preventDefault();
          last?.focus();
        } else if (!e.shiftKey && inside === last) {
          e.preventDefault();
          first?.focus();
        }
      }
    });
    root.append(card);
    placeNear(card, this.anchor());
    this.element = card;
    this.shown = mode;
    if (onEscape) this.settle = onEscape;
    focus.focus();
  }
}
