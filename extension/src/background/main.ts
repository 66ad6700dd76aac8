// The service worker (Chrome) / background script (Firefox): owns the engine and answers the
// extension's messages.
//
// The design decision to know: the worker is stopped when idle and started again by the next event.
// So every listener is registered synchronously, at the top level, on every start, and awaits one
// `ready` promise that instantiates the wasm and compiles the rules; nothing polls. Per-tab counts
// come back from session storage; the placeholder mapping (original values) is deliberately not
// stored and starts afresh.

import * as glue from 'warden-wasm-glue';
import * as filesGlue from 'warden-wasm-files-glue';
import type { Finding } from '../shared/findings';
import { failureFrom } from '../shared/messages';
import { AUDIT_ALARM, auditConfigChanged, auditStatus, flushAudit, onAuditAlarm, recordAudit, recordDecision, startAudit } from './audit';
import { isPortRequest, PORT_NAME, RULES_CHANGED } from '../shared/port';
import { Engine } from './engine';
import { blockingWebRequest, installNetworkVeto } from './network-veto';
import { FileScanner } from './file-scan';
import { ExtraSites } from './extra-sites';
import { effectivePolicy, onPolicyChange, policyReady, startManagedPolicy } from './managed-policy';
import { BUILTIN_RULES_PATH, builtinInputs } from './rule-sources';
import { RuleUpdater } from './rule-updater';
import { type AnyReply, Router } from './router';
import { TabState } from './tab-state';

const SESSION_KEY = 'tabs.status';
const WASM_PATH = 'warden.wasm';
const FILES_WASM_PATH = 'warden-files.wasm';

const RULES_ALARM = 'rules.update';
const EXEMPTIONS_ALARM = 'rules.exemptions';

// The administrator's policy: the cached copy at once, managed storage when it answers.
const livePolicy = startManagedPolicy();

const engine = new Engine({
  glue,
  wasm: async () => chrome.runtime.getURL(WASM_PATH),
  inputs: async () => {
    await policyReady;
    return updater.initialInputs();
  },
});

// The larger module with file extraction and bundle verification, loaded on its first use so the
// detector that guards typing starts small. It keeps a detector of its own for files, rebuilt from
// the main engine's rules and policy whenever those change.
let filesStart: Promise<void> | null = null;
const filesEngine = new Engine({
  glue: filesGlue,
  wasm: async () => chrome.runtime.getURL(FILES_WASM_PATH),
  inputs: async () => {
    const inputs = engine.activeInputs;
    if (!inputs) throw new Error('the engine is not ready');
    return inputs;
  },
});

async function filesModule(): Promise<void> {
  filesStart ??= filesGlue.default({ module_or_path: chrome.runtime.getURL(FILES_WASM_PATH) }).then(
    () => undefined,
    (e: unknown) => {
      filesStart = null; // tried again on the next use
      throw e;
    },
  );
  await filesStart;
}

let filesEngineStart: Promise<void> | null = null;

async function filesReady(): Promise<void> {
  await ready;
  if (!filesEngine.ready) {
    // One start for files arriving together; a failed start is tried again by the next file.
    filesEngineStart ??= filesModule().then(() => filesEngine.start());
    await filesEngineStart;
    if (!filesEngine.ready) filesEngineStart = null;
    return;
  }
  const inputs = engine.activeInputs;
  if (inputs && filesEngine.activeInputs !== inputs) filesEngine.swap(inputs);
}

const updater: RuleUpdater = new RuleUpdater({
  engine,
  verify: async (bytes, options) => {
    await filesModule();
    return filesGlue.verifyBundle(bytes, options);
  },
  fetch: (input, init) => fetch(input, init),
  storage: chrome.storage.local,
  builtin: async () => {
    const inputs = await builtinInputs(chrome.runtime.getURL(BUILTIN_RULES_PATH));
    return { version: inputs.label.replace(/^built-in /, ''), rules: inputs.rules };
  },
  policy: effectivePolicy,
  announce: () => {
    for (const port of contentPorts) {
      try {
        port.postMessage(RULES_CHANGED);
      } catch {
        contentPorts.delete(port); // the tab went away
      }
    }
  },
  audit: (e) =>
    recordAudit({
      type: e.type,
      // The bundle server's host only: a bundle URL may carry an access token in its query.
      ...(e.reason ? { reason: `${e.reason}: ${e.message ?? ''} (from ${e.bundleUrl ? new URL(e.bundleUrl).host : 'no URL'})` } : {}),
      ...(e.bundleVersion === null ? {} : { bundleVersion: String(e.bundleVersion) }),
    }),
  schedule: (periodMinutes, wakeAt) => {
    // Re-created only when the period changed: creating it again would restart its countdown on every worker start.
    void chrome.alarms.get(RULES_ALARM).then((alarm) => {
      if (alarm?.periodInMinutes !== periodMinutes) void chrome.alarms.create(RULES_ALARM, { periodInMinutes: periodMinutes, delayInMinutes: periodMinutes });
    });
    void (wakeAt === null ? chrome.alarms.clear(EXEMPTIONS_ALARM) : chrome.alarms.create(EXEMPTIONS_ALARM, { when: wakeAt }));
  },
});

const extraSites = new ExtraSites(chrome.scripting, chrome.permissions);

