// The service worker: survives being stopped and started again (listeners at top level, state back from
// session storage), rebuilds the engine after a Rust panic, and serves the popup's status.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { highlights, openChat, PLANTED, start } from './harness.mjs';

const T = { timeout: 60_000 };
let env;
let page;
let world;

before(async () => {
  env = await start();
}, { timeout: 90_000 });
after(async () => env?.close());
afterEach(async () => page?.close());

async function typeAndWait(text, n) {
  await page.click('#prompt-textarea');
  await page.keyboard.type(text);
  await world.waitFor((k) => globalThis.__promptwarden.typing.findings.length === k, n);
}

test('a stopped service worker starts again on the next message, with its tab state', T, async () => {
  ({ page, world } = await openChat(env));
  await typeAndWait(`key ${PLANTED.secret}`, 1);
  await page.keyboard.press('Enter'); // a blocked send: counted for the popup
  await world.waitFor(() => globalThis.__promptwarden.card.open);
  await page.keyboard.press('Escape');
  const tabId = await env.worker.evaluate(async () => (await chrome.tabs.query({ url: 'https://chatgpt.com/*', active: true }))[0]?.id);
  const before = await env.worker.evaluate((id) => globalThis.__promptwarden.tab(id), tabId);
  assert.equal(before.counts.blocked, 1);
  assert.equal(await env.worker.evaluate((id) => chrome.action.getBadgeText({ tabId: id }), tabId), '1', 'the toolbar badge counts');
  await new Promise((r) => setTimeout(r, 500)); // the session snapshot is written after a short delay

  const cdp = await page.context().newCDPSession(page);
  const states = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const v of versions) if (v.scriptURL.startsWith('chrome-extension://')) states.push([v.versionId, v.runningStatus]);
  });
  await cdp.send('ServiceWorker.enable');
  await new Promise((r) => setTimeout(r, 300));
  const running = states.filter(([, s]) => s === 'running').map(([id]) => id);
  assert.ok(running.length, 'the extension worker is listed');
  for (const versionId of new Set(running)) await cdp.send('ServiceWorker.stopWorker', { versionId });
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(states.some(([, s]) => s === 'stopped'), 'the worker stopped');

  // The next keystrokes need the worker: it starts again, compiles the rules, and answers.
  await page.keyboard.type(` and card ${PLANTED.financial}`);
  await world.waitFor(() => globalThis.__promptwarden.typing.findings.length === 2, undefined, 15_000);
  assert.equal((await highlights(page))['promptwarden-mask'], 1);
  assert.equal(states.filter(([, s]) => s === 'running').length, running.length + 1, 'it started once more');

  // Its per-tab counts came back from session storage (asked the way the popup asks).
  const id = new URL(env.worker.url()).host;
  const popup = await env.browser.context.newPage();
  await popup.goto(`chrome-extension://${id}/popup/popup.html`);
  const status = await popup.evaluate((tab) => chrome.runtime.sendMessage({ type: 'status', tabId: tab }), tabId);
  await popup.close();
  assert.equal(status.ok, true, JSON.stringify(status));
  assert.equal(status.tab.counts.blocked, 1);
  assert.equal(status.tab.findings, 2);
});

test('after a Rust panic the engine is rebuilt and keeps working', T, async () => {
  ({ page, world } = await openChat(env));
  const error = await env.worker.evaluate(() => {
    try {
      globalThis.__promptwarden.crashForTest();
      return null;
    } catch (e) {
      return e.kind;
    }
  });
  assert.equal(error, 'engine-crashed');
  const status = await env.worker.evaluate(() => globalThis.__promptwarden.status());
  assert.equal(status.ready, true);
  assert.ok(status.restarts >= 1);
  assert.equal(status.lastError.kind, 'engine-crashed');
  await typeAndWait(`key ${PLANTED.secret}`, 1);
});

test('the popup shows engine and rule status', T, async () => {
  const id = new URL(env.worker.url()).host;
  page = await env.browser.context.newPage();
  await page.goto(`chrome-extension://${id}/popup/popup.html`);
  await page.waitForFunction(() => document.querySelector('#engine dd')?.textContent.startsWith('Ready'));
  const text = await page.locator('body').innerText();
  assert.match(text, /Ready · version 0\.1\.0/);
  assert.match(text, /\d{3} active \(built-in 0\.1\.0\)/);
  assert.match(text, /Last error/);
  assert.match(text, /not one of them/, 'the popup tab itself is not a guarded site');
});
