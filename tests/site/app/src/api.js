// Network layer of the fake ChatGPT page.
//
// `fetch` is captured ONCE, when this module is evaluated (first thing in the
// bundle), exactly as real apps and their libraries do. Replacing window.fetch
// later has no effect on the page's requests, so a guard must wrap fetch
// before this script runs (document_start, MAIN world).
const f = window.fetch.bind(window);

const deviceId = crypto.randomUUID();
const baseHeaders = { 'oai-device-id': deviceId, 'oai-language': 'en-US' };
let conduitToken = null;

export const endpoints = {
  prepare: '/backend-api/f/conversation/prepare',
  conversation: '/backend-api/f/conversation',
  legacyConversation: '/backend-api/conversation',
};

async function postJson(url, body, headers = {}) {
  const res = await f(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...baseHeaders, ...headers },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return res.json();
}

/** The "prepare" call made while the user types: sends the draft so far. */
export async function prepare(messageId, text) {
  const body = {
    action: 'next',
    fork_from_shared_post: false,
    parent_message_id: 'client-created-root',
    model: 'auto',
    timezone_offset_min: new Date().getTimezoneOffset(),
    conversation_mode: { kind: 'primary_assistant' },
    system_hints: [],
    supports_buffering: true,
    supported_encodings: ['v1'],
    partial_query: {
      id: messageId,
      author: { role: 'user' },
      content: { content_type: 'text', parts: [text] },
    },
    client_contextual_info: { app_name: 'chatgpt.com' },
  };
  const res = await postJson(endpoints.prepare, body);
  conduitToken = res.conduit_token ?? conduitToken;
  return res;
}

/**
 * Sends one user message; returns the fetch Response whose body is the SSE answer.
 * `legacy` uses the pre-2025 endpoint (same body).
 */
export async function conversation({ messageId, text, attachments, conversationId, parentId, legacy, signal }) {
  const body = {
    action: 'next',
    messages: [{
      id: messageId,
      author: { role: 'user' },
      create_time: Date.now() / 1000,
      content: { content_type: 'text', parts: [text] },
      metadata: attachments.length ? { attachments } : {},
    }],
    ...(conversationId ? { conversation_id: conversationId } : {}),
    parent_message_id: parentId ?? 'client-created-root',
    model: 'auto',
    timezone_offset_min: new Date().getTimezoneOffset(),
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    conversation_mode: { kind: 'primary_assistant' },
    enable_message_followups: true,
    system_hints: [],
    supports_buffering: true,
    supported_encodings: ['v1'],
    client_contextual_info: {
      is_dark_mode: false,
      page_height: window.innerHeight,
      page_width: window.innerWidth,
      pixel_ratio: window.devicePixelRatio,
    },
  };
  const headers = { 'content-type': 'application/json', accept: 'text/event-stream', ...baseHeaders };
  if (conduitToken) headers['x-conduit-token'] = conduitToken;
  const res = await f(legacy ? endpoints.legacyConversation : endpoints.conversation, {
    method: 'POST', headers, body: JSON.stringify(body), signal,
  });
  if (!res.ok || !res.body) throw new Error(`conversation: HTTP ${res.status}`);
  return res;
}

/** Three-step upload, run as soon as a file is attached: create, PUT bytes to blob host, confirm. */
export async function uploadFile(file) {
  const useCase = file.type.startsWith('image/') ? 'multimodal' : 'my_files';
  const created = await postJson('/backend-api/files', {
    file_name: file.name,
    file_size: file.size,
    use_case: useCase,
    timezone_offset_min: new Date().getTimezoneOffset(),
    reset_rate_limits: false,
  });
  if (created.status !== 'success') throw new Error('files: not accepted');
  const put = await f(created.upload_url, {
    method: 'PUT',
    headers: {
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-version': '2020-04-08',
      'content-type': file.type || 'application/octet-stream',
    },
    body: file,
  });
  if (!put.ok) throw new Error(`upload: HTTP ${put.status}`);
  await postJson(`/backend-api/files/${created.file_id}/uploaded`, {});
  await postJson('/backend-api/files/process_upload_stream', {
    file_id: created.file_id, use_case: useCase, index_for_retrieval: false, file_name: file.name,
  });
  return created.file_id;
}
