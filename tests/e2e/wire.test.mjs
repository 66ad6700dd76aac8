// On the wire: the page-world guard hands request bodies to the extension before they leave. A request
// made behind the UI's back (a direct fetch or XHR, the legacy endpoint, a renamed send control) is
// masked or refused there, and a refused message is put back in the composer.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { cardState, isSend, openChat, PLANTED, start } from './harness.mjs';

const T = { timeout: 60_000 };
let env;
let page;
let world;

before(async () => {
  env = await start();
}, { timeout: 90_000 });
after(async () => env?.close());
afterEach(async () => page?.close());

async function chat() {
  env.site.clear();
  ({ page, world } = await openChat(env));
  await world.waitFor(() => globalThis.__promptwarden.wire.connected);
}

const body = (text) => ({
  action: 'next',
  messages: [{ id: 'x', author: { role: 'user' }, content: { content_type: 'text', parts: [text] } }],
  parent_message_id: 'client-created-root',
  model: 'auto',
});

test('a direct fetch from the page is masked or refused before it leaves', T, async () => {
  await chat();
  const results = await page.evaluate(async (bodies) => {
    const out = [];
    for (const b of bodies) {
      try {
        const r = await fetch('/backend-api/f/conversation', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
        await r.text();
        out.push(r.status);
      } catch (e) {
        out.push(e.name);
      }
    }
    return out;
  }, [body(`pay with ${PLANTED.financial}`), body(`my key ${PLANTED.secret}`)]);
  assert.deepEqual(results, [200, 'TypeError']);
  const recorded = env.site.requests.filter(isSend);
  assert.equal(recorded.length, 1, 'the refused request never reached the server');
  assert.equal(recorded[0].json.messages[0].content.parts[0], 'pay with [CREDIT_CARD_1]');
});

test('XMLHttpRequest is guarded too', T, async () => {
  await chat();
  const status = await page.evaluate(
    (b) =>
      new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open('POST', '/backend-api/f/conversation/prepare');
        xhr.setRequestHeader('content-type', 'application/json');
        xhr.onload = () => resolve(xhr.status);
        xhr.onerror = () => resolve('error');
        xhr.send(JSON.stringify(b));
      }),
    { action: 'next', partial_query: { id: 'p', author: { role: 'user' }, content: { content_type: 'text', parts: [`key ${PLANTED.secret}`] } } },
  );
  assert.equal(status, 200);
  const prepare = await env.site.waitForRequest((r) => r.path === '/backend-api/f/conversation/prepare');
  assert.equal(prepare.json.partial_query.content.parts[0], 'key [AWS_ACCESS_KEY_ID_1]', 'a preflight masks even blocked values');
});

test('the legacy conversation endpoint is guarded', T, async () => {
  await chat();
  await page.evaluate(() => window.__site.setLegacyEndpoint(true));
  await page.click('#prompt-textarea');
  await page.keyboard.type(`card ${PLANTED.financial}`);
  await world.waitFor(() => globalThis.__promptwarden.typing.findings.length === 1);
  await page.keyboard.press('Enter');
  const sent = await env.site.waitForRequest((r) => r.path === '/backend-api/conversation');
  assert.equal(sent.json.messages[0].content.parts[0], 'card [CREDIT_CARD_1]');
});

test('with the send control renamed: reported unhealthy, and the message is not lost', T, async () => {
  await chat();
  await page.click('#prompt-textarea');
  await page.keyboard.type(`deploy key ${PLANTED.secret}`);
  await page.keyboard.press('Shift+Enter');
  await page.keyboard.type('thanks');
  const text = `deploy key ${PLANTED.secret}\nthanks`; // two paragraphs: restored as two
  await world.waitFor(() => globalThis.__promptwarden.typing.findings.length === 1);
  await page.evaluate(() => window.__site.renameSendButton());

  // The health check notices, and the service worker shows it (badge and popup status).
  await world.waitFor(() => !globalThis.__promptwarden.adapter.health(true).sendControl);
  const tabId = await env.worker.evaluate(async () => (await chrome.tabs.query({ url: 'https://chatgpt.com/*', active: true }))[0]?.id);
  const health = await (async () => {
    for (let i = 0; i < 80; i++) {
      const h = await env.worker.evaluate((id) => globalThis.__promptwarden.tab(id)?.health, tabId);
      if (h && !h.sendControl) return h;
      await new Promise((r) => setTimeout(r, 50));
    }
    return null;
  })();
  assert.ok(health, 'the worker knows the tab is unhealthy');
  assert.match(health.problems.join(' '), /send control not found/);

  // Enter is still guarded.
  await page.keyboard.press('Enter');
  await world.waitFor(() => globalThis.__promptwarden.card.open);
  assert.equal((await cardState(world)).mode, 'send');
  await page.keyboard.press('Escape');

  // A click on the unrecognised control slips past the send guard; the site clears its composer and
  // sends. The wire guard refuses the request and puts the text back.
  await page.click('[data-testid="composer-primary-action"]');
  await world.waitFor(() => globalThis.__promptwarden.card.mode === 'notice');
  assert.match((await cardState(world)).notice, /Your text is back in the message box/);
  await page.waitForFunction((t) => window.__site.getText() === t, text);
  assert.equal(env.site.requests.filter(isSend).length, 0);
});
