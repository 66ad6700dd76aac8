// Wrappers around `fetch` and `XMLHttpRequest` for the page world. For a request to a guarded endpoint
// they read the body, ask the content script (through the WireClient) what to send, and only then let
// the request go — with the answered body, or not at all (a refusal looks like a network error to the
// app). Everything else passes straight through, untouched and unawaited.

import { classifyRequest, type GuardedKind } from '../shared/chatgpt-endpoints';
import type { WireDecision } from '../shared/wire-protocol';
import { type Clearances, classifyUpload, type UploadStep, uploadAllowed } from './upload-backstop';

export interface Asker {
  ask(kind: GuardedKind, body: string): Promise<WireDecision>;
  /** Whether a request that cannot be checked (an unreadable body) may go. */
  readonly failOpen: boolean;
  /** Files the upload guard cleared; without it, upload requests are not checked here. */
  readonly clearances?: Clearances;
}

/** The upload step a request is, when uploads are checked (see upload-backstop.ts). */
function uploadStep(asker: Asker, url: string, method: string, pageUrl: () => string): UploadStep | null {
  try {
    return asker.clearances ? classifyUpload(url, method, pageUrl()) : null;
  } catch {
    return null;
  }
}

/** The body as text, or null when it cannot be read without consuming it (streams, FormData). */
async function bodyText(body: unknown): Promise<string | null> {
  if (body === undefined || body === null) return '';
  if (typeof body === 'string') return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (typeof Blob !== 'undefined' && body instanceof Blob) return body.text();
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
  return null;
}

function refusedError(): TypeError {
  return new TypeError('Failed to fetch');
}

export function wrapFetch(nativeFetch: typeof fetch, asker: Asker, pageUrl: () => string): typeof fetch {
  return function fetch(this: unknown, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    let kind: GuardedKind | null = null;
    let step: UploadStep | null = null;
    try {
      const request = input instanceof Request ? input : null;
      const url = request ? request.url : input instanceof URL ? input.href : String(input);
      const method = init?.method ?? request?.method ?? 'GET';
      kind = classifyRequest(url, method, pageUrl());
      step = kind ? null : uploadStep(asker, url, method, pageUrl);
    } catch {
      kind = null;
    }
    if (step && asker.clearances) {
      const clearances = asker.clearances;
      return (async () => {
        const body = init?.body !== undefined ? init.body : input instanceof Request ? await input.clone().arrayBuffer() : null;
        if (!(await uploadAllowed(step, body, clearances, asker.failOpen))) throw refusedError();
        return nativeFetch.call(this, input, init);
      })();
    }
    if (!kind) return nativeFetch.call(this, input, init);
    const guarded = kind;
    return (async () => {
      const source = init?.body !== undefined ? init.body : input instanceof Request ? await input.clone().text() : '';
      const text = await bodyText(source);
      if (text === null) {
        if (asker.failOpen) return nativeFetch.call(this, input, init);
        throw refusedError();
      }
      const decision = await asker.ask(guarded, text);
      if ('refused' in decision) throw refusedError();
      if (decision.body === text) return nativeFetch.call(this, input, init);
      if (input instanceof Request) return nativeFetch.call(this, new Request(input, { ...init, body: decision.body }));
      return nativeFetch.call(this, input, { ...init, body: decision.body });
    })();
  };
}

interface XhrMeta {
  method: string;
  url: string;
  async: boolean;
}

/** Wraps `open` (to learn where a request goes) and `send` (to ask before it goes) on the prototype. */
export function wrapXhr(proto: XMLHttpRequest, asker: Asker, pageUrl: () => string): void {
  const nativeOpen = proto.open;
  const nativeSend = proto.send;
  const meta = new WeakMap<XMLHttpRequest, XhrMeta>();

  proto.open = function open(this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
    meta.set(this, { method: String(method), url: String(url), async: rest.length === 0 || rest[0] !== false });
    return (nativeOpen as (...a: unknown[]) => void).call(this, method, url, ...rest);
  } as XMLHttpRequest['open'];

  proto.send = function send(this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    const m = meta.get(this);
    const kind = m ? classifyRequest(m.url, m.method, pageUrl()) : null;
    const step = m && !kind ? uploadStep(asker, m.url, m.method, pageUrl) : null;
    if (step && m && asker.clearances) {
      if (!m.async) throw new DOMException('PromptWarden cannot check a synchronous upload', 'NetworkError');
      const xhr = this;
      void uploadAllowed(step, body, asker.clearances, asker.failOpen).then((ok) => (ok ? nativeSend.call(xhr, body) : refuseXhr(xhr)));
      return;
    }
    if (!kind || !m) return nativeSend.call(this, body);
    if (!m.async) {
      // A synchronous request cannot wait for an answer: refuse it (no guarded endpoint uses one).
      throw new DOMException('PromptWarden cannot check a synchronous request to this endpoint', 'NetworkError');
    }
    const xhr = this;
    void (async () => {
      const text = await bodyText(body);
      const decision: WireDecision =
        text === null ? (asker.failOpen ? { body: '' } : { refused: true }) : await asker.ask(kind, text);
      if ('refused' in decision) return refuseXhr(xhr);
      nativeSend.call(xhr, text === null || decision.body === text ? body : decision.body);
    })();
  };
}

/** A refused XHR ends like a network error. */
function refuseXhr(xhr: XMLHttpRequest): void {
  xhr.abort();
  for (const type of ['error', 'loadend']) {
    xhr.dispatchEvent(typeof ProgressEvent === 'function' ? new ProgressEvent(type) : new Event(type));
  }
}
