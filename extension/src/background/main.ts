// The service worker (Chrome) / background script (Firefox): owns the engine and answers the
// extension's messages.
//
// The design decision to know: the worker is stopped when idle and started again by the next event.
// So every listener is registered synchronously, at the top level, on every start, and awaits one
// `ready` promise that instantiates the wasm and compiles the rules; nothing polls. Per-tab counts
// come back from session storage; the placeholder mapping (original values) is deliberately not
// stored and starts afresh.

import * as glue from 'warden-wasm-glue';
import { failureFrom } from '../shared/messages';
import { isPortRequest, PORT_NAME } from '../shared/port';
import { Engine } from './engine';
import { BUILTIN_RULES_PATH, builtinInputs } from './rule-sources';
import { type AnyReply, Router } from './router';
import { TabState } from './tab-state';

const SESSION_KEY = 'tabs.status';
const WASM_PATH = 'warden.wasm';

const engine = new Engine({
  glue,
  wasm: async () => chrome.runtime.getURL(WASM_PATH),
  inputs: () => builtinInputs(chrome.runtime.getURL(BUILTIN_RULES_PATH)),
});

let persistTimer: ReturnType<typeof setTimeout> | undefined;
const tabs = new TabState({
  persist(snapshot) {
    // Coalesced: a burst of reports while typing costs one write.
    clearTimeout(persistTimer);
    persistTimer = setTimeout(() => void chrome.storage.session.set({ [SESSION_KEY]: snapshot }).catch(() => {}), 250);
  },
  badge(tabId, badge) {
    void chrome.action.setBadgeText({ tabId, text: badge.text }).catch(() => {});
    void chrome.action.setBadgeBackgroundColor({ tabId, color: badge.color }).catch(() => {});
  },
});

const router = new Router(engine, tabs, {
  id: chrome.runtime.id,
  origin: chrome.runtime.getURL(''),
  version: chrome.runtime.getManifest().version,
});

const ready: Promise<void> = Promise.all([
  engine.start(),
  chrome.storage.session
    .get(SESSION_KEY)
    .then((stored) => tabs.restore(stored[SESSION_KEY]))
    .catch(() => {}),
]).then(() => undefined);

chrome.runtime.onMessage.addListener((message: unknown, sender, sendResponse: (reply: AnyReply) => void) => {
  const from = { id: sender.id, tabId: sender.tab?.id, url: sender.url };
  ready
    .then(() => router.handle(message, from))
    .catch((e: unknown) => failureFrom(e))
    .then(sendResponse);
  return true; // the reply is sent asynchronously
});

// Content scripts keep one port open for their requests (cheaper per request while typing).
chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== PORT_NAME) return;
  const sender = port.sender;
  const from = { id: sender?.id, tabId: sender?.tab?.id, url: sender?.url };
  port.onMessage.addListener((request: unknown) => {
    if (!isPortRequest(request)) return;
    ready
      .then(() => router.handle(request.message, from))
      .catch((e: unknown) => failureFrom(e))
      .then((reply) => {
        try {
          port.postMessage({ id: request.id, reply });
        } catch {
          // The tab went away while we worked.
        }
      });
  });
});

chrome.tabs.onRemoved.addListener((tabId) => router.forgetTab(tabId));

// For tests driving the worker directly (Playwright's serviceWorker.evaluate); pages cannot reach it.
Object.assign(globalThis, {
  __promptwarden: {
    ready,
    status: () => engine.status(),
    tab: (tabId: number) => tabs.get(tabId),
    /** One scan, straight into the engine (the benchmark compares it with the message round trip). */
    scan: (text: string) => engine.run((d) => d.scan(text)),
    /** Panics inside the engine, as a bug would, to prove the instance is rebuilt. */
    crashForTest: () => engine.run(() => glue.crashForTest()),
  },
});
