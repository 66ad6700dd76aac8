import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, type WasmGlue } from './engine';
import { type AnyReply, Router } from './router';
import { TabState } from './tab-state';

const SELF = { id: 'ext-id', origin: 'chrome-extension://ext-id/', version: '0.1.0' };
const CONTENT = { id: 'ext-id', tabId: 5, url: 'https://chatgpt.com/c/1' };
const POPUP = { id: 'ext-id', url: 'chrome-extension://ext-id/popup/popup.html' };

/** A detector that "finds" the word SECRET and records the mapping it is given. */
function fakeGlue() {
  const seen: unknown[] = [];
  class Detector {
    readonly ruleCount = 1;
    readonly policy = { fail_mode: 'open' };
    scan(text: string) {
      const at = text.indexOf('SECRET');
      return at < 0 ? [] : [{ start: at, end: at + 6, action: 'block' }];
    }
    mask(text: string, request: { mapping?: number }) {
      seen.push(request.mapping);
      return { text: text.replace('SECRET', '[S_1]'), replacements: [], mapping: (request.mapping ?? 0) + 1 };
    }
    review(text: string, request: { mapping?: number; stage: string }) {
      seen.push(request.mapping);
      return { verdict: 'mask', text: text.replace('SECRET', '[S_1]'), findings: [], mapping: (request.mapping ?? 0) + 1 };
    }
  }
  const glue = { default: async () => {}, engineVersion: () => '1.0.0', __wbg_reset_state() {}, Detector };
  return { glue: glue as unknown as WasmGlue, seen };
}

async function makeRouter() {
  const { glue, seen } = fakeGlue();
  const engine = new Engine({ glue, wasm: async () => new Uint8Array(), inputs: async () => ({ label: 't', rules: [] }) });
  await engine.start();
  const tabs = new TabState({ persist() {}, badge() {} });
  return { router: new Router(engine, tabs, SELF), tabs, seen };
}

const ok = (r: AnyReply) => {
  assert.ok(r.ok, JSON.stringify(r));
  return r as Record<string, unknown>;
};

test('content scripts on guarded pages may scan, mask, review and report', async () => {
  const { router, tabs } = await makeRouter();
  assert.deepEqual(ok(router.handle({ type: 'scan', text: 'a SECRET' }, CONTENT)).findings, [
    { start: 2, end: 8, action: 'block' },
  ]);
  assert.equal(ok(router.handle({ type: 'scan', text: 'x' }, CONTENT)).failMode, 'open');
  assert.equal(ok(router.handle({ type: 'mask', text: 'a SECRET' }, CONTENT)).text, 'a [S_1]');
  assert.equal(ok(router.handle({ type: 'review', text: 'SECRET', stage: 'preflight', approved: [] }, CONTENT)).verdict, 'mask');
  ok(router.handle({ type: 'report', findings: 2 }, CONTENT));
  assert.equal(tabs.get(5)?.findings, 2);
});

test('the placeholder mapping is kept per tab and dropped with it', async () => {
  const { router, seen } = await makeRouter();
  router.handle({ type: 'mask', text: 'SECRET' }, CONTENT);
  router.handle({ type: 'review', text: 'SECRET', stage: 'send', approved: [] }, CONTENT);
  router.handle({ type: 'mask', text: 'SECRET' }, { ...CONTENT, tabId: 6 });
  router.forgetTab(5);
  router.handle({ type: 'mask', text: 'SECRET' }, CONTENT);
  assert.deepEqual(seen, [undefined, 1, undefined, undefined]);
});

test('trust tiers: status only from extension pages, content messages only from guarded tabs', async () => {
  const { router } = await makeRouter();
  const status = ok(router.handle({ type: 'status', tabId: 5 }, POPUP));
  assert.equal(status.extensionVersion, '0.1.0');
  const refusals: [unknown, object][] = [
    [{ type: 'status' }, CONTENT],
    [{ type: 'scan', text: 'x' }, POPUP],
    [{ type: 'scan', text: 'x' }, { ...CONTENT, url: 'https://evil.example/' }],
    [{ type: 'scan', text: 'x' }, { ...CONTENT, id: 'other-extension' }],
    [{ type: 'scan', text: 'x' }, { ...CONTENT, tabId: undefined }],
    [{ type: 'scan' }, CONTENT],
    [new Error('x'), CONTENT],
  ];
  for (const [message, sender] of refusals) {
    const r = router.handle(message, sender);
    assert.equal(r.ok, false, JSON.stringify([message, sender]));
    if (!r.ok) assert.ok(typeof r.error.kind === 'string' && !(r.error instanceof Error));
  }
});

test('engine failures become failures with a kind', async () => {
  const tabs = new TabState({ persist() {}, badge() {} });
  const { glue } = fakeGlue();
  const engine = new Engine({ glue, wasm: async () => { throw new Error('no wasm'); }, inputs: async () => ({ label: 't', rules: [] }) });
  await engine.start();
  const r = new Router(engine, tabs, SELF).handle({ type: 'scan', text: 'x' }, CONTENT);
  assert.deepEqual(r, { ok: false, error: { kind: 'engine-unavailable', message: 'no wasm' } });
});

test('decisions from a guarded page go to the audit log with the page; from elsewhere they are refused', async () => {
  const { glue } = fakeGlue();
  const engine = new Engine({ glue, wasm: async () => new Uint8Array(), inputs: async () => ({ label: 't', rules: [] }) });
  await engine.start();
  const audited: [unknown, string | undefined][] = [];
  const router = new Router(engine, new TabState({ persist() {}, badge() {} }), SELF, (report, site) => audited.push([report, site]));
  const decision = {
    type: 'decision',
    decision: 'blocked',
    stage: 'send',
    text: 'a SECRET',
    findings: [{ ruleId: 'r', entity: 'E', category: 'secret', confidence: 'high', action: 'block', start: 2, end: 8 }],
  };
  ok(router.handle(decision, CONTENT));
  assert.deepEqual(audited, [[decision, CONTENT.url]]);
  assert.equal(router.handle(decision, POPUP).ok, false);
  assert.equal(router.handle({ ...decision, decision: 'shrugged' }, CONTENT).ok, false);
  assert.equal(audited.length, 1);
});
