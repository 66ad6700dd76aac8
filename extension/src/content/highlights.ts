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
  justify: 'promptwarden-warn', // painted like a warning: the user decides, with a reason
  allow: 'promptwarden-info',
};

export interface HighlightPainter {
  paint(composer: Composer, findings: readonly Finding[]): void;
  clear(): void;
}

class CssHighlights implements HighlightPainter {
  paint(composer: Composer, findings: readonly Finding[]): void {
    const model = composer.model();
    // Grouped by highlight name: two actions may share one.
    const groups = new Map<string, Range[]>(Object.values(HIGHLIGHT_NAMES).map((name) => [name, []]));
    if (model) {
      for (const f of findings) {
        const r = composer.range(f, model);
        if (r) groups.get(HIGHLIGHT_NAMES[f.action])?.push(r);
      }
    }
    for (const [name, ranges] of groups) {
      if (ranges.length) CSS.highlights.set(name, new Highlight(...ranges));
      else CSS.highlights.delete(name);
    }
  }

  clear(): void {
    for (const name of Object.values(HIGHLIGHT_NAMES)) CSS.highlights.delete(name);
  }
}

export function createHighlights(): HighlightPainter {
  return typeof CSS !== 'undefined' && 'highlights' in CSS ? new CssHighlights() : new OverlayHighlights();
}
