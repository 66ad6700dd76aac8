// The ChatGPT request endpoints whose bodies carry what the user typed. These are defaults of the
// ChatGPT adapter (the site changes them between rollouts), shared by the page-world request guard,
// which must classify requests without asking anyone, and the content script, which reads the bodies.

/** `prepare`: the typing preflight (sent before the user decides). `conversation`: the sent prompt. */
export type GuardedKind = 'prepare' | 'conversation';

export const GUARDED_ENDPOINTS: readonly { kind: GuardedKind; path: RegExp }[] = [
  { kind: 'prepare', path: /^\/backend-api\/f\/conversation\/prepare\/?$/ },
  { kind: 'conversation', path: /^\/backend-api\/f\/conversation\/?$/ },
  // The pre-2025 endpoint, still used by some accounts.
  { kind: 'conversation', path: /^\/backend-api\/conversation\/?$/ },
];

/** The page hosts the guards run on. */
export const GUARDED_HOSTS: readonly string[] = ['chatgpt.com', 'chat.openai.com'];

/** True for an https page on one of the guarded hosts (a message sender's or a tab's URL). */
export function isGuardedPage(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && GUARDED_HOSTS.includes(u.hostname);
  } catch {
    return false;
  }
}

/**
 * Which guarded endpoint a request goes to, or null. `url` may be relative to `base` (the page URL).
 * Only POSTs to the page's own guarded hosts count.
 */
export function classifyRequest(url: string, method: string, base: string): GuardedKind | null {
  if (method.toUpperCase() !== 'POST') return null;
  let parsed: URL;
  try {
    parsed = new URL(url, base);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' || !GUARDED_HOSTS.includes(parsed.hostname)) return null;
  return GUARDED_ENDPOINTS.find((e) => e.path.test(parsed.pathname))?.kind ?? null;
}
