// Attached files: each is uploaded the moment it is attached (not at send),
// and shown as a chip in the composer.
import { uploadFile } from './api.js';

const DOC_ICON = '<svg width="18" height="18" viewBox="0 0 20 20" aria-hidden="true"><path d="M5 2h7l4 4v12H5z" fill="none" stroke="currentColor" stroke-width="1.6"/></svg>';

export function createAttachments(container, { onChange }) {
  let items = [];

  function chip(item) {
    const el = document.createElement('div');
    el.className = 'chip';
    el.dataset.testid = 'attachment-chip';
    el.innerHTML = `<div class="chip-icon">${DOC_ICON}</div><div class="chip-text"><div class="chip-name"></div><div class="chip-meta"></div></div>`
      + '<button type="button" class="chip-remove" aria-label="Remove file">\u00d7</button>';
    el.querySelector('.chip-name').textContent = item.name; // textContent: names are user data
    el.querySelector('.chip-remove').addEventListener('click', () => remove(item));
    return el;
  }

  function show(item) {
    item.el.dataset.state = item.state;
    if (item.fileId) item.el.dataset.fileId = item.fileId;
    item.el.querySelector('.chip-meta').textContent = { uploading: 'Uploading\u2026', ready: 'Document', error: 'Upload failed' }[item.state];
  }

  function remove(item) {
    items = items.filter((i) => i !== item);
    item.el.remove();
    onChange();
  }

  function add(file) {
    const item = { file, name: file.name, size: file.size, type: file.type, state: 'uploading', fileId: null };
    item.el = chip(item);
    container.append(item.el);
    show(item);
    items.push(item);
    onChange();
    uploadFile(file).then(
      (id) => { item.fileId = id; item.state = 'ready'; },
      (err) => { item.state = 'error'; item.error = String(err); },
    ).finally(() => {
      show(item);
      onChange();
    });
  }

  return {
    add,
    pending: () => items.some((i) => i.state === 'uploading'),
    /** Message metadata for the uploaded files. */
    ready: () => items.filter((i) => i.state === 'ready')
      .map((i) => ({ id: i.fileId, name: i.name, size: i.size, mime_type: i.type || 'application/octet-stream' })),
    list: () => items.map(({ name, size, state, fileId, error }) => ({ name, size, state, fileId, error })),
    clear: () => { for (const i of items) i.el.remove(); items = []; onChange(); },
  };
}
