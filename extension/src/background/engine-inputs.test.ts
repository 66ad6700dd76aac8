import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compose, type EnginePolicy, inlineRuleSource } from './engine-inputs';
import { parseManagedPolicy } from './managed-policy';

const builtin = { version: '0.1.0', rules: [{ source: 'secrets.toml', text: '{"schema_version":1}' }] };
const NOW = Date.UTC(2026, 10, 23);
const later = new Date(NOW + 3600_000).toISOString();
const earlier = new Date(NOW - 1000).toISOString();

test('rule files are layered: built-in, bundle, inline, disabled', () => {
  const policy = parseManagedPolicy({ inlineRules: 'schema_version = 1\n[[rule]]\nid = "x"', disabledRules: ['email-address'] });
  const bundle = { version: 7, rules: [{ source: 'acme.json', text: '{}' }], policy: null, disabledRules: ['iban'] };
  const c = compose({ builtin, bundle, policy, now: NOW });
  assert.deepEqual(
    c.inputs.rules.map((r) => r.source),
    ['secrets.toml', 'acme.json', 'policy:inlineRules', 'policy:disabledRules'],
  );
  assert.equal(c.inputs.label, 'built-in 0.1.0 + bundle v7 + inline rules');
  assert.deepEqual(JSON.parse(c.inputs.rules[2]?.text ?? ''), { schema_version: 1, rule: [{ id: 'x' }] }, 'TOML becomes the JSON form');
  assert.deepEqual(JSON.parse(c.inputs.rules[3]?.text ?? ''), { schema_version: 1, disabled_rules: ['email-address', 'iban'] });
  assert.equal(c.inline, true);
  const without = compose({ builtin, bundle: null, policy, now: NOW, withoutInline: true });
  assert.deepEqual(without.inputs.rules.map((r) => r.source), ['secrets.toml', 'policy:disabledRules']);
});

test('broken inline rules are reported, not compiled', () => {
  assert.throws(() => inlineRuleSource('schema_version = = 1'), /inlineRules: not valid TOML/);
  assert.throws(() => inlineRuleSource('{"schema_version": '), /inlineRules: not valid JSON/);
  const c = compose({ builtin, bundle: null, policy: parseManagedPolicy({ inlineRules: '[[rule' }), now: NOW });
  assert.equal(c.inline, false);
  assert.match(c.problems.join(), /not valid TOML/);
});

test('the device policy wins over the bundle policy, which wins over the defaults', () => {
  const policy = parseManagedPolicy({ actions: { category: { pii: 'block' } }, failMode: 'open' });
  const bundle = {
    version: 1,
    rules: [],
    policy: { categories: { pii: 'mask', health: 'justify' }, entities: { IBAN_CODE: 'block' }, min_confidence: 'high', fail_mode: 'closed', colour: 'red' },
    disabledRules: [],
  };
  const c = compose({ builtin, bundle, policy, now: NOW });
  const p = c.inputs.policy as unknown as EnginePolicy;
  assert.deepEqual(p.categories, { pii: 'block', health: 'justify' });
  assert.deepEqual(p.entities, { IBAN_CODE: 'block' });
  assert.equal(p.min_confidence, 'high');
  assert.equal(p.fail_mode, 'open');
  assert.equal(p.user_override, true);
  assert.match(c.problems.join(), /"colour" is not a policy field a bundle may set/);
  const defaults = compose({ builtin, bundle: null, policy: parseManagedPolicy({}), now: NOW }).inputs.policy as unknown as EnginePolicy;
  assert.equal(defaults.min_confidence, undefined, 'left to the engine');
  assert.equal(defaults.fail_mode, undefined);
});

test('exemptions allow while they last; site-scoped ones make a policy for those sites only', () => {
  const policy = parseManagedPolicy({
    actions: { rule: { 'aws-access-key-id': 'block' } },
    exemptions: [
      { rule: 'aws-access-key-id', until: later },
      { category: 'pii', until: earlier },
      { entity: 'EMAIL_ADDRESS', until: later, sites: ['https://chat.acme.example/*'] },
    ],
  });
  const c = compose({ builtin, bundle: null, policy, now: NOW });
  const main = c.inputs.policy as unknown as EnginePolicy;
  assert.equal(main.rules['aws-access-key-id'], 'allow');
  assert.equal(main.categories.pii, undefined, 'an ended exemption is gone');
  assert.equal(main.entities.EMAIL_ADDRESS, undefined);
  assert.equal(c.nextChange, NOW + 3600_000);
  assert.equal(c.inputs.policyFor?.('https://chatgpt.com/'), null);
  const site = c.inputs.policyFor?.('https://chat.acme.example/c/1');
  assert.equal((site?.policy as unknown as EnginePolicy).entities.EMAIL_ADDRESS, 'allow');
  assert.equal((site?.policy as unknown as EnginePolicy).rules['aws-access-key-id'], 'allow');
  assert.equal(site?.key, '0');
  const after = compose({ builtin, bundle: null, policy, now: NOW + 7200_000 });
  assert.equal((after.inputs.policy as unknown as EnginePolicy).rules['aws-access-key-id'], 'block');
  assert.equal(after.inputs.policyFor, undefined);
  assert.equal(after.nextChange, null);
});

test('without user override, the engine is told so (a bundle may only tighten it)', () => {
  const off = compose({ builtin, bundle: null, policy: parseManagedPolicy({ userOverrideAllowed: false }), now: NOW });
  assert.equal((off.inputs.policy as unknown as EnginePolicy).user_override, false);
  const bundle = { version: 1, rules: [], policy: { user_override: false }, disabledRules: [] };
  const tightened = compose({ builtin, bundle, policy: parseManagedPolicy({}), now: NOW });
  assert.equal((tightened.inputs.policy as unknown as EnginePolicy).user_override, false);
});
