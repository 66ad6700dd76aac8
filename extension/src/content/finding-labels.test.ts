import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingTitle, preview } from './finding-labels';

test('titles drop the parenthesised detail, or come from the entity', () => {
  assert.equal(findingTitle({ description: 'AWS access key id (long-term AKIA, temporary ASIA)', entity: 'X' }), 'AWS access key id');
  assert.equal(findingTitle({ description: '', entity: 'CREDIT_CARD' }), 'Credit card');
});

test('previews never show the whole value', () => {
  assert.equal(preview('AKIALFSXTTB3WE6OMXXU'), 'AKIA••••••••••••MXXU');
  assert.equal(preview('4104 3321 8196 0018'), '4104•••••••••••0018');
  assert.equal(preview('bob@acme.com'), 'bo••••••••om');
  assert.equal(preview('12345'), '•••••');
  const pem = `-----BEGIN RSA PRIVATE KEY-----\n${'A'.repeat(1000)}\n-----END RSA PRIVATE KEY-----`;
  assert.ok(preview(pem).length < 40);
  assert.ok(!preview('😀😀😀😀😀😀😀😀').includes('\uFFFD'));
});
