// The composer as the guards see it: read its text, find the DOM range of a span, and rewrite spans.
//
// The design decision to know: a rich-text editor (ProseMirror) owns its document, so writing the DOM
// or `textContent` does not stick. Rewrites go through the browser's editing pipeline: a DOM selection
// over the span, then `document.execCommand('insertText')` — one input the editor handles like typing
// (and can undo). Callers read the text back afterwards and compare before they let anything go.

import { type DomNode, offsetOf, pointAt, readEditable, type TextModel } from './composer-text';
import type { Span } from '../shared/findings';

export interface Edit extends Span {
  text: string;
}

export interface Composer {
  readonly element: HTMLElement;
  readonly kind: 'rich' | 'plain';
  /** The text the site would send. */
  read(): string;
  /** A live DOM range over `span`, for highlights (rich composers only). */
  range(span: Span, model?: TextModel): Range | null;
  /** The text model, to build many ranges from one read. */
  model(): TextModel | null;
  /** The text offset of the caret, or null. */
  caret(): number | null;
  /** Applies edits (any order); false when the browser refused one. Read back to verify. */
  replace(edits: readonly Edit[]): boolean;
  /** Replaces everything (restoring a message into an emptied composer). */
  replaceAll(text: string): boolean;
  focus(): void;
}

function insertText(text: string): boolean {
  // execCommand is deprecated but remains the one way to edit through the browser's input pipeline.
  return text === '' ? document.execCommand('delete') : document.execCommand('insertText', false, text);
}

/**
 * Text with line breaks into a rich editor: one paragraph per line. Firefox's `insertText` turns a line
 * break into a space in a contenteditable; `insertParagraph` splits the paragraph in both browsers.
 */
function insertLines(text: string): boolean {
  if (!text.includes('\n')) return insertText(text);
  return text
    .split('\n')
    .every((line, i) => (i === 0 || document.execCommand('insertParagraph')) && (line === '' || document.execCommand('insertText', false, line)));
}

export function richComposer(element: HTMLElement): Composer {
  const model = () => readEditable(element as unknown as DomNode);
  const range = (span: Span, m: TextModel = model()): Range | null => {
    const start = pointAt(m, span.start, 'start');
    const end = pointAt(m, span.end, 'end');
    if (!start || !end) return null;
    const r = document.createRange();
    try {
      r.setStart(start.node as unknown as Node, start.offset);
      r.setEnd(end.node as unknown as Node, end.offset);
    } catch {
      return null;
    }
    return r;
  };
  return {
    element,
    kind: 'rich',
    read: () => model().text,
    model,
    range,
    caret() {
      const sel = document.getSelection();
      if (!sel || !sel.focusNode || !element.contains(sel.focusNode)) return null;
      return offsetOf(model(), sel.focusNode as unknown as DomNode, sel.focusOffset);
    },
    replace(edits) {
      element.focus();
      const selection = document.getSelection();
      if (!selection) return false;
      for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
        const r = range(edit); // the DOM changed after the previous edit: map again
        if (!r) return false;
        selection.removeAllRanges();
        selection.addRange(r);
        if (!insertText(edit.text)) return false;
      }
      return true;
    },
    replaceAll(text) {
      element.focus();
      const selection = document.getSelection();
      if (!selection) return false;
      const all = document.createRange();
      all.selectNodeContents(element);
      selection.removeAllRanges();
      selection.addRange(all);
      return insertLines(text);
    },
    focus: () => element.focus(),
  };
}

export function plainComposer(element: HTMLTextAreaElement): Composer {
  return {
    element,
    kind: 'plain',
    read: () => element.value,
    model: () => null,
    range: () => null,
    caret: () => (document.activeElement === element ? element.selectionEnd : null),
    replace(edits) {
      element.focus();
      for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
        element.setSelectionRange(edit.start, edit.end);
        if (!insertText(edit.text)) return false;
      }
      return true;
    },
    replaceAll(text) {
      element.focus();
      element.select();
      return insertText(text);
    },
    focus: () => element.focus(),
  };
}
