// Renders the conversation turns with the real site's role attributes.
let turnCount = 0;

function turn(thread, role, messageId) {
  const article = document.createElement('article');
  article.className = 'turn';
  article.dataset.testid = `conversation-turn-${++turnCount}`;
  article.dataset.turn = role;
  const msg = document.createElement('div');
  msg.dataset.messageAuthorRole = role;
  if (messageId) msg.dataset.messageId = messageId;
  article.append(msg);
  thread.append(article);
  document.body.classList.remove('empty');
  return msg;
}

export function addUserTurn(thread, messageId, text, files) {
  const msg = turn(thread, 'user', messageId);
  const wrap = document.createElement('div');
  if (files.length) {
    const row = document.createElement('div');
    row.className = 'sent-files';
    for (const f of files) {
      const c = document.createElement('span');
      c.className = 'chip';
      c.textContent = f.name;
      row.append(c);
    }
    msg.before(row);
  }
  wrap.className = 'whitespace-pre-wrap';
  wrap.textContent = text; // never innerHTML: this is user input
  msg.append(wrap);
  thread.scrollTop = thread.scrollHeight;
  return msg;
}

/** Returns {set(text), done(state), fail(message)} for the streaming answer. */
export function addAssistantTurn(thread) {
  const msg = turn(thread, 'assistant');
  const md = document.createElement('div');
  md.className = 'markdown prose';
  const p = document.createElement('p');
  md.append(p);
  msg.append(md);
  msg.dataset.state = 'streaming';
  return {
    set(text, id) {
      p.textContent = text;
      if (id) msg.dataset.messageId = id;
      thread.scrollTop = thread.scrollHeight;
    },
    done(state) { msg.dataset.state = state; },
    fail(message) {
      msg.dataset.state = 'error';
      const err = document.createElement('div');
      err.className = 'error-message';
      err.dataset.testid = 'error-message';
      err.textContent = message;
      md.append(err);
    },
  };
}
