// The button at the right of the composer: voice (empty), send (has content) or stop (streaming).
//
// Like the real React app, the element is swapped when the kind changes, not
// merely hidden: a guard holding a reference to the old send button ends up
// with a detached node. It is kept when the kind stays the same.
const ICONS = {
  send: '<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true"><path d="M10 16V4M5 9l5-5 5 5" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"/></svg>',
  speech: '<svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true"><path d="M4 8v4M7.5 5v10M11 7v6M14.5 4v12M18 8v4" stroke="currentColor" stroke-width="1.8" stroke-linecap="round"/></svg>',
  stop: '<svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true"><rect width="14" height="14" rx="2" fill="currentColor"/></svg>',
};

// Attributes of the send button; renameSendButton() swaps them for ones no known selector matches.
const SEND_ATTRS = { type: 'submit', id: 'composer-submit-button', 'data-testid': 'send-button', 'aria-label': 'Send prompt' };
const RENAMED_ATTRS = { type: 'button', id: 'composer-primary-action', 'data-testid': 'composer-primary-action', 'aria-label': 'Submit message' };

export function createControls(container, { onSend, onStop }) {
  let kind = null;
  let sendAttrs = SEND_ATTRS;

  function make(k) {
    const b = document.createElement('button');
    const attrs = k === 'send' ? sendAttrs
      : k === 'stop' ? { type: 'button', 'data-testid': 'stop-button', 'aria-label': 'Stop streaming' }
        : { type: 'button', 'data-testid': 'composer-speech-button', 'aria-label': 'Start voice mode' };
    for (const [a, v] of Object.entries(attrs)) b.setAttribute(a, v);
    b.className = k === 'speech' ? 'speech-btn' : 'send-btn';
    b.innerHTML = ICONS[k];
    // type=submit sends through the form's submit event; a type=button send button needs its own click.
    if (k === 'send' && attrs.type !== 'submit') b.addEventListener('click', onSend);
    if (k === 'stop') b.addEventListener('click', onStop);
    return b;
  }

  function render(next, force = false) {
    if (next === kind && !force) return;
    kind = next;
    container.replaceChildren(make(next));
  }

  return {
    render,
    renameSendButton() {
      sendAttrs = RENAMED_ATTRS;
      if (kind === 'send') render('send', true);
    },
  };
}
