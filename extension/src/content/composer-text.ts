// The text of a rich-text composer (ProseMirror's contenteditable) as the site sends it, with a map
// from text offsets back to DOM positions — for highlights, for selecting a finding to rewrite it,
// and from a click back to an offset.
//
// The design decision to know: the text must equal what the site reads from its own document model
// (ProseMirror's `textBetween(0, size, "\n", "\n")`): one "\n" between textblocks, "\n" for a hard
// break, nothing for ProseMirror's trailing-break placeholder. The DOM is only the way to reach it.

/** The part of the DOM interface this module needs (so tests can use plain objects). */
export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly childNodes: ArrayLike<DomNode>;
  readonly data?: string;
  readonly parentNode?: DomNode | null;
  getAttribute?(name: string): string | null;
}

const TEXT_NODE = 3;
const ELEMENT_NODE = 1;
const TEXTBLOCKS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'PRE']);
const CONTAINERS = new Set(['DIV', 'UL', 'OL', 'LI', 'BLOCKQUOTE', 'SECTION', 'ARTICLE']);

/** A piece of the text and where it lives: a text node, or a break (`<br>` or a block boundary). */
export interface Segment {
  start: number;
  end: number;
  /** The text node, or for a break the node after which the "\n" stands. */
  node: DomNode;
  kind: 'text' | 'break';
}

export interface TextModel {
  text: string;
  segments: Segment[];
}

function isTrailingBreak(node: DomNode): boolean {
  const cls = node.getAttribute?.('class') ?? '';
  return cls.split(/\s+/).includes('ProseMirror-trailingBreak');
}

/** Reads the text of a contenteditable root. */
export function readEditable(root: DomNode): TextModel {
  const parts: string[] = [];
  const segments: Segment[] = [];
  let length = 0;
  let firstBlock = true;

  const push = (text: string, node: DomNode, kind: Segment['kind']) => {
    segments.push({ start: length, end: length + text.length, node, kind });
    parts.push(text);
    length += text.length;
  };

  const inline = (node: DomNode) => {
    for (let i = 0; i < node.childNodes.length; i++) {
      const child = node.childNodes[i] as DomNode;
      if (child.nodeType === TEXT_NODE) {
        if (child.data) push(child.data, child, 'text');
      } else if (child.nodeType === ELEMENT_NODE) {
        if (child.nodeName === 'BR') {
          if (!isTrailingBreak(child)) push('\n', child, 'break');
        } else {
          inline(child);
        }
      }
    }
  };

  const textblock = (node: DomNode) => {
    if (!firstBlock) push('\n', node, 'break');
    firstBlock = false;
    inline(node);
  };

  const block = (node: DomNode) => {
    // A container holds blocks; anything else with inline content is a textblock.
    const children = Array.from(node.childNodes);
    const holdsBlocks = children.some(
      (c) => c.nodeType === ELEMENT_NODE && (TEXTBLOCKS.has(c.nodeName) || CONTAINERS.has(c.nodeName)),
    );
    if (CONTAINERS.has(node.nodeName) && holdsBlocks) children.forEach(block);
    else if (node.nodeType === ELEMENT_NODE) textblock(node);
  };

  const top = Array.from(root.childNodes);
  if (top.some((c) => c.nodeType === ELEMENT_NODE && (TEXTBLOCKS.has(c.nodeName) || CONTAINERS.has(c.nodeName)))) {
    top.forEach(block);
  } else {
    inline(root); // bare inline content: one textblock
  }
  return { text: parts.join(''), segments };
}

export interface DomPoint {
  node: DomNode;
  offset: number;
}

/** The index of the first segment ending after `offset` (it holds the character at `offset`), or -1. */
function holding(segs: readonly Segment[], offset: number): number {
  let lo = 0;
  let hi = segs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((segs[mid] as Segment).end > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo < segs.length ? lo : -1;
}

function indexIn(parent: DomNode, node: DomNode): number {
  return Array.prototype.indexOf.call(parent.childNodes, node) as number;
}

/** Just before a break's "\n": before the `<br>`, or before the block that the "\n" introduces. */
function beforeBreak(seg: Segment): DomPoint | null {
  const parent = seg.node.parentNode;
  return parent ? { node: parent, offset: indexIn(parent, seg.node) } : null;
}

/** Just after a break's "\n": after the `<br>`, or at the start of the block it introduces. */
function afterBreak(seg: Segment): DomPoint | null {
  if (seg.node.nodeName !== 'BR') return { node: seg.node, offset: 0 };
  const parent = seg.node.parentNode;
  return parent ? { node: parent, offset: indexIn(parent, seg.node) + 1 } : null;
}

/**
 * The DOM position of text offset `offset`. A range start uses `bias: 'start'` (the position before the
 * character at `offset`), a range end `'end'` (the position after the character before `offset`), so a
 * range from one to the other covers exactly the characters between, even across paragraphs.
 */
export function pointAt(model: TextModel, offset: number, bias: 'start' | 'end'): DomPoint | null {
  const segs = model.segments;
  if (!segs.length) return null;
  if (bias === 'start') {
    const i = holding(segs, offset);
    if (i < 0) return pointAt(model, model.text.length, 'end');
    const seg = segs[i] as Segment;
    return seg.kind === 'text' ? { node: seg.node, offset: offset - seg.start } : beforeBreak(seg);
  }
  const i = offset <= 0 ? -1 : holding(segs, offset - 1);
  if (i < 0) return pointAt(model, 0, 'start');
  const seg = segs[i] as Segment;
  return seg.kind === 'text' ? { node: seg.node, offset: offset - seg.start } : afterBreak(seg);
}

/** The text offset of DOM position (node, offset) — for a text node inside the model; else null. */
export function offsetOf(model: TextModel, node: DomNode, offset: number): number | null {
  for (const seg of model.segments) {
    if (seg.kind === 'text' && seg.node === node) return seg.start + Math.min(offset, seg.end - seg.start);
  }
  return null;
}
