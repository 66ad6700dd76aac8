import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DomNode, offsetOf, pointAt, readEditable } from './composer-text';

/** A tiny element/text tree with parent links, enough for the module's DomNode interface. */
function el(name: string, children: DomNode[] = [], cls = ''): DomNode {
  const node = { nodeType: 1, nodeName: name, childNodes: children, parentNode: null, getAttribute: (a: string) => (a === 'class' ? cls : null) };
  for (const c of children) (c as { parentNode: DomNode | null }).parentNode = node;
  return node;
}
const txt = (data: string): DomNode => ({ nodeType: 3, nodeName: '#text', childNodes: [], data, parentNode: null });
const trailing = () => el('BR', [], 'ProseMirror-trailingBreak');

test('paragraphs join with one newline; hard breaks are newlines; trailing breaks are nothing', () => {
  const root = el('DIV', [
    el('P', [txt('Hello '), el('STRONG', [txt('bob@acme.com')]), txt(' there')]),
    el('P', [trailing()]), // an empty paragraph
    el('P', [txt('line'), el('BR'), txt('break')]),
  ]);
  assert.equal(readEditable(root).text, 'Hello bob@acme.com there\n\nline\nbreak');
});

test('an empty editor (one paragraph with a trailing break) has no text', () => {
  assert.equal(readEditable(el('DIV', [el('P', [trailing()])])).text, '');
});

test('nested containers, and bare inline content', () => {
  const root = el('DIV', [el('UL', [el('LI', [el('P', [txt('a')])]), el('LI', [el('P', [txt('b')])])]), el('P', [txt('c')])]);
  assert.equal(readEditable(root).text, 'a\nb\nc');
  assert.equal(readEditable(el('DIV', [txt('just text')])).text, 'just text');
});

test('points map offsets to text nodes, with start and end bias at boundaries', () => {
  const a = txt('Hello ');
  const b = txt('bob@acme.com');
  const c = txt('key');
  const p2 = el('P', [c]);
  const root = el('DIV', [el('P', [a, el('EM', [b])]), p2]);
  const model = readEditable(root);
  assert.equal(model.text, 'Hello bob@acme.com\nkey');
  assert.deepEqual(pointAt(model, 6, 'start'), { node: b, offset: 0 });
  assert.deepEqual(pointAt(model, 6, 'end'), { node: a, offset: 6 });
  assert.deepEqual(pointAt(model, 18, 'end'), { node: b, offset: 12 });
  assert.deepEqual(pointAt(model, 19, 'start'), { node: c, offset: 0 });
  assert.deepEqual(pointAt(model, 22, 'end'), { node: c, offset: 3 });
  // At the "\n" itself: before it is just before the second paragraph.
  assert.deepEqual(pointAt(model, 18, 'start'), { node: root, offset: 1 });
  assert.deepEqual(pointAt(model, 19, 'end'), { node: p2, offset: 0 });
  // Past the end clamps to the end.
  assert.deepEqual(pointAt(model, 99, 'start'), { node: c, offset: 3 });
  assert.equal(offsetOf(model, b, 4), 10);
  assert.equal(offsetOf(model, txt('elsewhere'), 0), null);
});

test('every offset of a long document maps back to itself', () => {
  const paras = Array.from({ length: 50 }, (_, i) => el('P', [txt(`line ${i} 😀 中`)]));
  const model = readEditable(el('DIV', paras));
  for (let off = 0; off < model.text.length; off++) {
    if (model.text[off] === '\n') continue;
    const p = pointAt(model, off, 'start');
    assert.ok(p && p.node.nodeType === 3, `offset ${off}`);
    assert.equal(offsetOf(model, p.node, p.offset), off);
  }
});
