// The fallback painter for browsers without the CSS Custom Highlight API: translucent boxes over the
// client rects of each finding's range, in a fixed, click-through layer inside a closed shadow root.
// Repainted on scroll and resize; never inside the editor.

import type { Action, Finding } from '../shared/findings';
import type { Composer } from './composer';

const COLORS: Record<Action, string> = {
  block: 'rgba(217, 48, 37, 0.22)',
  mask: 'rgba(227, 116, 0, 0.2)',
  warn: 'rgba(249, 171, 0, 0.24)',
  justify: 'rgba(249, 171, 0, 0.24)',
  allow: 'rgba(26, 115, 232, 0.14)',
};
const UNDERLINE: Record<Action, string> = { block: '#d93025', mask: '#e37400', warn: '#b06000', justify: '#b06000', allow: '#1a73e8' };

export class OverlayHighlights {
  private host: HTMLElement | null = null;
  private layer: HTMLElement | null = null;
  private last: { composer: Composer; findings: readonly Finding[] } | null = null;
  private readonly repaint = () => {
    if (this.last) this.draw(this.last.composer, this.last.findings);
  };

  paint(composer: Composer, findings: readonly Finding[]): void {
    this.last = { composer, findings };
    this.draw(composer, findings);
  }

  clear(): void {
    this.last = null;
    this.layer?.replaceChildren();
  }

  private ensureLayer(): HTMLElement {
    if (this.layer && this.host?.isConnected) return this.layer;
    this.host = document.createElement('promptwarden-overlay');
    this.host.style.cssText = 'position:fixed;inset:0;pointer-events:none;z-index:2147483646;';
    const root = this.host.attachShadow({ mode: 'closed' });
    this.layer = document.createElement('div');
    root.append(this.layer);
    document.documentElement.append(this.host);
    addEventListener('scroll', this.repaint, { capture: true, passive: true });
    addEventListener('resize', this.repaint, { passive: true });
    return this.layer;
  }

  private draw(composer: Composer, findings: readonly Finding[]): void {
    const layer = this.ensureLayer();
    const model = composer.model();
    const boxes: HTMLElement[] = [];
    for (const f of model ? findings : []) {
      const range = composer.range(f, model ?? undefined);
      for (const rect of range ? Array.from(range.getClientRects()) : []) {
        const box = document.createElement('div');
        box.style.cssText = `position:fixed;left:${rect.left}px;top:${rect.top}px;width:${rect.width}px;height:${rect.height}px;background:${COLORS[f.action]};border-bottom:2px solid ${UNDERLINE[f.action]};border-radius:2px;`;
        boxes.push(box);
      }
    }
    layer.replaceChildren(...boxes);
  }
}
