// The content script's way to the service worker: typed requests, bounded waits, and failures as data.
// A worker that is starting, restarting or gone (the extension was updated under this page) answers
// with a Failure of kind `unavailable`, never an exception.

import {
  type ContentToBackground,
  failure,
  isReply,
  type Reply,
} from '../shared/messages';

/** Most requests answer in milliseconds; a cold worker compiling its rules takes up to a few seconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

type Send = (message: unknown) => Promise<unknown>;

export class BackgroundClient {
  constructor(private readonly send: Send = (m) => chrome.runtime.sendMessage(m)) {}

  async ask<T extends ContentToBackground>(message: T, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Reply<T['type']>> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<Reply<T['type']>>((resolve) => {
      timer = setTimeout(() => resolve(failure('timeout', `no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const answer = this.send(message).then(
      (reply): Reply<T['type']> =>
        isReply(message.type, reply) ? reply : failure('bad-reply', 'the service worker sent a malformed reply'),
      (e: unknown): Reply<T['type']> => failure('unavailable', e instanceof Error ? e.message : String(e)),
    );
    try {
      return await Promise.race([answer, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