/** The content scripts' open ports: told when a new rule set is in use, so open tabs scan again. */
const contentPorts = new Set<chrome.runtime.Port>();

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
}, recordDecision, {
  status: () => {
    const p = effectivePolicy();
    return {
      managed: p.managed,
      orgName: p.orgName,
      lockSettings: p.lockSettings,
      lockedSettings: p.lockedSettings,
      userOverrideAllowed: p.userOverrideAllowed,
      extraSites: extraSites.status(),
      rules: updater.getStatus(),
    };
  },
  isExtraSite: (url) => extraSites.includes(url),
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
  contentPorts.add(port);
  port.onDisconnect.addListener(() => contentPorts.delete(port));
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

// Files to check come over a port of their own each (see file-scan.ts).
const files = new FileScanner({ engine: filesEngine, extensionId: chrome.runtime.id, ready: filesReady });
chrome.runtime.onConnect.addListener((port) => void files.accept(port as Parameters<FileScanner['accept']>[0]));

chrome.tabs.onRemoved.addListener((tabId) => router.forgetTab(tabId));

// Firefox only: the network veto under the page-world guard, for requests the guard never saw.
const webRequest = blockingWebRequest();
const veto = webRequest
  ? installNetworkVeto(webRequest, {
      ready,
      scan: (text) => engine.run((d) => d.scan(text)) as Finding[],
      failMode: () => engine.policy?.fail_mode ?? 'closed',
    })
  : null;

// Rule updates: a check when one is due at start, on the alarm, and at once when the policy changes
// (a new bundle URL or key, or an administrator forcing a check by touching the policy).
void ready.then(() => Promise.all([updater.checkIfDue(), extraSites.sync(effectivePolicy().extraSites)]));
onPolicyChange((policy, previous) => {
  void ready.then(() => Promise.all([updater.policyChanged(), extraSites.sync(policy.extraSites)]));
  const news = policy.problems.filter((p) => !previous.problems.includes(p));
  if (news.length) recordAudit({ type: 'policy-error', reason: news.join('; ') });
});
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === RULES_ALARM) void ready.then(() => updater.check());
  if (alarm.name === EXEMPTIONS_ALARM) void ready.then(() => updater.recompile());
});
chrome.permissions.onAdded.addListener(() => void extraSites.sync(effectivePolicy().extraSites));
chrome.permissions.onRemoved.addListener(() => void extraSites.sync(effectivePolicy().extraSites));

// Audit events: the queue starts once the policy (with the collector's address) is known; events
// recorded before wait in memory. The alarm retries delivery after the worker slept; a browser start
// wakes the worker so that events queued before the browser closed are sent.
void Promise.all([ready.catch(() => {}), policyReady]).then(() =>
  startAudit({
    config: () => effectivePolicy().audit,
    bundleVersion: () => updater.bundleVersion(),
    extensionVersion: chrome.runtime.getManifest().version,
    browser: browserName(navigator.userAgent),
    storage: chrome.storage.local,
    fetch: (input, init) => fetch(input, init),
    // Promise.resolve: Firefox's alarms.create returns nothing, Chrome's a promise.
    wakeAt: (when) =>
      void Promise.resolve()
        .then((): unknown => (when === undefined ? chrome.alarms.clear(AUDIT_ALARM) : chrome.alarms.create(AUDIT_ALARM, { when })))
        .catch(() => {}),
  }),
);
onPolicyChange(() => auditConfigChanged());
chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === AUDIT_ALARM) onAuditAlarm();
});
chrome.runtime.onStartup.addListener(() => onAuditAlarm());

/** `Chrome/156.0.8078.79`, `Edge/…`, `Firefox/153.0` from the user agent string. */
function browserName(ua: string): string {
  for (const [name, pattern] of [['Firefox', /Firefox\/([\d.]+)/], ['Edge', /Edg\/([\d.]+)/], ['Chrome', /Chrome\/([\d.]+)/]] as const) {
    const m = pattern.exec(ua);
    if (m) return `${name}/${m[1]}`;
  }
  return 'unknown';
}

// For tests driving the worker directly (Playwright's serviceWorker.evaluate); pages cannot reach it.
Object.assign(globalThis, {
  __promptwarden: {
    ready,
    status: () => engine.status(),
    tab: (tabId: number) => tabs.get(tabId),
    /** One scan, straight into the engine (the benchmark compares it with the message round trip). */
    scan: (text: string) => engine.run((d) => d.scan(text)),
    /** The engine's report on a file given as base64 (tests check that an uploaded masked copy is clean). */
    scanFile: async (base64: string, name: string) => {
      await filesReady();
      return filesEngine.run((d) => d.scanFile(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)), name));
    },
    /** Panics inside the engine, as a bug would, to prove the instance is rebuilt. */
    crashForTest: () => engine.run(() => glue.crashForTest()),
    /** The network veto's counters (Firefox), or null where it is not installed. */
    vetoStats: () => veto,
    /** When this instance of the background started (a restart shows as a new value). */
    startedAt: performance.timeOrigin,
    /** Rule updates and the policy: check the bundle now, read the status and the effective policy. */
    rules: { check: () => updater.check(), status: () => updater.getStatus() },
    policy: { effective: effectivePolicy, refresh: () => livePolicy.refresh() },
    /** The audit queue: its state, an immediate delivery, and a way to record events in bulk. */
    audit: { status: auditStatus, flush: flushAudit, record: recordAudit },
  },
});
