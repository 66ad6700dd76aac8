import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineStatus } from '../shared/messages';
import { popupView } from './status-view';

const engine: EngineStatus = {
  ready: true,
  version: '0.1.0',
  ruleCount: 308,
  rulesSource: 'built-in 0.1.0',
  policy: { categories: {}, entities: {}, rules: {}, min_confidence: 'medium', fail_mode: 'closed', mask_style: 'placeholder', user_override: true },
  lastError: null,
  restarts: 0,
  timings: { wasmMs: 60, rulesMs: 20, compileMs: 900 },
};

test('a healthy engine and tab', () => {
  const v = popupView(engine, { health: { composer: true, sendControl: true, wireGuard: true, problems: [] }, findings: 2, counts: { masked: 3 } }, true, 0);
  assert.deepEqual(v.engine.map((r) => r.value), ['Ready · version 0.1.0', '308 active (built-in 0.1.0)', '980 ms', 'do not send (fail closed)', 'None']);
  assert.deepEqual(v.tab?.map((r) => [r.value, r.tone]), [['All guards active', 'ok'], ['2 sensitive items', 'warn']]);
  assert.equal(v.counts.find((c) => c.label.startsWith('Masked in the message'))?.value, '3');
});

test('errors, problems and other tabs are spelled out', () => {
  const broken = { ...engine, ready: false, lastError: { kind: 'invalid-rule', message: 'rule `x`: bad', at: 0 }, restarts: 1 };
  const v = popupView(broken, { health: { composer: true, sendControl: false, wireGuard: true, problems: ['send control not found'] }, findings: 0, counts: {} }, true, 90_000);
  assert.equal(v.engine[0]?.tone, 'error');
  assert.ok(v.engine.some((r) => r.value === 'invalid-rule: rule `x`: bad (2 min ago)'));
  assert.ok(v.engine.some((r) => r.label === 'Restarts'));
  assert.equal(v.tab?.[0]?.value, 'send control not found');
  assert.match(popupView(engine, null, false, 0).tabNote ?? '', /not one of them/);
});
