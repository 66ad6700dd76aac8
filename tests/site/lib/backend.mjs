// The chatgpt.com backend API the page talks to (a faithful subset).
//
// Shapes follow the observed real requests (see shared/reference/chatgpt-site.md):
// prepare while typing, conversation on send (answered as server-sent events in
// the `delta_encoding: "v1"` patch format), and the three-step file upload.
import { randomUUID } from 'node:crypto';
import { randomId, sendJson } from './http.mjs';

export const FILES_HOST = 'files.oaiusercontent.com';

/** Default answer: says how long the prompt was, never echoes it (so answers cannot leak a secret). */
export function defaultAnswer(text) {
  const n = Array.from(text).length; // code points, as a person would count
  return ['You said ', `${n} character${n === 1 ? '' : 's'}`, '.'];
}

export class Backend {
  constructor({ answer = defaultAnswer, chunkDelayMs = 15 } = {}) {
    this.answer = answer;
    this.chunkDelayMs = chunkDelayMs;
    // file id -> {sig, name, size, put?: record} ; shared with the files host.
    this.uploads = new Map();
  }

  /** Returns true when it handled the request. `rec` is the request's record; `json` its parsed body. */
  handle(req, res, rec) {
    const { method, path, json } = rec;
    if (method !== 'POST') return false;
    if (path === '/backend-api/f/conversation/prepare') return this.prepare(res, json), true;
    if (path === '/backend-api/f/conversation' || path === '/backend-api/conversation') {
      return this.conversation(req, res, json), true;
    }
    if (path === '/backend-api/files') return this.createFile(res, json), true;
    if (path === '/backend-api/files/process_upload_stream') return this.processUpload(res, json), true;
    const m = /^\/backend-api\/files\/([\w-]+)\/uploaded$/.exec(path);
    if (m) return this.uploaded(res, m[1]), true;
    return false;
  }

  prepare(res, body) {
    const parts = body?.partial_query?.content?.parts;
    if (!Array.isArray(parts)) return sendJson(res, 400, { detail: 'partial_query.content.parts missing' });
    sendJson(res, 200, { status: 'ok', conduit_token: `ct_${randomId(16)}` });
  }

  conversation(req, res, body) {
    const msg = body?.messages?.[0];
    const parts = msg?.content?.parts;
    if (body?.action !== 'next' || !Array.isArray(parts) || msg?.author?.role !== 'user') {
      return sendJson(res, 400, { detail: 'expected action "next" with one user message' });
    }
    const text = parts.filter((p) => typeof p === 'string').join('\n');
    const conversationId = body.conversation_id || randomUUID();
    const messageId = randomUUID();
    let chunks = this.answer(text, body);
    if (typeof chunks === 'string') chunks = [chunks];

    // Event list in the v1 delta format: an "add" creating the assistant message,
    // then appends (the first names the path, later ones reuse it), then a patch
    // marking the message finished.
    const events = [
      ['delta_encoding', 'v1'],
      ['delta', {
        p: '', o: 'add', c: 0,
        v: {
          message: {
            id: messageId, author: { role: 'assistant' }, create_time: Date.now() / 1000,
            content: { content_type: 'text', parts: [''] }, status: 'in_progress',
            metadata: { parent_id: msg.id, model_slug: body.model ?? 'auto' },
          },
          conversation_id: conversationId,
        },
      }],
      ...chunks.map((v, i) => ['delta', i === 0 ? { p: '/message/content/parts/0', o: 'append', v } : { v }]),
      ['delta', { p: '', o: 'patch', v: [{ p: '/message/status', o: 'replace', v: 'finished_successfully' }] }],
      [null, { type: 'message_stream_complete', conversation_id: conversationId }],
      [null, '[DONE]'],
    ];

    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
    let closed = false;
    res.on('close', () => { closed = true; });
    const next = (i) => {
      if (closed) return;
      if (i === events.length) return res.end();
      const [event, data] = events[i];
      const payload = data === '[DONE]' ? data : JSON.stringify(data);
      res.write(`${event ? `event: ${event}\n` : ''}data: ${payload}\n\n`);
      // A small delay makes it a real stream (the page renders partial answers).
      setTimeout(next, this.chunkDelayMs, i + 1);
    };
    next(0);
  }

  createFile(res, body) {
    if (typeof body?.file_name !== 'string' || typeof body?.file_size !== 'number') {
      return sendJson(res, 400, { detail: 'file_name and file_size required' });
    }
    const fileId = `file-${randomId(12)}`;
    const sig = randomId(16);
    this.uploads.set(fileId, { sig, name: body.file_name, size: body.file_size, put: null });
    const se = new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
    // Shaped like the real Azure blob SAS URL.
    const uploadUrl = `https://${FILES_HOST}/${fileId}?se=${encodeURIComponent(se)}&sp=cw&sv=2024-08-04&sr=b&sig=${sig}`;
    sendJson(res, 200, { status: 'success', upload_url: uploadUrl, file_id: fileId });
  }

  uploaded(res, fileId) {
    const up = this.uploads.get(fileId);
    if (!up?.put) return sendJson(res, 400, { status: 'error', error: 'no bytes were uploaded for this file' });
    sendJson(res, 200, {
      status: 'success',
      download_url: `https://${FILES_HOST}/${fileId}?sig=${up.sig}`,
      metadata: null,
    });
  }

  processUpload(res, body) {
    const up = this.uploads.get(body?.file_id);
    if (!up?.put) return sendJson(res, 400, { status: 'error', error: 'unknown or incomplete file' });
    sendJson(res, 200, { status: 'success', file_id: body.file_id, event: 'file.processing.completed' });
  }
}
