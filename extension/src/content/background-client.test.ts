import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackgroundClient } from './background-client';

test('replies pass through; malformed ones, errors and silence become failures', async () => {
  const ok = new BackgroundClient(async () => ({ ok: true, findings: [], failMode: 'closed' }));
  assert.deepEqual(await ok.ask({ type: 'scan', text: 'x' }), { ok: true, findings: [], failMode: 'closed' });
  const bad = new BackgroundClient(async () => ({ ok: true }));
  assert.equal((await bad.ask({ type: 'scan', text: 'x' })).ok, false);
  const gone = new BackgroundClient(async () => {
    throw new Error('Extension context invalidated.');
  });
  assert.deepEqual(await gone.ask({ type: 'scan', text: 'x' }), {
    ok: false,
    error: { kind: 'unavailable', message: 'Extension context invalidated.' },
  });
  const silent = new BackgroundClient(() => new Promise(() => {}));
  const r = await silent.ask({ type: 'scan', text: 'x' }, 10);
  assert.equal(r.ok ? '' : r.error.kind, 'timeout');
});
