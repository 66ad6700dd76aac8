import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackgroundClient, type PortLike } from './background-client';

/** A fake runtime port whose "worker" answers with `answer(message)`, or never when it returns undefined. */
function fakePort(answer: (m: { type: string }) => unknown) {
  const ports: { disconnect(): void }[] = [];
  const connect = (): PortLike => {
    const onMessage: ((m: unknown) => void)[] = [];
    const onDisconnect: (() => void)[] = [];
    let open = true;
    const port = {
      postMessage(data: unknown) {
        if (!open) throw new Error('Attempting to use a disconnected port object');
        const { id, message } = data as { id: number; message: { type: string } };
        const reply = answer(message);
        if (reply !== undefined) queueMicrotask(() => onMessage.forEach((f) => f({ id, reply })));
      },
      onMessage: { addListener: (f: (m: unknown) => void) => onMessage.push(f) },
      onDisconnect: { addListener: (f: () => void) => onDisconnect.push(f) },
    };
    ports.push({ disconnect: () => ((open = false), onDisconnect.forEach((f) => f())) });
    return port;
  };
  return { connect, ports };
}

test('replies come back by id; malformed ones become failures', async () => {
  const { connect, ports } = fakePort((m) => (m.type === 'scan' ? { ok: true, findings: [], failMode: 'closed' } : { ok: true }));
  const client = new BackgroundClient(connect);
  const [a, b] = await Promise.all([client.ask({ type: 'scan', text: 'x' }), client.ask({ type: 'mask', text: 'y' })]);
  assert.deepEqual(a, { ok: true, findings: [], failMode: 'closed' });
  assert.equal(b.ok ? '' : b.error.kind, 'bad-reply');
  assert.equal(ports.length, 1, 'one port for all requests');
});

test('silence times out', async () => {
  const client = new BackgroundClient(fakePort(() => undefined).connect);
  const r = await client.ask({ type: 'scan', text: 'x' }, 10);
  assert.equal(r.ok ? '' : r.error.kind, 'timeout');
});

test('a request caught by a disconnect is retried once on a new port', async () => {
  let calls = 0;
  const fake = fakePort(() => (++calls === 1 ? undefined : { ok: true, findings: [], failMode: 'open' }));
  const client = new BackgroundClient(fake.connect);
  const pending = client.ask({ type: 'scan', text: 'x' });
  await new Promise((r) => setTimeout(r, 5));
  fake.ports[0]?.disconnect(); // the worker stopped
  assert.deepEqual(await pending, { ok: true, findings: [], failMode: 'open' });
  assert.equal(fake.ports.length, 2);
});

test('a worker that cannot be reached is `unavailable`, not an exception', async () => {
  const client = new BackgroundClient(() => {
    throw new Error('Extension context invalidated.');
  });
  const r = await client.ask({ type: 'scan', text: 'x' });
  assert.deepEqual(r, { ok: false, error: { kind: 'unavailable', message: 'Extension context invalidated.' } });
});

test('a rules-changed notice from the worker reaches the listeners; other unsolicited messages do not', async () => {
  let push: (m: unknown) => void = () => {};
  const connect = (): PortLike => ({
    postMessage(data: unknown) {
      const { id } = data as { id: number };
      queueMicrotask(() => push({ id, reply: { ok: true, findings: [], failMode: 'closed' } }));
    },
    onMessage: { addListener: (f: (m: unknown) => void) => (push = f) },
    onDisconnect: { addListener: () => {} },
  });
  const client = new BackgroundClient(connect);
  let heard = 0;
  client.onRulesChanged(() => heard++);
  await client.ask({ type: 'scan', text: 'x' }); // opens the port
  push({ notice: 'rules-changed' });
  push({ notice: 'something-else' });
  push({ id: 'x' });
  assert.equal(heard, 1);
});
