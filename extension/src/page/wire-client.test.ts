import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isWireRequest } from '../shared/wire-protocol';
import { WireClient } from './wire-client';

test('the port is greeted, then asked over, and the answer resolves the request', async () => {
  const client = new WireClient();
  const { port1, port2 } = new MessageChannel();
  port2.onmessage = (e) => {
    if (e.data.t === 'ready') return;
    assert.ok(isWireRequest(e.data));
    port2.postMessage({ t: 'answer', id: e.data.id, body: e.data.body.toUpperCase() });
  };
  const greeted = new Promise((r) => port2.addEventListener('message', (e) => e.data.t === 'ready' && r(true)));
  assert.ok(client.attach(port1));
  assert.ok(await greeted);
  assert.ok(!client.attach(new MessageChannel().port1), 'a second port is ignored');
  assert.deepEqual(await client.ask('prepare', 'abc'), { body: 'ABC' });
  port1.close();
  port2.close();
});

test('no answer in time follows the fail mode: closed by default, open when told', async () => {
  const client = new WireClient({ answerTimeoutMs: 20 });
  const { port1, port2 } = new MessageChannel();
  client.attach(port1);
  assert.deepEqual(await client.ask('conversation', 'x'), { refused: true });
  port2.postMessage({ t: 'config', failMode: 'open' });
  await new Promise((r) => setTimeout(r, 10));
  assert.deepEqual(await client.ask('conversation', 'x'), { body: 'x' });
  port1.close();
  port2.close();
});

test('no port in time follows the fail mode; a late port still serves waiting requests', async () => {
  assert.deepEqual(await new WireClient({ portTimeoutMs: 10 }).ask('prepare', 'x'), { refused: true });
  const client = new WireClient({ portTimeoutMs: 1000 });
  const asked = client.ask('prepare', 'late');
  const { port1, port2 } = new MessageChannel();
  port2.onmessage = (e) => e.data.t === 'request' && port2.postMessage({ t: 'answer', id: e.data.id, refused: true });
  setTimeout(() => client.attach(port1), 20);
  assert.deepEqual(await asked, { refused: true });
  port1.close();
  port2.close();
});

test('forged or unknown answers are ignored', async () => {
  const client = new WireClient({ answerTimeoutMs: 50 });
  const { port1, port2 } = new MessageChannel();
  port2.onmessage = (e) => {
    if (e.data.t !== 'request') return;
    port2.postMessage({ t: 'answer', id: e.data.id + 1, body: 'wrong id' });
    port2.postMessage({ t: 'answer', id: e.data.id, findings: ['x'] });
    port2.postMessage({ t: 'answer', id: e.data.id, body: 'right' });
  };
  client.attach(port1);
  assert.deepEqual(await client.ask('prepare', 'x'), { body: 'right' });
  port1.close();
  port2.close();
});
