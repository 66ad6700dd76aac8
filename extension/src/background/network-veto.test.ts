import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { FailMode, Finding } from '../shared/findings';
import { Engine, type WasmGlue } from './engine';
import {
  type BlockingResponse,
  type BlockingWebRequest,
  bodyText,
  decide,
  installNetworkVeto,
  MAX_VETO_BODY_BYTES,
  mayCarry,
  readRequestBody,
  type VetoRequestDetails,
} from './network-veto';
import { parseRuleBundle } from './rule-sources';

const ROOT = process.env.PROMPTWARDEN_ROOT ?? process.cwd();
const GLUE = path.join(ROOT, 'target/wasm-pkg/warden_wasm.js');
const WASM = path.join(ROOT, 'target/wasm-pkg/warden_wasm_bg.wasm');
const RULES = path.join(ROOT, 'dist/chrome/rules/builtin.json');
const built = [GLUE, WASM, RULES].every((f) => fs.existsSync(f));
const needsBuild = built ? false : 'needs ./build.sh (target/wasm-pkg and dist/chrome/rules)';

const SECRET = 'AKIALFSXTTB3WE6OMXXU';
const CARD = '4104 3321 8196 0018';
const EMAIL = 'maria.gonzalez@acme-corp.com';

/** The real engine with the built-in rules and the default policy. */
async function realScan(): Promise<(text: string) => Finding[]> {
  const glue = (await import(pathToFileURL(GLUE).href)) as WasmGlue;
  const bundle = parseRuleBundle(JSON.parse(fs.readFileSync(RULES, 'utf8')));
  const engine = new Engine({
    glue,
    wasm: async () => fs.readFileSync(WASM),
    inputs: async () => ({ label: 'built-in', rules: bundle.files }),
  });
  await engine.start();
  assert.equal(engine.status().ready, true, JSON.stringify(engine.status().lastError));
  return (text) => engine.run((d) => d.scan(text)) as Finding[];
}

const conversation = (text: string) =>
  JSON.stringify({ action: 'next', messages: [{ author: { role: 'user' }, content: { content_type: 'text', parts: [text] } }] });
const prepare = (text: string) => JSON.stringify({ partial_query: { content: { parts: [text] } } });
const raw = (s: string): VetoRequestDetails['requestBody'] => ({ raw: [{ bytes: new TextEncoder().encode(s).buffer as ArrayBuffer }] });

test('bodyText reads every JSON string, escapes decoded, and falls back to the raw text', () => {
  assert.equal(bodyText('{"a":["x",{"b":"\\u0041KIA"}],"n":3}'), 'a\nx\nb\nAKIA\nn');
  assert.equal(bodyText('not json AKIA'), 'not json AKIA');
  assert.equal(bodyText('"just a string"'), 'just a string');
  // Deeper than the walk goes: the raw text is scanned instead of a part.
  const deep = `${'['.repeat(100)}"v"${']'.repeat(100)}`;
  assert.equal(bodyText(deep), deep);
});

test('readRequestBody joins raw parts and refuses what it cannot read whole', () => {
  const a = new TextEncoder().encode('{"x":"héllo ').buffer as ArrayBuffer;
  const b = new TextEncoder().encode('wörld"}').buffer as ArrayBuffer;
  assert.equal(readRequestBody({ raw: [{ bytes: a }, { bytes: b }] }), '{"x":"héllo wörld"}');
  assert.equal(readRequestBody(undefined), '');
  assert.equal(readRequestBody({ raw: [{ file: '/tmp/x' }] }), null);
  assert.equal(readRequestBody({ error: 'Unsupported upload stream' }), null);
  assert.equal(readRequestBody({ raw: [{ bytes: new ArrayBuffer(MAX_VETO_BODY_BYTES + 1) }] }), null);
  assert.equal(readRequestBody({ formData: { q: ['one', 'two'] } }), 'q\none\ntwo');
});

test('what each endpoint may carry unmasked', () => {
  assert.equal(mayCarry('prepare', 'allow'), true);
  for (const a of ['warn', 'mask', 'block'] as const) assert.equal(mayCarry('prepare', a), false, a);
  assert.equal(mayCarry('conversation', 'warn'), true, 'the user may have answered "Send anyway"');
  assert.equal(mayCarry('conversation', 'mask'), false);
  assert.equal(mayCarry('conversation', 'block'), false);
});

