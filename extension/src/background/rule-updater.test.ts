import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { EngineInputs } from './engine';
import { type EffectivePolicy, parseManagedPolicy } from './managed-policy';
import { LKG_KEY, MAX_BUNDLE_BYTES, readBounded, type RulesAudit, RuleUpdater, type VerifiedBundle, type VerifyBundle } from './rule-updater';

// A real HTTP server on loopback plays the bundle host (ETag / 304 included). The bundle verifier is a
// stand-in with the wasm `verifyBundle`'s contract: the signature check itself is crates/warden-bundle's
// and is exercised in its own tests and in the browser end-to-end tests.

interface Served {
  status?: number;
  body: string;
  etag?: string;
}
const served = new Map<string, Served>();
const requests: { path: string; ifNoneMatch: string | undefined }[] = [];
let server: http.Server;
let base = '';

before(async () => {
  server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', ifNoneMatch: req.headers['if-none-match'] });
    const s = served.get(req.url ?? '');
    if (!s) return void res.writeHead(404).end('not found');
    if (s.etag && req.headers['if-none-match'] === s.etag) return void res.writeHead(304).end();
    res.writeHead(s.status ?? 200, s.etag ? { ETag: s.etag } : {}).end(s.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

/** The body is JSON `{version, keyId, sig, rules, expiresAt?}`: `sig: "bad"` fails like a tampered file. */
const verify: VerifyBundle = (bytes, options) => {
  const b = JSON.parse(new TextDecoder().decode(bytes)) as { version: number; keyId: string; sig: string; rules?: string[]; expiresAt?: number };
  const fail = (kind: string, message: string) => {
    throw Object.assign(new Error(message), { kind });
  };
  if (bytes.length > (options.maxBytes ?? Infinity)) fail('too-large', 'too large');
  if (!options.trustedKeys.some((k) => k.keyId === b.keyId)) fail('unknown-key', `the bundle is signed by key ${b.keyId}, which the policy does not trust`);
  if (b.sig !== 'good') fail('bad-signature', 'the signature does not match the bundle');
  if (b.expiresAt !== undefined && b.expiresAt < options.now) fail('expired', 'the bundle expired');
  if (b.version < options.minVersion) fail('downgrade', `version ${b.version} is older than ${options.minVersion}`);
  const rules = (b.rules ?? ['r']).map((r) => ({ source: `${r}.json`, text: r }));
  const out: VerifiedBundle = { version: b.version, keyId: b.keyId, issuedAt: 1, expiresAt: b.expiresAt ?? null, rules, policy: null, disabledRules: [] };
  return out;
};

function setup(policyRaw: Record<string, unknown>, stored: Record<string, unknown> = {}) {
  const local: Record<string, unknown> = structuredClone(stored);
  const swaps: EngineInputs[] = [];
  const audits: RulesAudit[] = [];
  const scheduled: [number, number | null][] = [];
  let policy: EffectivePolicy = parseManagedPolicy(policyRaw);
  const updater = new RuleUpdater({
    engine: {
      swap(inputs) {
        if (inputs.rules.some((r) => r.text === 'broken')) throw Object.assign(new Error('rule `x`: invalid pattern'), { kind: 'invalid-rule' });
        swaps.push(inputs);
      },
    },
    verify,
    fetch: (input, init) => fetch(input, init),
    storage: {
      get: async (keys) => Object.fromEntries(keys.filter((k) => k in local).map((k) => [k, structuredClone(local[k])])),
      set: async (items) => void Object.assign(local, structuredClone(items)),
    },
    builtin: async () => ({ version: '0.1.0', rules: [{ source: 'builtin.json', text: 'builtin' }] }),
    policy: () => policy,
    audit: (e) => audits.push(e),
    schedule: (period, wake) => scheduled.push([period, wake]),
  });
  return { updater, swaps, audits, scheduled, local, setPolicy: (raw: Record<string, unknown>) => (policy = parseManagedPolicy(raw)) };
}

const KEYS = [{ keyId: 'k1', publicKey: 'GB9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=' }];
const bundle = (o: Record<string, unknown>) => JSON.stringify({ keyId: 'k1', sig: 'good', ...o });

test('a good bundle is verified, compiled, swapped in and kept; an unchanged one costs a 304', async () => {
  served.set('/a.json', { body: bundle({ version: 3, rules: ['acme'] }), etag: '"v3"' });
  const env = setup({ ruleBundleUrls: [`${base}/a.json`], trustedKeys: KEYS, updateIntervalMinutes: 5 });
  const first = await env.updater.initialInputs();
  assert.deepEqual(first.rules.map((r) => r.text), ['builtin'], 'nothing fetched yet: built-in rules');
  assert.deepEqual(env.scheduled.at(-1), [5, null]);
  await env.updater.check();
  assert.deepEqual(env.swaps.at(-1)?.rules.map((r) => r.text), ['builtin', 'acme']);
  const status = env.updater.getStatus();
  assert.equal(status.bundle?.version, 3);
  assert.equal(status.lastError, null);
  assert.ok(status.lastUpdate);
  assert.equal((env.local[LKG_KEY] as VerifiedBundle).version, 3);
  assert.deepEqual(env.audits.map((a) => a.type), ['bundle-applied']);

  requests.length = 0;
  await env.updater.check();
  assert.equal(requests[0]?.ifNoneMatch, '"v3"', 'conditional GET');
  assert.equal(env.swaps.length, 1, 'a 304 changes nothing');

  // A new worker start uses the stored bundle before any fetch.
  const restarted = setup({ ruleBundleUrls: [`${base}/a.json`], trustedKeys: KEYS }, env.local);
  const inputs = await restarted.updater.initialInputs();
  assert.deepEqual(inputs.rules.map((r) => r.text), ['builtin', 'acme']);
  assert.equal(restarted.updater.bundleVersion(), '3');
  // … but not once the policy stops trusting its key.
  const revoked = setup({ ruleBundleUrls: [`${base}/a.json`], trustedKeys: [{ ...KEYS[0], keyId: 'k2' }] }, env.local);
  assert.deepEqual((await revoked.updater.initialInputs()).rules.map((r) => r.text), ['builtin']);
});

test('every kind of bad bundle is rejected with its reason, last-known-good kept', async () => {
  served.set('/b.json', { body: bundle({ version: 5, rules: ['v5'] }) });
  const env = setup({ ruleBundleUrls: [`${base}/b.json`], trustedKeys: KEYS });
  await env.updater.initialInputs();
  await env.updater.check();
  assert.equal(env.updater.getStatus().bundle?.version, 5);
  const cases: [string, Served][] = [
    ['bad-signature', { body: bundle({ version: 6, sig: 'bad' }) }],
    ['unknown-key', { body: bundle({ version: 6, keyId: 'stranger' }) }],
    ['expired', { body: bundle({ version: 6, expiresAt: 1000 }) }],
    ['downgrade', { body: bundle({ version: 4 }) }],
    ['downgrade', { body: bundle({ version: 5, rules: ['other'] }) }],
    ['invalid-rules', { body: bundle({ version: 6, rules: ['broken'] }) }],
    ['too-large', { body: 'x'.repeat(MAX_BUNDLE_BYTES + 1) }],
    ['fetch-failed', { status: 500, body: 'oops' }],
  ];
  for (const [kind, body] of cases) {
    served.set('/b.json', body);
    const swaps = env.swaps.length;
    await env.updater.check();
    const status = env.updater.getStatus();
    assert.equal(status.lastError?.kind, kind, `${kind}: ${status.lastError?.message}`);
    assert.equal(status.lastError?.url, `${base}/b.json`);
    assert.equal(status.bundle?.version, 5, `${kind}: last-known-good stays`);
    assert.equal(env.swaps.length, swaps, `${kind}: the engine is untouched`);
    assert.equal((env.local[LKG_KEY] as VerifiedBundle).version, 5);
    if (kind !== 'fetch-failed') assert.equal(env.audits.at(-1)?.reason, kind, `${kind} is audited`);
  }
  // The same bundle again clears the error.
  served.set('/b.json', { body: bundle({ version: 5, rules: ['v5'] }) });
  await env.updater.check();
  assert.equal(env.updater.getStatus().lastError, null);
});

test('mirrors are tried in order; bundle URLs without keys are reported', async () => {
  served.set('/good.json', { body: bundle({ version: 2, rules: ['mirror'] }) });
  const env = setup({ ruleBundleUrls: [`${base}/missing.json`, `${base}/good.json`], trustedKeys: KEYS });
  await env.updater.initialInputs();
  await env.updater.check();
  assert.equal(env.updater.getStatus().bundle?.url, `${base}/good.json`);
  assert.equal(env.updater.getStatus().lastError, null, 'the unreachable first mirror is not an error once the second answered');
  const nokeys = setup({ ruleBundleUrls: [`${base}/good.json`] });
  await nokeys.updater.initialInputs();
  await nokeys.updater.check();
  assert.equal(nokeys.updater.getStatus().lastError?.kind, 'unknown-key');
  assert.match(nokeys.updater.getStatus().lastError?.message ?? '', /trustedKeys/);
});

test('a policy change recompiles; inline rules that do not compile are left out and reported', async () => {
  const env = setup({});
  await env.updater.initialInputs();
  env.setPolicy({ inlineRules: '{"schema_version": 1, "rule": []}' });
  env.updater.recompile();
  assert.deepEqual(env.swaps.at(-1)?.rules.map((r) => r.source), ['builtin.json', 'policy:inlineRules']);
  assert.equal(env.updater.getStatus().inline, true);
  env.setPolicy({ inlineRules: 'broken', exemptions: [{ rule: 'x', until: '2999-01-01T00:00:00Z' }] });
  // 'broken' is not TOML: a problem, and the rest compiles.
  env.updater.recompile();
  assert.equal(env.updater.getStatus().inline, false);
  assert.match(env.updater.getStatus().problems.join(), /inlineRules/);
  assert.equal(env.scheduled.at(-1)?.[1], Date.UTC(2999, 0, 1), 'woken when the exemption ends');
});

test('readBounded stops reading past the limit', async () => {
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      c.enqueue(new Uint8Array(1000));
    },
  });
  await assert.rejects(readBounded(new Response(body), 5000), (e: Error & { kind?: string }) => e.kind === 'too-large');
  assert.equal((await readBounded(new Response('abc'), 5000)).length, 3);
});
