import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRuleBundle } from './rule-sources';

test('a bundle of rule files is accepted', () => {
  const b = parseRuleBundle({ version: '0.1.0', files: [{ source: 'rules/pii.toml', text: '{"schema_version":1}' }] });
  assert.equal(b.version, '0.1.0');
  assert.deepEqual(b.files, [{ source: 'rules/pii.toml', text: '{"schema_version":1}' }]);
});

test('malformed bundles are rejected with the file named', () => {
  for (const bad of [null, {}, { version: 1, files: [] }, { version: '1', files: [{ source: 'x' }] }]) {
    assert.throws(() => parseRuleBundle(bad), /rules\/builtin\.json/);
  }
});