test('decide, with the real engine and the default policy', { skip: needsBuild }, async () => {
  const scan = await realScan();
  const refused = decide('conversation', conversation(`my key ${SECRET}`), scan);
  assert.equal(refused.cancel, true);
  assert.match(refused.reason, /^conversation: refused, it carries an unmasked .+ \(block\)$/);
  assert.ok(!refused.reason.includes(SECRET), 'the reason names no value');
  assert.equal(decide('conversation', conversation(`card ${CARD}`), scan).cancel, true);
  assert.equal(decide('conversation', conversation(`write to ${EMAIL}`), scan).cancel, false);
  assert.equal(decide('prepare', prepare(`write to ${EMAIL}`), scan).cancel, true);
  assert.equal(decide('conversation', conversation('key [AWS_ACCESS_KEY_ID_1] card [CREDIT_CARD_1]'), scan).cancel, false);
  // A JSON escape does not hide a value.
  const escaped = conversation(`key ${SECRET}`).replace('AKIA', '\\u0041KIA');
  assert.equal(decide('conversation', escaped, scan).cancel, true);
});

/** The listener the veto registers, called as Firefox would. */
function installed(deps: { scan: (t: string) => Finding[]; failMode?: FailMode; ready?: Promise<unknown> }) {
  type Listener = (d: VetoRequestDetails) => BlockingResponse | Promise<BlockingResponse>;
  const got: { listener?: Listener; filter?: { urls: string[] }; extra?: string[] } = {};
  const api: BlockingWebRequest = {
    onBeforeRequest: {
      addListener(listener, filter, extra) {
        Object.assign(got, { listener, filter, extra });
      },
    },
  };
  const stats = installNetworkVeto(api, { ready: deps.ready ?? Promise.resolve(), scan: deps.scan, failMode: () => deps.failMode ?? 'closed' });
  const { listener, filter, extra } = got;
  assert.ok(listener && filter && extra, 'one listener registered');
  return { call: (d: VetoRequestDetails) => Promise.resolve(listener(d)), spec: { filter, extra }, stats };
}

test('the listener cancels guarded requests that leak, and leaves the rest alone', { skip: needsBuild }, async () => {
  const v = installed({ scan: await realScan() });
  assert.deepEqual(v.spec.extra, ['blocking', 'requestBody']);
  assert.ok(v.spec.filter.urls.every((u) => /^https:\/\/(chatgpt\.com|chat\.openai\.com)\/backend-api\/\*$/.test(u)));
  const url = 'https://chatgpt.com/backend-api/f/conversation';
  assert.deepEqual(await v.call({ url, method: 'POST', requestBody: raw(conversation(`my key ${SECRET}`)) }), { cancel: true });
  assert.deepEqual(await v.call({ url, method: 'POST', requestBody: raw(conversation('hello')) }), {});
  assert.deepEqual(await v.call({ url: `${url}/prepare`, method: 'POST', requestBody: raw(prepare(EMAIL)) }), { cancel: true });
  // Not a guarded endpoint or not a POST: not even read.
  assert.deepEqual(await v.call({ url: 'https://chatgpt.com/backend-api/me', method: 'POST', requestBody: raw(SECRET) }), {});
  assert.deepEqual(await v.call({ url, method: 'GET' }), {});
  assert.equal(v.stats.checked, 3);
  assert.equal(v.stats.refused, 2);
  assert.match(v.stats.lastReason ?? '', /^prepare: refused/);
});

test('a body that cannot be checked follows the fail mode', async () => {
  const scan = () => {
    throw new Error('the engine is down');
  };
  const url = 'https://chat.openai.com/backend-api/conversation';
  const closed = installed({ scan, failMode: 'closed' });
  assert.deepEqual(await closed.call({ url, method: 'POST', requestBody: { raw: [{ file: 'x' }] } }), { cancel: true });
  assert.deepEqual(await closed.call({ url, method: 'POST', requestBody: raw('{}') }), { cancel: true });
  assert.match(closed.stats.lastReason ?? '', /could not check it \(fail mode closed\)/);
  const open = installed({ scan, failMode: 'open' });
  assert.deepEqual(await open.call({ url, method: 'POST', requestBody: { raw: [{ file: 'x' }] } }), {});
  assert.deepEqual(await open.call({ url, method: 'POST', requestBody: raw('{}') }), {});
  // It waits for the engine to be ready.
  let ready = false;
  const late = installed({ scan: () => (assert.ok(ready), []), ready: new Promise((r) => setTimeout(() => r((ready = true)), 20)) });
  assert.deepEqual(await late.call({ url, method: 'POST', requestBody: raw('{}') }), {});
});
