import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CACHE_KEY,
  LivePolicy,
  matchesPattern,
  mergeUserSettings,
  parseManagedPolicy,
  parseUserSettings,
  type PolicyStorage,
  USER_SETTING_NAMES,
  USER_SETTINGS_KEY,
} from './managed-policy';

const KEY = 'GB9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';

test('an empty policy is the defaults, not managed', () => {
  const p = parseManagedPolicy({});
  assert.equal(p.managed, false);
  assert.equal(p.updateIntervalMinutes, 60);
  assert.equal(p.userOverrideAllowed, true);
  assert.equal(p.minConfidence, undefined);
  assert.deepEqual(p.lockedSettings, []);
  assert.deepEqual(p.problems, []);
});

test('every documented key is read', () => {
  const p = parseManagedPolicy({
    orgName: 'Acme IT',
    ruleBundleUrls: ['https://rules.acme.example/bundle.json', 'http://127.0.0.1:9/b.json'],
    trustedKeys: [{ keyId: 'k1', publicKey: KEY }],
    inlineRules: 'schema_version = 1',
    actions: { category: { pii: 'justify' }, entity: { EMAIL_ADDRESS: 'mask' }, rule: { 'aws-access-key-id': 'block' } },
    minConfidence: 'high',
    extraSites: ['https://chat.acme.example/*'],
    audit: { endpoint: 'https://siem.acme.example/in', format: 'splunk-hec', authHeader: 'Splunk x', hashKey: 'k', batchSize: 50, maxQueue: 500, includeJustification: true },
    failMode: 'open',
    userOverrideAllowed: false,
    updateIntervalMinutes: 0.5,
    disabledRules: ['email-address'],
    exemptions: [{ category: 'pii', until: '2030-01-01T00:00:00Z', sites: ['https://chatgpt.com/*'] }],
    lockSettings: true,
  });
  assert.deepEqual(p.problems, []);
  assert.equal(p.managed, true);
  assert.equal(p.orgName, 'Acme IT');
  assert.equal(p.ruleBundleUrls.length, 2);
  assert.deepEqual(p.trustedKeys, [{ keyId: 'k1', publicKey: KEY }]);
  assert.equal(p.actions.category.pii, 'justify');
  assert.equal(p.actions.entity.EMAIL_ADDRESS, 'mask');
  assert.equal(p.audit?.format, 'splunk-hec');
  assert.equal(p.audit?.includeJustification, true);
  assert.equal(p.failMode, 'open');
  assert.equal(p.userOverrideAllowed, false);
  assert.equal(p.updateIntervalMinutes, 0.5);
  assert.equal(p.exemptions[0]?.until, Date.UTC(2030, 0, 1));
  assert.deepEqual(p.lockedSettings, [...USER_SETTING_NAMES]);
});

test('bad values are dropped with a reason, the rest still applies', () => {
  const p = parseManagedPolicy({
    orgName: 'Acme',
    colour: 'red',
    ruleBundleUrls: ['http://rules.acme.example/b.json', 'not a url'],
    trustedKeys: [{ keyId: 'k1' }],
    actions: { category: { pii: 'shout', unknown: 'block' } },
    minConfidence: 'very',
    extraSites: ['http://plain.example/*'],
    audit: { endpoint: 'ftp://x' },
    updateIntervalMinutes: 0.1,
    exemptions: [{ rule: 'a', until: 'tomorrow' }, { rule: 'a', entity: 'B', until: '2030-01-01T00:00:00Z' }],
  });
  assert.equal(p.orgName, 'Acme');
  assert.deepEqual(p.ruleBundleUrls, []);
  assert.deepEqual(p.trustedKeys, []);
  assert.deepEqual(p.actions.category, {});
  assert.equal(p.minConfidence, undefined);
  assert.deepEqual(p.extraSites, []);
  assert.equal(p.audit, undefined);
  assert.equal(p.updateIntervalMinutes, 60);
  assert.deepEqual(p.exemptions, []);
  const text = p.problems.join('\n');
  for (const word of ['colour', 'https', 'not a URL', 'trustedKeys #1', 'shout', 'unknown', 'minConfidence', 'extraSites', 'audit', 'updateIntervalMinutes', 'RFC 3339', 'exactly one']) {
    assert.ok(text.includes(word), `a problem mentions ${word}:\n${text}`);
  }
});

