// The administrator's policy (managed storage, schema in policy/managed_schema.json) merged with the
// user's own settings and the built-in defaults into one `EffectivePolicy` that the rest of the
// service worker reads synchronously.
//
// The design decision to know: managed storage is a bootstrap source, never something to wait for.
// It can be slow or answer `{}` right after the browser starts or force-installs the extension (seen in
// Chromium), and Firefox caches it until the browser restarts. So the last policy read is kept in
// `chrome.storage.local` and used at once on every worker start; the fresh read replaces it when it
// arrives, and `storage.onChanged` (area `managed`) triggers a debounced re-read. An empty answer while
// a non-empty policy is cached is only believed after a second read a few seconds later.
//
// Invalid values never stop the policy from loading: each one is dropped, its default used, and the
// reason kept in `problems` for the popup.

import { CATEGORIES, type Category, type Confidence, type FailMode } from '../shared/findings';

/** What a policy may say about a finding. */
export type PolicyAction = 'allow' | 'warn' | 'justify' | 'mask' | 'block';
export const POLICY_ACTIONS: readonly PolicyAction[] = ['allow', 'warn', 'justify', 'mask', 'block'];
const CONFIDENCES: readonly Confidence[] = ['low', 'medium', 'high'];

export interface TrustedKey {
  keyId: string;
  /** Ed25519 public key, base64. */
  publicKey: string;
}

export interface Exemption {
  rule?: string;
  entity?: string;
  category?: Category;
  /** When it ends, ms since the epoch. */
  until: number;
  /** Match patterns; every guarded site when absent. */
  sites?: string[];
}

export interface AuditSettings {
  endpoint: string;
  format: 'ecs-jsonl' | 'splunk-hec';
  authHeader?: string;
  hashKey?: string;
  /** Send the reason typed for a `justify` finding with its audit event. */
  includeJustification?: boolean;
  batchSize?: number;
  maxQueue?: number;
}

export interface ActionTable {
  category: Partial<Record<Category, PolicyAction>>;
  entity: Record<string, PolicyAction>;
  rule: Record<string, PolicyAction>;
}

/** The settings a user may change on the options page (when the administrator lets them). */
export interface UserSettings {
  category?: Partial<Record<Category, PolicyAction>>;
  minConfidence?: Confidence;
}

/** Names of user settings, as `lockedSettings` lists them: `minConfidence`, `category.<name>`. */
export const USER_SETTING_NAMES: readonly string[] = ['minConfidence', ...CATEGORIES.map((c) => `category.${c}`)];

export interface EffectivePolicy {
  /** Whether an administrator's policy is present (any valid key). */
  managed: boolean;
  orgName: string | null;
  ruleBundleUrls: string[];
  trustedKeys: TrustedKey[];
  inlineRules: string | null;
  actions: ActionTable;
  /** Absent: the engine's default floor. */
  minConfidence: Confidence | undefined;
  extraSites: string[];
  audit: AuditSettings | undefined;
  failMode: FailMode | undefined;
  userOverrideAllowed: boolean;
  updateIntervalMinutes: number;
  disabledRules: string[];
  exemptions: Exemption[];
  lockSettings: boolean;
  /** User settings the policy decides (all of them when `lockSettings`): shown read-only. */
  lockedSettings: string[];
  /** Policy values that were ignored, and why (for the popup and options page). */
  problems: string[];
}

export const DEFAULT_UPDATE_INTERVAL_MINUTES = 60;
/** Chrome does not fire alarms more often than every 30 s. */
export const MIN_UPDATE_INTERVAL_MINUTES = 0.5;
const MAX_UPDATE_INTERVAL_MINUTES = 7 * 24 * 60;
/** Bounds on what a policy may carry, so a broken policy cannot exhaust the worker. */
export const MAX_INLINE_RULES_CHARS = 256 * 1024;
const MAX_LIST = 1000;
const MAX_NAME = 200;
const MAX_URL = 2048;
const MAX_PROBLEMS = 20;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isName = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= MAX_NAME;

function isHttpUrl(text: string, what: string, problems: string[]): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`${what}: "${text.slice(0, 80)}" is not a URL`);
    return false;
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return true;
  problems.push(`${what}: "${text.slice(0, 80)}" must use https (plain http only on 127.0.0.1 or localhost)`);
  return false;
}

/** A match pattern as the browsers accept it for content scripts (`https://*.example.com/*`). */
export function isMatchPattern(pattern: string): boolean {
  return /^(https?|\*):\/\/(\*|(\*\.)?[a-z0-9.-]+)(:\d+)?\/.*$/i.test(pattern) && pattern.length <= MAX_URL;
}

