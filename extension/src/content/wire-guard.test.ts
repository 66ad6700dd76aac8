import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GuardEvent } from '../shared/messages';
import { Approvals } from './approvals';
import { BackgroundClient, type PortLike } from './background-client';
import type { Reporter } from './reporter';
import { WireGuard } from './wire-guard';

/**
 * A fake engine behind a fake service worker: "AKIA…" is blocked, "bob@acme.com" warned, "4104…" masked.
 * Review follows the policy rules of crates/warden-core/src/policy.rs.
 */
function engine(options: { down?: boolean } = {}) {
  const rules: [RegExp, 'block' | 'warn' | 'mask', string][] = [
    [/AKIA[A-Z0-9]{16}/g, 'block', '[AWS_KEY_1]'],
    [/bob@acme\.com/g, 'warn', '[EMAIL_1]'],
    [/4104 3321 8196 0018/g, 'mask', '[CARD_1]'],
  ];
  return clientFor(async (m) => {
    const msg = m as { type: string; text: string; stage: string; approved: string[] };
    if (options.down) throw new Error('gone');
    if (msg.type !== 'review') return { ok: true };
    let text = msg.text;
    const findings: { treatment: string }[] = [];
    let verdict = 'pass';
    for (const [re, action, placeholder] of rules) {
      for (const hit of msg.text.match(re) ?? []) {
        const approved = msg.approved.includes(hit);
        const treatment =
          msg.stage === 'preflight' ? 'mask' : action === 'block' ? 'refuse' : action === 'warn' && approved ? 'pass' : 'mask';
        findings.push({ treatment });
        if (treatment === 'mask') text = text.replace(hit, placeholder);
        if (treatment === 'refuse' || (treatment === 'mask' && verdict !== 'refuse')) verdict = treatment;
      }
    }
    return { ok: true, verdict, text, findings, failMode: 'closed' };
  });
}

/** A BackgroundClient whose port is answered by `handle` (a throw closes the port, as a dead worker does). */
function clientFor(handle: (message: unknown) => Promise<unknown>): BackgroundClient {
  return new BackgroundClient((): PortLike => {
    const listeners: ((m: unknown) => void)[] = [];
    const closers: (() => void)[] = [];
    return {
      postMessage(data) {
        const { id, message } = data as { id: number; message: unknown };
        handle(message).then(
          (reply) => listeners.forEach((f) => f({ id, reply })),
          () => closers.forEach((f) => f()),
        );
      },
      onMessage: { addListener: (f) => listeners.push(f) },
      onDisconnect: { addListener: (f) => closers.push(f) },
    };
  });
}

function guard(client: BackgroundClient, failMode: 'open' | 'closed' = 'closed') {
  const events: [GuardEvent, number][] = [];
  const refused: string[] = [];
  const approvals = new Approvals();
  const reporter = { event: (e: GuardEvent, n = 1) => events.push([e, n]) } as unknown as Reporter;
  const g = new WireGuard({ client, approvals, reporter, failMode: () => failMode, onRefusedSend: (t) => refused.push(t) });
  return { g, events, refused, approvals };
}

const prepare = (text: string) =>
  JSON.stringify({ action: 'next', partial_query: { id: 'm', author: { role: 'user' }, content: { content_type: 'text', parts: [text] } } });
const send = (text: string) =>
  JSON.stringify({ action: 'next', messages: [{ id: 'm', author: { role: 'user' }, content: { content_type: 'text', parts: [text] } }], model: 'auto' });

test('a preflight masks every finding, even warned and blocked ones', async () => {
  const { g, events } = guard(engine());
  const d = await g.decide('prepare', prepare('key AKIALFSXTTB3WE6OMXXU mail bob@acme.com'));
  assert.ok('body' in d);
  const body = JSON.parse(d.body);
  assert.equal(body.partial_query.content.parts[0], 'key [AWS_KEY_1] mail [EMAIL_1]');
  assert.equal(body.action, 'next', 'the rest of the body is kept');
  assert.deepEqual(events, [['preflight-masked', 2]]);
});

test('a send with a blocked value is refused and the text handed back', async () => {
  const { g, events, refused } = guard(engine());
  const text = 'deploy with AKIALFSXTTB3WE6OMXXU';
  assert.deepEqual(await g.decide('conversation', send(text)), { refused: true });
  assert.deepEqual(refused, [text]);
  assert.deepEqual(events, [['wire-refused', 1]]);
});

test('on send, warnings pass only when approved; approvals are spent afterwards', async () => {
  const { g, approvals } = guard(engine());
  const unapproved = await g.decide('conversation', send('mail bob@acme.com card 4104 3321 8196 0018'));
  assert.ok('body' in unapproved && unapproved.body.includes('mail [EMAIL_1] card [CARD_1]'));
  approvals.add('bob@acme.com');
  const approved = await g.decide('conversation', send('mail bob@acme.com'));
  assert.ok('body' in approved && approved.body === send('mail bob@acme.com'), 'unchanged body, byte for byte');
  assert.deepEqual(approvals.list(), []);
});

test('clean bodies go out unchanged', async () => {
  const { g, events } = guard(engine());
  const body = send('hello there');
  assert.deepEqual(await g.decide('conversation', body), { body });
  assert.deepEqual(events, []);
});

test('unreadable bodies, unknown shapes and a missing engine follow the fail mode', async () => {
  for (const [client, body] of [
    [engine(), 'not json'],
    [engine(), JSON.stringify({ prompt: 'AKIALFSXTTB3WE6OMXXU' })],
    [engine({ down: true }), send('hello')],
  ] as const) {
    assert.deepEqual(await guard(client, 'closed').g.decide('conversation', body), { refused: true });
    assert.deepEqual(await guard(client, 'open').g.decide('conversation', body), { body });
  }
});
