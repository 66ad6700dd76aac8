// Fake chatgpt.com page: wires the ProseMirror composer, uploads, and the conversation stream.
//
// api.js is imported first on purpose: it captures window.fetch when evaluated,
// before any other code runs (see the comment there).
import * as api from './api.js';
import { createAttachments } from './attachments.js';
import { createComposer } from './composer.js';
import { createControls } from './controls.js';
import { DeltaState, readEvents } from './sse.js';
import { addAssistantTurn, addUserTurn } from './thread.js';

const LONG_PASTE_CHARS = 8000;
const PREPARE_DEBOUNCE_MS = 300;

const $ = (sel) => document.querySelector(sel);
const form = $('form[data-type="unified-composer"]');
const fileInput = $('#upload-files');
const thread = $('#thread');

const state = {
  busy: false, // an answer is streaming
  abort: null,
  draftId: crypto.randomUUID(), // id of the message being typed (prepare and send share it)
  conversationId: null,
  parentId: null,
  legacy: false, // use /backend-api/conversation instead of /backend-api/f/conversation
  sends: 0,
  errors: [],
};
let prepareTimer = null;

const attachments = createAttachments($('[data-testid="composer-attachments"]'), { onChange: refresh });
const controls = createControls($('#composer-trailing'), { onSend: send, onStop: () => state.abort?.abort() });
const composer = createComposer($('#prompt-textarea'), {
  onEnter: send,
  onChange: (text) => { refresh(); schedulePrepare(text); },
  onFiles: (files) => files.forEach((f) => attachments.add(f)),
  longPasteChars: LONG_PASTE_CHARS,
});

function canSend() {
  return !state.busy && !attachments.pending() && (composer.getText().trim() !== '' || attachments.ready().length > 0);
}

function refresh() {
  const hasContent = composer.getText() !== '' || attachments.list().length > 0;
  controls.render(state.busy ? 'stop' : hasContent ? 'send' : 'speech');
  const sendBtn = $('#composer-trailing .send-btn:not([data-testid="stop-button"])');
  if (sendBtn) sendBtn.disabled = !canSend();
}

// Typed text leaves the browser while typing, before any Send.
function schedulePrepare(text) {
  clearTimeout(prepareTimer);
  if (!text.trim()) return;
  prepareTimer = setTimeout(() => {
    const current = composer.getText();
    if (current.trim()) api.prepare(state.draftId, current).catch((e) => state.errors.push(`prepare: ${e.message}`));
  }, PREPARE_DEBOUNCE_MS);
}

function send() {
  if (!canSend()) return false;
  clearTimeout(prepareTimer);
  const text = composer.getText(); // from the document model, not the DOM
  const files = attachments.ready();
  const messageId = state.draftId;
  state.draftId = crypto.randomUUID();
  state.sends++;
  composer.clear();
  attachments.clear();
  addUserTurn(thread, messageId, text, files);
  const answer = addAssistantTurn(thread);
  state.busy = true;
  state.abort = new AbortController();
  refresh();
  stream({ messageId, text, files, answer }).finally(() => {
    state.busy = false;
    state.abort = null;
    refresh();
  });
  return true;
}

async function stream({ messageId, text, files, answer }) {
  try {
    const res = await api.conversation({
      messageId, text, attachments: files, conversationId: state.conversationId,
      parentId: state.parentId, legacy: state.legacy, signal: state.abort.signal,
    });
    const deltas = new DeltaState();
    for await (const { event, data } of readEvents(res)) {
      if (data === '[DONE]') break;
      const msg = JSON.parse(data);
      if (event !== 'delta') continue;
      deltas.apply(msg);
      const { message, conversation_id: cid } = deltas.root;
      if (cid && cid !== state.conversationId) {
        state.conversationId = cid;
        history.replaceState(null, '', `/c/${cid}`);
      }
      if (message) {
        answer.set(message.content?.parts?.[0] ?? '', message.id);
        state.parentId = message.id;
      }
    }
    answer.done(deltas.root.message?.status ?? 'finished_successfully');
  } catch (e) {
    state.errors.push(`conversation: ${e.message}`);
    answer.fail(e.name === 'AbortError' ? 'Stopped.' : 'Something went wrong. If this issue persists please contact us.');
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  send();
});

$('[data-testid="composer-plus-btn"]').addEventListener('click', () => fileInput.click());
fileInput.addEventListener('change', () => {
  for (const f of fileInput.files) attachments.add(f);
  fileInput.value = ''; // so picking the same file again fires change again
});

// Files dropped anywhere on the page attach too; drops on the editor are handled
// (and default-prevented) by ProseMirror's handleDrop first.
const main = $('#main');
main.addEventListener('dragover', (e) => {
  if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
});
main.addEventListener('drop', (e) => {
  if (e.defaultPrevented || !e.dataTransfer?.files.length) return;
  e.preventDefault();
  for (const f of e.dataTransfer.files) attachments.add(f);
});

refresh();
composer.focus();

// Hooks for tests. Nothing here is needed by the page itself.
window.__site = {
  ready: true,
  view: composer.view,
  LONG_PASTE_CHARS,
  getText: composer.getText,
  setText: composer.setText,
  send,
  renameSendButton: controls.renameSendButton,
  setLegacyEndpoint: (on = true) => { state.legacy = !!on; },
  attachments: attachments.list,
  state: () => ({
    busy: state.busy, sends: state.sends, conversationId: state.conversationId,
    legacy: state.legacy, errors: [...state.errors],
  }),
};
document.dispatchEvent(new CustomEvent('site:ready'));
