import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HANDSHAKE_KEY, isHandshake, isWireMessage, isWireRequest, MAX_BODY_LENGTH } from './wire-protocol';

test('requests are checked', () => {
  assert.ok(isWireRequest({ t: 'request', id: 1, kind: 'prepare', body: '{}' }));
  assert.ok(!isWireRequest({ t: 'request', id: 0, kind: 'prepare', body: '{}' }));
  assert.ok(!isWireRequest({ t: 'request', id: 1, kind: 'files', body: '{}' }));
  assert.ok(!isWireRequest({ t: 'request', id: 1, kind: 'prepare', body: {} }));
  assert.ok(!isWireRequest({ t: 'request', id: 1, kind: 'prepare', body: 'x'.repeat(MAX_BODY_LENGTH + 1) }));
});

test('answers carry a body or a bare refusal', () => {
  assert.ok(isWireMessage({ t: 'answer', id: 3, body: '{}' }));
  assert.ok(isWireMessage({ t: 'answer', id: 3, refused: true }));
  assert.ok(isWireMessage({ t: 'config', failMode: 'open' }));
  assert.ok(!isWireMessage({ t: 'answer', id: 3 }));
  assert.ok(!isWireMessage({ t: 'config', failMode: 'maybe' }));
});

test('the handshake needs the key and exactly one port', () => {
  const port = {} as MessagePort;
  assert.ok(isHandshake({ [HANDSHAKE_KEY]: true }, [port]));
  assert.ok(!isHandshake({ [HANDSHAKE_KEY]: true }, []));
  assert.ok(!isHandshake({ [HANDSHAKE_KEY]: true }, [port, port]));
  assert.ok(!isHandshake({ other: true }, [port]));
});