/** Whether `url` is matched by the match pattern `pattern`. */
export function matchesPattern(pattern: string, url: string): boolean {
  const m = /^(https?|\*):\/\/(\*|(?:\*\.)?[^/:]+)(?::(\d+))?(\/.*)$/i.exec(pattern);
  if (!m) return false;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const [, scheme, host, port, path] = m as unknown as [string, string, string, string | undefined, string];
  const protocol = u.protocol.slice(0, -1);
  if (scheme === '*' ? protocol !== 'http' && protocol !== 'https' : protocol !== scheme.toLowerCase()) return false;
  const h = host.toLowerCase();
  if (h !== '*') {
    if (h.startsWith('*.')) {
      const base = h.slice(2);
      if (u.hostname !== base && !u.hostname.endsWith(`.${base}`)) return false;
    } else if (u.hostname !== h) return false;
  }
  if (port !== undefined && u.port !== port) return false;
  const glob = new RegExp(`^${path.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return glob.test(u.pathname + u.search);
}

function list<T>(value: unknown, what: string, problems: string[], item: (x: unknown, i: number) => T | null): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${what} must be a list; ignored`);
    return [];
  }
  if (value.length > MAX_LIST) problems.push(`${what} has ${value.length} entries; only the first ${MAX_LIST} are used`);
  const out: T[] = [];
  value.slice(0, MAX_LIST).forEach((x, i) => {
    const v = item(x, i);
    if (v !== null) out.push(v);
  });
  return out;
}

function actionMap(value: unknown, what: string, problems: string[], key: (k: string) => boolean): Record<string, PolicyAction> {
  const out: Record<string, PolicyAction> = {};
  if (value === undefined) return out;
  if (!isObj(value)) {
    problems.push(`${what} must be an object of name → action; ignored`);
    return out;
  }
  for (const [k, v] of Object.entries(value).slice(0, MAX_LIST)) {
    if (!key(k)) problems.push(`${what}: "${k.slice(0, 80)}" is not a known name; ignored`);
    else if (!POLICY_ACTIONS.includes(v as PolicyAction)) {
      problems.push(`${what}.${k}: "${String(v).slice(0, 40)}" is not an action (${POLICY_ACTIONS.join(', ')}); ignored`);
    } else out[k] = v as PolicyAction;
  }
  return out;
}

