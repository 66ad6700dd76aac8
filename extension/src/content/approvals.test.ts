import assert from 'node:assert/strict';
import { test } from 'node:test';
import { APPROVAL_TTL_MS, Approvals, MAX_APPROVALS } from './approvals';

test('approved values are remembered until cleared or expired', () => {
  let now = 0;
  const a = new Approvals(() => now);
  a.add('bob@acme.com');
  a.add('');
  assert.ok(a.has('bob@acme.com'));
  assert.deepEqual(a.list(), ['bob@acme.com']);
  now = APPROVAL_TTL_MS + 1;
  assert.ok(!a.has('bob@acme.com'));
  a.add('x');
  a.clear();
  assert.deepEqual(a.list(), []);
});

test('the number of approvals is bounded, oldest out', () => {
  const a = new Approvals();
  for (let i = 0; i <= MAX_APPROVALS; i++) a.add(`v${i}`);
  assert.ok(!a.has('v0'));
  assert.ok(a.has(`v${MAX_APPROVALS}`));
});