test('user settings apply only where the policy leaves them free', () => {
  const user = parseUserSettings({ minConfidence: 'low', category: { pii: 'allow', secret: 'allow', bogus: 'x' }, extra: 1 });
  assert.deepEqual(user, { minConfidence: 'low', category: { pii: 'allow', secret: 'allow' } });
  const admin = parseManagedPolicy({ actions: { category: { secret: 'block' } } });
  assert.deepEqual(admin.lockedSettings, ['category.secret']);
  const merged = mergeUserSettings(admin, user);
  assert.equal(merged.actions.category.secret, 'block', 'the administrator decides secrets');
  assert.equal(merged.actions.category.pii, 'allow');
  assert.equal(merged.minConfidence, 'low');
  const locked = mergeUserSettings(parseManagedPolicy({ lockSettings: true }), user);
  assert.deepEqual(locked.actions.category, {});
  assert.equal(locked.minConfidence, undefined);
});

test('match patterns', () => {
  assert.ok(matchesPattern('https://chatgpt.com/*', 'https://chatgpt.com/c/1'));
  assert.ok(matchesPattern('https://*.acme.example/*', 'https://chat.acme.example/'));
  assert.ok(matchesPattern('https://*.acme.example/*', 'https://acme.example/x'));
  assert.ok(!matchesPattern('https://*.acme.example/*', 'https://evilacme.example/x'));
  assert.ok(!matchesPattern('https://chatgpt.com/*', 'http://chatgpt.com/'));
  assert.ok(matchesPattern('https://chat.acme.example/app/*', 'https://chat.acme.example/app/x'));
  assert.ok(!matchesPattern('https://chat.acme.example/app/*', 'https://chat.acme.example/other'));
});

/** Storage in memory, with the change notices the browser would send. */
function memoryStorage(managed: Record<string, unknown>, local: Record<string, unknown> = {}) {
  let notify: (area: string, keys: string[]) => void = () => {};
  const storage: PolicyStorage & { managed: Record<string, unknown>; local: Record<string, unknown>; reads: number } = {
    managed,
    local,
    reads: 0,
    async readManaged() {
      storage.reads++;
      return structuredClone(storage.managed);
    },
    async readLocal(keys) {
      return Object.fromEntries(keys.filter((k) => k in storage.local).map((k) => [k, structuredClone(storage.local[k])]));
    },
    async writeLocal(items) {
      Object.assign(storage.local, structuredClone(items));
    },
    onChanged(cb) {
      notify = cb;
    },
  };
  return { storage, notify: (area: string, keys: string[]) => notify(area, keys) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the live policy starts from the cache, then follows managed storage with a debounce', async () => {
  const { storage, notify } = memoryStorage({ orgName: 'Fresh' }, { [CACHE_KEY]: { orgName: 'Cached' } });
  const live = new LivePolicy({ storage, debounceMs: 20 });
  await live.ready;
  assert.equal(live.policy.orgName, 'Fresh');
  assert.deepEqual(storage.local[CACHE_KEY], { orgName: 'Fresh' }, 'the fresh read is cached for the next start');
  const seen: string[] = [];
  live.onChange((p) => seen.push(p.orgName ?? ''));
  storage.managed = { orgName: 'Changed' };
  const before = storage.reads;
  for (let i = 0; i < 5; i++) notify('managed', ['orgName']);
  await sleep(60);
  assert.equal(storage.reads - before, 1, 'a burst of change notices costs one read');
  assert.deepEqual(seen, ['Changed']);
  storage.local[USER_SETTINGS_KEY] = { minConfidence: 'high' };
  notify('local', [USER_SETTINGS_KEY]);
  await sleep(20);
  assert.equal(live.policy.minConfidence, 'high');
});

test('an empty managed answer over a cached policy is believed only on the second read', async () => {
  const { storage } = memoryStorage({}, { [CACHE_KEY]: { orgName: 'Cached' } });
  const live = new LivePolicy({ storage, emptyRecheckMs: 30 });
  await live.ready;
  assert.equal(live.policy.orgName, 'Cached', 'the browser may not have loaded its policy yet');
  await sleep(60);
  assert.equal(live.policy.orgName, null, 'still empty later: the policy was removed');
});

test('a slow managed storage does not hold up the start', async () => {
  const { storage } = memoryStorage({ orgName: 'Slow' }, { [CACHE_KEY]: { orgName: 'Cached' } });
  storage.readManaged = () => sleep(200).then(() => ({ orgName: 'Slow' }));
  const live = new LivePolicy({ storage, readyTimeoutMs: 20 });
  const t0 = Date.now();
  await live.ready;
  assert.ok(Date.now() - t0 < 150);
  assert.equal(live.policy.orgName, 'Cached');
  const seen: string[] = [];
  live.onChange((p) => seen.push(p.orgName ?? ''));
  await sleep(250);
  assert.deepEqual(seen, ['Slow'], 'the late answer is announced');
});
