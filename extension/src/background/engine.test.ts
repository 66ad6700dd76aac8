import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Engine, EngineError, type WasmGlue } from './engine';

/** A stand-in for the wasm glue: `scan('crash')` traps like a Rust panic under panic = abort. */
function fakeGlue(options: { failBuild?: boolean } = {}) {
  const calls = { init: 0, reset: 0, built: 0 };
  let instance = 0;
  class Detector {
    readonly instance = instance;
    readonly ruleCount = 3;
    readonly warnings: string[] = [];
    readonly policy = { fail_mode: 'closed' };
    constructor(_options: unknown) {
      if (options.failBuild) throw Object.assign(new Error('rule `x`: bad'), { kind: 'invalid-rule' });
      calls.built++;
    }
    scan(text: string) {
      if (text === 'crash') throw new WebAssembly.RuntimeError('unreachable');
      if (text === 'throw') throw Object.assign(new Error('too big'), { kind: 'too-large' });
      return [{ instance: this.instance, text }];
    }
    mask() {}
    review() {}
    unmask() {
      return '';
    }
    free() {}
  }
  const glue = {
    default: async () => {
      calls.init++;
    },
    engineVersion: () => '9.9.9',
    __wbg_reset_state: () => {
      calls.reset++;
      instance++;
    },
    Detector,
  } as unknown as WasmGlue;
  return { glue, calls };
}

const inputs = async () => ({ label: 'test', rules: [{ source: 'a.json', text: '{}' }] });

test('start builds the detector and reports its status', async () => {
  const { glue, calls } = fakeGlue();
  const engine = new Engine({ glue, wasm: async () => new Uint8Array(), inputs, now: () => 42 });
  assert.ok(!engine.ready);
  assert.throws(() => engine.run((d) => d.scan('x')), (e: EngineError) => e.kind === 'engine-unavailable');
  await engine.start();
  const s = engine.status();
  assert.deepEqual([s.ready, s.version, s.ruleCount, s.rulesSource, s.lastError], [true, '9.9.9', 3, 'test', null]);
  assert.equal(calls.init, 1);
  assert.deepEqual(engine.policy, { fail_mode: 'closed' });
});

test('a trap rebuilds the instance and the detector; the call fails with engine-crashed', async () => {
  const { glue, calls } = fakeGlue();
  const engine = new Engine({ glue, wasm: async () => new Uint8Array(), inputs, now: () => 7 });
  await engine.start();
  assert.throws(() => engine.run((d) => d.scan('crash')), (e: EngineError) => e.kind === 'engine-crashed');
  assert.equal(calls.reset, 1);
  assert.equal(calls.built, 2);
  const s = engine.status();
  assert.equal(s.restarts, 1);
  assert.equal(s.lastError?.kind, 'engine-crashed');
  // The next call runs on the new instance.
  assert.deepEqual(engine.run((d) => d.scan('ok')), [{ instance: 1, text: 'ok' }]);
});

test('ordinary engine errors pass through without a rebuild', async () => {
  const { glue, calls } = fakeGlue();
  const engine = new Engine({ glue, wasm: async () => new Uint8Array(), inputs });
  await engine.start();
  assert.throws(() => engine.run((d) => d.scan('throw')), (e: { kind?: string }) => e.kind === 'too-large');
  assert.equal(calls.reset, 0);
});

test('a failed start is recorded, not thrown', async () => {
  const { glue } = fakeGlue({ failBuild: true });
  const engine = new Engine({ glue, wasm: async () => new Uint8Array(), inputs, now: () => 1 });
  await engine.start();
  assert.ok(!engine.ready);
  assert.deepEqual(engine.status().lastError, { kind: 'invalid-rule', message: 'rule `x`: bad', at: 1 });
  assert.throws(() => engine.run((d) => d.scan('x')), (e: EngineError) => /rule `x`/.test(e.message));
});

/** A glue whose detectors remember what they were built from and whether they were freed. */
function recordingGlue() {
  const built: { rules: unknown[]; policy?: { tag?: string }; freed: boolean }[] = [];
  class Detector {
    readonly ruleCount: number;
    readonly warnings: string[] = [];
    readonly policy: unknown;
    private readonly record: (typeof built)[number];
    constructor(options: { rules: { text: string }[]; policy?: { tag?: string } }) {
      if (options.rules.some((r) => r.text === 'broken')) throw Object.assign(new Error('rule `b`: bad'), { kind: 'invalid-rule' });
      this.record = { rules: options.rules, policy: options.policy, freed: false };
      built.push(this.record);
      this.ruleCount = options.rules.length;
      this.policy = options.policy ?? {};
    }
    scan() {
      if (this.record.freed) throw new Error('used after free');
      return this.record.policy?.tag ?? 'main';
    }
    free() {
      this.record.freed = true;
    }
  }
  const glue = { default: async () => {}, engineVersion: () => '1', __wbg_reset_state: () => {}, Detector } as unknown as WasmGlue;
  return { glue, built };
}

test('swap puts a new detector in place only when it compiles', async () => {
  const { glue, built } = recordingGlue();
  const engine = new Engine({ glue, wasm: async () => new Uint8Array(), inputs });
  await engine.start();
  engine.swap({ label: 'v2', rules: [{ source: 'a', text: '1' }, { source: 'b', text: '2' }] });
  assert.equal(engine.status().rulesSource, 'v2');
  assert.equal(engine.status().ruleCount, 2);
  assert.equal(built[0]?.freed, true, 'the old detector is freed');
  assert.throws(() => engine.swap({ label: 'bad', rules: [{ source: 'x', text: 'broken' }] }), (e: { kind?: string }) => e.kind === 'invalid-rule');
  assert.equal(engine.status().rulesSource, 'v2', 'a failed compile keeps what works');
  assert.equal(engine.run((d) => d.scan('x')), 'main');
});

test('pages whose policy differs get their own detector, built once and dropped on swap', async () => {
  const { glue, built } = recordingGlue();
  const policyFor = (url: string) => (url.startsWith('https://exempt.example/') ? { key: 'e', policy: { tag: 'exempt' } as never } : null);
  const engine = new Engine({ glue, wasm: async () => new Uint8Array(), inputs: async () => ({ ...(await inputs()), policyFor }) });
  await engine.start();
  assert.equal(engine.run((d) => d.scan('x'), 'https://chatgpt.com/'), 'main');
  assert.equal(engine.run((d) => d.scan('x'), 'https://exempt.example/a'), 'exempt');
  assert.equal(engine.run((d) => d.scan('x'), 'https://exempt.example/b'), 'exempt');
  assert.equal(built.length, 2, 'one extra compile for the exempt site');
  engine.swap({ label: 'v2', rules: [], policyFor });
  assert.ok(built.slice(0, 2).every((b) => b.freed), 'the main and the per-site detectors are freed');
  assert.equal(engine.run((d) => d.scan('x'), 'https://exempt.example/a'), 'exempt');
});
