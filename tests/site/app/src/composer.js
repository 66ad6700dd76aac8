// The prompt editor: a real ProseMirror view on div#prompt-textarea, like chatgpt.com's.
//
// ProseMirror owns the text: the document model (view.state.doc) is the truth,
// the DOM is a rendering of it. Writing the DOM's textContent does not change
// what is sent; the text sent is read from the model.
import { baseKeymap } from 'prosemirror-commands';
import { history, redo, undo } from 'prosemirror-history';
import { keymap } from 'prosemirror-keymap';
import { Schema } from 'prosemirror-model';
import { nodes } from 'prosemirror-schema-basic';
import { EditorState, Plugin } from 'prosemirror-state';
import { Decoration, DecorationSet, EditorView } from 'prosemirror-view';

// Plain paragraphs only (plus soft breaks): the composer is a text box, not a document editor.
const schema = new Schema({
  nodes: { doc: nodes.doc, paragraph: nodes.paragraph, text: nodes.text, hard_break: nodes.hard_break },
});

const PLACEHOLDER = 'Ask anything';

/** Shows "Ask anything" on the empty first paragraph, the way the real site does (a CSS ::before). */
const placeholderPlugin = new Plugin({
  props: {
    decorations(state) {
      const { doc } = state;
      if (doc.childCount !== 1 || doc.firstChild.content.size !== 0) return null;
      return DecorationSet.create(doc, [
        Decoration.node(0, doc.firstChild.nodeSize, { class: 'placeholder', 'data-placeholder': PLACEHOLDER }),
      ]);
    },
  },
});

function docFromText(text) {
  const paras = String(text).split('\n').map((line) => schema.node('paragraph', null, line ? [schema.text(line)] : []));
  return schema.node('doc', null, paras);
}

/**
 * Mounts the editor. Callbacks:
 *   onEnter()        Enter without Shift (send)
 *   onChange(text)   after any document change
 *   onFiles(files)   files dropped or pasted into the editor
 *   longPasteChars   pasted plain text longer than this becomes a file instead
 */
export function createComposer(mount, { onEnter, onChange, onFiles, longPasteChars }) {
  const view = new EditorView({ mount }, {
    state: EditorState.create({
      schema,
      plugins: [
        history(),
        keymap({ 'Mod-z': undo, 'Mod-y': redo, 'Shift-Mod-z': redo, 'Shift-Enter': baseKeymap.Enter }),
        keymap(baseKeymap),
        placeholderPlugin,
      ],
    }),
    attributes: { role: 'textbox', 'aria-multiline': 'true' },

    // Runs before the keymaps. ProseMirror itself only skips keys during a
    // composition it tracked (view.composing); an IME's confirming Enter can
    // also arrive flagged isComposing / keyCode 229, and must not send.
    handleKeyDown(_view, e) {
      if (e.key !== 'Enter' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey) return false;
      if (e.isComposing || e.keyCode === 229) return true;
      onEnter();
      return true; // never split the paragraph on a plain Enter, sent or not
    },

    handlePaste(_view, e) {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length) { onFiles(files); return true; }
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (text.length > longPasteChars) {
        // As on chatgpt.com: a long paste becomes an attachment, not editor text.
        onFiles([new File([text], 'pasted.txt', { type: 'text/plain' })]);
        return true;
      }
      return false;
    },

    handleDrop(_view, e) {
      const files = [...(e.dataTransfer?.files ?? [])];
      if (!files.length) return false;
      onFiles(files);
      return true;
    },

    dispatchTransaction(tr) {
      view.updateState(view.state.apply(tr));
      if (tr.docChanged) onChange(getText());
    },
  });

  /** The text that will be sent: paragraphs joined by "\n", soft breaks as "\n". */
  function getText() {
    const { doc } = view.state;
    return doc.textBetween(0, doc.content.size, '\n', '\n');
  }

  /** Replaces the whole document in one transaction (test hook and "clear after send"). */
  function setText(text) {
    const { state } = view;
    const tr = state.tr.replaceWith(0, state.doc.content.size, docFromText(text).content);
    view.dispatch(tr);
  }

  return { view, getText, setText, clear: () => setText(''), focus: () => view.focus() };
}
