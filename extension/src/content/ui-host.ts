// The one element the extension adds to the page for its UI: a custom element holding a closed shadow
// root (the page can neither style nor read what is inside), attached to <html> so the app's own
// re-renders of <body> leave it alone. Light or dark follows the page.

import { UI_CSS } from './ui-styles';

export class UiHost {
  readonly root: HTMLElement;
  private readonly host: HTMLElement;

  constructor(private readonly doc: Document = document) {
    this.host = doc.createElement('promptwarden-ui');
    const shadow = this.host.attachShadow({ mode: 'closed' });
    const style = doc.createElement('style');
    style.textContent = UI_CSS;
    this.root = doc.createElement('div');
    this.root.className = 'root';
    shadow.append(style, this.root);
    // Keys typed in our UI are ours: the page's shortcuts must not see them.
    for (const type of ['keydown', 'keyup', 'keypress']) this.host.addEventListener(type, (e) => e.stopPropagation());
  }

  /** Attaches the host (again, if the page removed it) and refreshes the theme. */
  mount(): HTMLElement {
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.root.classList.toggle('dark', this.isDark());
    return this.root;
  }

  private isDark(): boolean {
    const html = this.doc.documentElement;
    if (html.classList.contains('dark')) return true;
    if (html.classList.contains('light')) return false;
    return this.doc.defaultView?.matchMedia('(prefers-color-scheme: dark)').matches ?? false;
  }
}

/** Puts UI next to the composer, on the side with more room, no taller than that room. */
export function placeNear(el: HTMLElement, anchor: Element | null, gap = 10): void {
  const view = el.ownerDocument.defaultView;
  const vw = view?.innerWidth ?? 1024;
  const vh = view?.innerHeight ?? 768;
  const rect = anchor?.getBoundingClientRect() ?? { left: vw / 2 - 230, right: vw / 2 + 230, top: vh - 120, bottom: vh - 40, width: 460 };
  const width = Math.min(460, vw - 24);
  el.style.left = `${Math.max(12, Math.min(rect.left, vw - width - 12))}px`;
  const above = rect.top - gap - 12;
  const below = vh - rect.bottom - gap - 12;
  if (above >= below) {
    el.style.top = '';
    el.style.bottom = `${vh - rect.top + gap}px`;
  } else {
    el.style.bottom = '';
    el.style.top = `${rect.bottom + gap}px`;
  }
  el.style.maxHeight = `${Math.max(200, Math.min(560, Math.max(above, below)))}px`;
}
