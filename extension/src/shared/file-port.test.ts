import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CHUNK_BYTES, decodeChunk, encodeChunk, hasNativeBase64, isFromWorker, isToWorker } from './file-port';

const every = Uint8Array.from({ length: 256 * 3 }, (_, i) => i % 256);

test('both encodings survive a JSON round trip byte for byte', () => {
  for (const encoding of ['binary', 'base64'] as const) {
    const wire = JSON.parse(JSON.stringify({ data: encodeChunk(every, encoding) })).data as string;
    const out = new Uint8Array(every.length + 4);
    assert.equal(decodeChunk(wire, encoding, out, 4), every.length, encoding);
    assert.deepEqual(out.subarray(4), every, encoding);
  }
});

test('a large chunk encodes without exhausting the call stack', () => {
  const big = new Uint8Array(CHUNK_BYTES).fill(0xab);
  const s = encodeChunk(big, 'binary');
  assert.equal(s.length, CHUNK_BYTES);
  const out = new Uint8Array(CHUNK_BYTES);
  assert.equal(decodeChunk(s, 'binary', out, 0), CHUNK_BYTES);
  assert.equal(out[CHUNK_BYTES - 1], 0xab);
});

test('malformed or overflowing chunks are refused, not written', () => {
  const out = new Uint8Array(4);
  assert.equal(decodeChunk('\u0100', 'binary', out, 0), -1, 'a char above U+00FF is not a byte');
  assert.equal(decodeChunk('abcde', 'binary', out, 0), -1, 'more bytes than room');
  assert.equal(decodeChunk('!!!!', 'base64', out, 0), -1);
  assert.deepEqual(out, new Uint8Array(4));
  assert.equal(typeof hasNativeBase64(), 'boolean');
});

test('messages are checked in both directions', () => {
  assert.ok(isToWorker({ t: 'begin', name: 'a.docx', size: 10, encoding: 'binary' }));
  assert.ok(!isToWorker({ t: 'begin', name: 'a.docx', size: -1, encoding: 'binary' }));
  assert.ok(!isToWorker({ t: 'begin', name: 'a.docx', size: 1, encoding: 'utf16' }));
  assert.ok(!isToWorker({ t: 'chunk', seq: 0, data: 'x'.repeat(CHUNK_BYTES * 2) }));
  assert.ok(!isToWorker({ t: 'delete' }));
  const report = { format: 'txt', inspectable: true, reason: null, findings: [], sanitizable: true, textBytes: 3 };
  assert.ok(isFromWorker({ t: 'report', report, uninspectable: 'warn', failMode: 'closed', scanMs: 1 }));
  assert.ok(!isFromWorker({ t: 'report', report: { ...report, findings: [{ ruleId: 'x' }] }, uninspectable: 'warn', failMode: 'closed', scanMs: 1 }));
  assert.ok(!isFromWorker({ t: 'report', report, uninspectable: 'explode', failMode: 'closed', scanMs: 1 }));
  assert.ok(isFromWorker({ t: 'error', error: { kind: 'x', message: 'y' } }));
  assert.ok(!isFromWorker({ t: 'error', error: new Error('x') }));
});
