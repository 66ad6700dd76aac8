// Inline highlights that never touch the editor's DOM: the CSS Custom Highlight API paints ranges
// (styles in content.css, one highlight per action so severity shows); where the API is missing, an
// overlay of boxes drawn over the text's client rects stands in.

import type { Action, Finding } from '../shared/findings';
import type { Composer } from './composer';
import { OverlayHighlights } from './overlay-highlights';

export const HIGHLIGHT_NAMES: Record<Action, string> = {
  block: 'promptwarden-block',
  mask: 'promptwarden-mask',
  warn: 'promptwarden-warn',
  allow: 'promptwarden-info',
};

export interface HighlightPainter {
  paint(composer: Composer, findings: readonly Finding[]): void;
  clear(): void;
}

class CssHighlights implements HighlightPainter {
  paint(composer: Composer, findings: readonly Finding[]): void {
    const model = composer.model();
    const groups: Record<Action, Range[]> = { block: [], mask: [], warn: [], allow: [] };
    if (model) {
      for (const f of findings) {
        const r = composer.range(f, model);
        if (r) groups[f.action].push(r);
      }
    }
    for (const action of Object.keys(groups) as Action[]) {
      const ranges = groups[action];
      if (ranges.length) CSS.highlights.set(HIGHLIGHT_NAMES[action], new Highlight(...ranges));
      else CSS.highlights.delete(HIGHLIGHT_NAMES[action]);
    }
  }

  clear(): void {
    for (const name of Object.values(HIGHLIGHT_NAMES)) CSS.highlights.delete(name);
  }
}

export function createHighlights(): HighlightPainter {
  return typeof CSS !== 'undefined' && 'highlights' in CSS ? new CssHighlights() : new OverlayHighlights();
}