/** Reads the managed-storage document. Pure: unknown keys and bad values become `problems`. */
export function parseManagedPolicy(raw: unknown): EffectivePolicy {
  const problems: string[] = [];
  const p: Obj = isObj(raw) ? raw : {};
  const known = new Set([
    'orgName', 'ruleBundleUrls', 'trustedKeys', 'inlineRules', 'actions', 'minConfidence', 'extraSites', 'audit',
    'failMode', 'userOverrideAllowed', 'updateIntervalMinutes', 'disabledRules', 'exemptions', 'lockSettings',
  ]);
  for (const k of Object.keys(p)) if (!known.has(k)) problems.push(`unknown policy key "${k.slice(0, 80)}"; ignored (check the spelling)`);

  const str = (k: string, max: number): string | null => {
    if (p[k] === undefined) return null;
    if (typeof p[k] === 'string' && (p[k] as string).length <= max) return p[k] as string;
    problems.push(`${k} must be a text of at most ${max} characters; ignored`);
    return null;
  };
  const bool = (k: string): boolean | undefined => {
    if (p[k] === undefined) return undefined;
    if (typeof p[k] === 'boolean') return p[k] as boolean;
    problems.push(`${k} must be true or false; ignored`);
    return undefined;
  };
  const oneOf = <T extends string>(k: string, values: readonly T[]): T | undefined => {
    if (p[k] === undefined) return undefined;
    if (values.includes(p[k] as T)) return p[k] as T;
    problems.push(`${k} must be one of ${values.join(', ')}; ignored`);
    return undefined;
  };

  const ruleBundleUrls = list(p.ruleBundleUrls, 'ruleBundleUrls', problems, (x) =>
    typeof x === 'string' && x.length <= MAX_URL && isHttpUrl(x, 'ruleBundleUrls', problems) ? x : null,
  ).slice(0, 8);
  const trustedKeys = list(p.trustedKeys, 'trustedKeys', problems, (x, i) => {
    if (isObj(x) && isName(x.keyId) && typeof x.publicKey === 'string' && /^[A-Za-z0-9+/_-]{42,44}=?=?$/.test(x.publicKey)) {
      return { keyId: x.keyId, publicKey: x.publicKey };
    }
    problems.push(`trustedKeys #${i + 1} needs a keyId and a base64 Ed25519 publicKey; ignored`);
    return null;
  });
  const actionsRaw = p.actions === undefined ? {} : isObj(p.actions) ? p.actions : (problems.push('actions must be an object; ignored'), {});
  const actions: ActionTable = {
    category: actionMap(actionsRaw.category, 'actions.category', problems, (k) => (CATEGORIES as readonly string[]).includes(k)),
    entity: actionMap(actionsRaw.entity, 'actions.entity', problems, isName),
    rule: actionMap(actionsRaw.rule, 'actions.rule', problems, isName),
  };
  const extraSites = list(p.extraSites, 'extraSites', problems, (x) => {
    if (typeof x === 'string' && isMatchPattern(x) && !x.startsWith('http://') && !x.startsWith('*://')) return x;
    problems.push(`extraSites: "${String(x).slice(0, 80)}" is not an https match pattern such as https://chat.example.com/*; ignored`);
    return null;
  }).slice(0, 100);

  let audit: AuditSettings | undefined;
  if (p.audit !== undefined) {
    const a = p.audit;
    if (!isObj(a) || typeof a.endpoint !== 'string' || !isHttpUrl(a.endpoint, 'audit.endpoint', problems)) {
      problems.push('audit needs an endpoint URL; audit events are off');
    } else {
      const format = a.format === undefined ? 'ecs-jsonl' : a.format;
      if (format !== 'ecs-jsonl' && format !== 'splunk-hec') problems.push('audit.format must be ecs-jsonl or splunk-hec; audit events are off');
      else {
        audit = { endpoint: a.endpoint, format };
        if (typeof a.authHeader === 'string' && a.authHeader.length <= 4096) audit.authHeader = a.authHeader;
        if (typeof a.hashKey === 'string' && a.hashKey.length > 0 && a.hashKey.length <= 4096) audit.hashKey = a.hashKey;
        if (typeof a.includeJustification === 'boolean') audit.includeJustification = a.includeJustification;
        if (Number.isInteger(a.batchSize) && (a.batchSize as number) >= 1 && (a.batchSize as number) <= 1000) audit.batchSize = a.batchSize as number;
        if (Number.isInteger(a.maxQueue) && (a.maxQueue as number) >= 10 && (a.maxQueue as number) <= 100_000) audit.maxQueue = a.maxQueue as number;
      }
    }
  }

  let updateIntervalMinutes = DEFAULT_UPDATE_INTERVAL_MINUTES;
  if (p.updateIntervalMinutes !== undefined) {
    const n = p.updateIntervalMinutes;
    if (typeof n === 'number' && Number.isFinite(n) && n >= MIN_UPDATE_INTERVAL_MINUTES && n <= MAX_UPDATE_INTERVAL_MINUTES) updateIntervalMinutes = n;
    else problems.push(`updateIntervalMinutes must be a number of minutes from ${MIN_UPDATE_INTERVAL_MINUTES} to ${MAX_UPDATE_INTERVAL_MINUTES}; ${DEFAULT_UPDATE_INTERVAL_MINUTES} is used`);
  }

  const exemptions = list(p.exemptions, 'exemptions', problems, (x, i) => {
    const what = `exemptions #${i + 1}`;
    if (!isObj(x)) return (problems.push(`${what} must be an object; ignored`), null);
    const until = typeof x.until === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i.test(x.until) ? Date.parse(x.until) : NaN;
    if (!Number.isFinite(until)) return (problems.push(`${what}: until must be an RFC 3339 time such as 2026-12-31T23:59:59Z; ignored`), null);
    const targets = [x.rule, x.entity, x.category].filter((t) => t !== undefined);
    if (targets.length !== 1 || !targets.every(isName)) return (problems.push(`${what} needs exactly one of rule, entity or category; ignored`), null);
    if (x.category !== undefined && !(CATEGORIES as readonly string[]).includes(x.category as string)) {
      return (problems.push(`${what}: "${String(x.category)}" is not a category; ignored`), null);
    }
    const e: Exemption = { until };
    if (x.rule !== undefined) e.rule = x.rule as string;
    if (x.entity !== undefined) e.entity = x.entity as string;
    if (x.category !== undefined) e.category = x.category as Category;
    if (x.sites !== undefined) {
      const sites = list(x.sites, `${what}.sites`, problems, (s) => (typeof s === 'string' && isMatchPattern(s) ? s : (problems.push(`${what}.sites: "${String(s).slice(0, 80)}" is not a match pattern; ignored`), null)));
      if (!sites.length) return (problems.push(`${what} has no valid site; ignored`), null);
      e.sites = sites;
    }
    return e;
  }).slice(0, 200);

  const inlineRules = str('inlineRules', MAX_INLINE_RULES_CHARS);
  const minConfidence = oneOf('minConfidence', CONFIDENCES);
  const failMode = oneOf('failMode', ['open', 'closed'] as const);
  const lockSettings = bool('lockSettings') ?? false;
  const policy: EffectivePolicy = {
    managed: false,
    orgName: str('orgName', MAX_NAME),
    ruleBundleUrls,
    trustedKeys,
    inlineRules: inlineRules && inlineRules.trim() ? inlineRules : null,
    actions,
    minConfidence,
    extraSites,
    audit,
    failMode,
    userOverrideAllowed: bool('userOverrideAllowed') ?? true,
    updateIntervalMinutes,
    disabledRules: list(p.disabledRules, 'disabledRules', problems, (x) => (isName(x) ? x : (problems.push('disabledRules: each entry must be a rule id; one was ignored'), null))),
    exemptions,
    lockSettings,
    lockedSettings: [],
    problems: [],
  };
  policy.managed = Object.keys(p).some((k) => known.has(k));
  policy.lockedSettings = lockSettings
    ? [...USER_SETTING_NAMES]
    : USER_SETTING_NAMES.filter((n) => (n === 'minConfidence' ? minConfidence !== undefined : actions.category[n.slice(9) as Category] !== undefined));
  policy.problems = problems.length > MAX_PROBLEMS ? [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`] : problems;
  return policy;
}

/** Validates what the options page stored; anything unknown is dropped. */
export function parseUserSettings(raw: unknown): UserSettings {
  const out: UserSettings = {};
  if (!isObj(raw)) return out;
  if (CONFIDENCES.includes(raw.minConfidence as Confidence)) out.minConfidence = raw.minConfidence as Confidence;
  if (isObj(raw.category)) {
    const category: Partial<Record<Category, PolicyAction>> = {};
    for (const c of CATEGORIES) {
      const a = raw.category[c];
      if (POLICY_ACTIONS.includes(a as PolicyAction)) category[c] = a as PolicyAction;
    }
    out.category = category;
  }
  return out;
}

/** The managed policy with the user's settings applied where it leaves them free. */
export function mergeUserSettings(policy: EffectivePolicy, user: UserSettings): EffectivePolicy {
  const locked = new Set(policy.lockedSettings);
  const merged: EffectivePolicy = { ...policy, actions: { ...policy.actions, category: { ...policy.actions.category } } };
  if (user.minConfidence && !locked.has('minConfidence')) merged.minConfidence = user.minConfidence;
  for (const [c, a] of Object.entries(user.category ?? {})) {
    if (a && !locked.has(`category.${c}`)) merged.actions.category[c as Category] = a;
  }
  return merged;
}

// --- the live policy of this worker -------------------------------------------------------------

/** Storage keys (chrome.storage.local). */
export const CACHE_KEY = 'policy.managed';
export const USER_SETTINGS_KEY = 'settings.user';

/** The browser APIs the live policy needs (chrome.storage in the extension; plain objects in tests). */
export interface PolicyStorage {
  readManaged(): Promise<Obj>;
  readLocal(keys: string[]): Promise<Obj>;
  writeLocal(items: Obj): Promise<void>;
  /** Calls back with the storage area and changed keys. */
  onChanged(cb: (area: string, keys: string[]) => void): void;
}

export interface LivePolicyOptions {
  storage: PolicyStorage;
  /** Re-reads after a change notice wait this long for more (ms). */
  debounceMs?: number;
  /** An empty managed answer while a policy is cached is checked again after this long (ms). */
  emptyRecheckMs?: number;
  /** How long `ready` waits for the first managed read before going on with the cache (ms). */
  readyTimeoutMs?: number;
}

type Listener = (policy: EffectivePolicy, previous: EffectivePolicy) => void;

export class LivePolicy {
  private raw: Obj = {};
  private user: UserSettings = {};
  private current: EffectivePolicy = parseManagedPolicy({});
  private readonly listeners: Listener[] = [];
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private recheck: ReturnType<typeof setTimeout> | undefined;
  private managedRead = false;
  /** Changes before `ready` are the starting state, not news: listeners hear only later ones. */
  private started = false;
  readonly ready: Promise<void>;

  constructor(private readonly options: LivePolicyOptions) {
    // Registered before anything awaits, as the worker's listeners must be.
    options.storage.onChanged((area, keys) => {
      if (area === 'managed') this.schedule();
      else if (area === 'local' && keys.includes(USER_SETTINGS_KEY)) void this.reloadUser();
    });
    this.ready = this.start();
  }

  get policy(): EffectivePolicy {
    return this.current;
  }

  /** Whether managed storage has been read in this worker (otherwise the policy is the cached one). */
  get fresh(): boolean {
    return this.managedRead;
  }

  onChange(cb: Listener): void {
    this.listeners.push(cb);
  }

  /** Reads managed storage now (also what the debounced change notice does). */
  async refresh(): Promise<void> {
    let managed: Obj;
    try {
      managed = await this.options.storage.readManaged();
    } catch {
      // Firefox without any policy: "Managed storage manifest not found".
      managed = {};
    }
    this.managedRead = true;
    const empty = Object.keys(managed).length === 0;
    if (empty && Object.keys(this.raw).length > 0 && this.recheck === undefined) {
      // Possibly the browser has not loaded its policy yet: believe it on the second read.
      this.recheck = setTimeout(() => void this.refresh(), this.options.emptyRecheckMs ?? 5000);
      return;
    }
    clearTimeout(this.recheck);
    this.recheck = undefined;
    if (JSON.stringify(managed) === JSON.stringify(this.raw)) return;
    this.raw = managed;
    await this.options.storage.writeLocal({ [CACHE_KEY]: managed }).catch(() => {});
    this.apply();
  }

  private async start(): Promise<void> {
    try {
      const cached = await this.options.storage.readLocal([CACHE_KEY, USER_SETTINGS_KEY]);
      if (isObj(cached[CACHE_KEY])) this.raw = cached[CACHE_KEY];
      this.user = parseUserSettings(cached[USER_SETTINGS_KEY]);
      this.apply();
    } catch {
      // No cache: defaults until managed storage answers.
    }
    const first = this.refresh();
    await Promise.race([first, new Promise((r) => setTimeout(r, this.options.readyTimeoutMs ?? 500))]);
    this.started = true;
  }

  private schedule(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refresh(), this.options.debounceMs ?? 300);
  }

  private async reloadUser(): Promise<void> {
    const stored = await this.options.storage.readLocal([USER_SETTINGS_KEY]).catch(() => ({}) as Obj);
    this.user = parseUserSettings(stored[USER_SETTINGS_KEY]);
    this.apply();
  }

  private apply(): void {
    const previous = this.current;
    this.current = mergeUserSettings(parseManagedPolicy(this.raw), this.user);
    if (!this.started || JSON.stringify(previous) === JSON.stringify(this.current)) return;
    for (const cb of this.listeners) {
      try {
        cb(this.current, previous);
      } catch {
        // One listener's failure must not keep the others from the new policy.
      }
    }
  }
}

// The worker's one instance, created by `startManagedPolicy` at the top level of main.ts.
let live: LivePolicy | undefined;
let resolveReady: () => void = () => {};
const pendingListeners: Listener[] = [];

/** Resolves once the policy is known (cached or freshly read; never waits long for managed storage). */
export const policyReady: Promise<void> = new Promise((resolve) => {
  resolveReady = resolve;
});

/** The effective policy now (defaults until `policyReady`). */
export function effectivePolicy(): EffectivePolicy {
  return live?.policy ?? parseManagedPolicy({});
}

/** Calls `cb` whenever the effective policy changes. */
export function onPolicyChange(cb: Listener): void {
  if (live) live.onChange(cb);
  else pendingListeners.push(cb);
}

/** Starts the live policy over chrome.storage. Call once, synchronously, at the worker's top level. */
export function startManagedPolicy(storage: PolicyStorage = chromeStorage()): LivePolicy {
  if (live) return live;
  live = new LivePolicy({ storage });
  for (const cb of pendingListeners.splice(0)) live.onChange(cb);
  void live.ready.then(resolveReady);
  return live;
}

function chromeStorage(): PolicyStorage {
  return {
    readManaged: () => chrome.storage.managed.get(null) as Promise<Obj>,
    readLocal: (keys) => chrome.storage.local.get(keys) as Promise<Obj>,
    writeLocal: (items) => chrome.storage.local.set(items),
    onChanged: (cb) => chrome.storage.onChanged.addListener((changes, area) => cb(area, Object.keys(changes))),
  };
}
