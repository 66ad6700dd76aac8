// The background (Chrome's service worker, Firefox's event page): survives being stopped and started
// again (listeners at top level, state back from session storage), rebuilds the engine after a Rust
// panic, and serves the popup's status.
import assert from 'node:assert/strict';
import { highlights, PLANTED } from './harness.mjs';
import { scenarios } from './lib/scenarios.mjs';

async function typeAndWait(page, text, n) {
  await page.click('#prompt-textarea');
  await page.type(text);
  await page.waitExt('hasFindings', n, 15_000);
}

/** The tab id of the (only) chat tab, as the background knows it. */
const chatTabId = (b) =>
  b.worker(async () => {
    const tabs = await chrome.tabs.query({ url: 'https://chatgpt.com/*' });
    return Math.max(...tabs.map((t) => t.id));
  });

scenarios('background', (scenario) => {
  scenario('a stopped background starts again on the next message, with its tab state', async (b) => {
    const page = await b.openChat();
    await typeAndWait(page, `key ${PLANTED.secret}`, 1);
    await page.press('Enter'); // a blocked send: counted for the popup
    await page.waitExt('cardOpen');
    await page.press('Escape');
    const tabId = await chatTabId(b);
    let before = null;
    for (let i = 0; i < 40 && before?.counts.blocked !== 1; i++) {
      before = await b.worker((pw, id) => pw.tab(id), tabId);
      if (before?.counts.blocked !== 1) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(before.counts.blocked, 1);
    assert.equal(await b.worker((_pw, id) => chrome.action.getBadgeText({ tabId: id }), tabId), '1', 'the toolbar badge counts');
    const startedAt = await b.worker((pw) => pw.startedAt);
    await new Promise((r) => setTimeout(r, 500)); // the session snapshot is written after a short delay

    await b.stopBackground();

    // The next keystrokes need the background: it starts again, compiles the rules, and answers.
    await page.type(` and card ${PLANTED.financial}`);
    await page.waitExt('hasFindings', 2, 15_000);
    assert.equal((await highlights(page))['promptwarden-mask'], 1);
    assert.notEqual(await b.worker((pw) => pw.startedAt), startedAt, 'it is a new instance of the background');

    // Its per-tab counts came back from session storage (asked the way the popup asks).
    const popup = await b.openExtensionPage('popup/popup.html');
    const status = await popup.evaluate((tab) => chrome.runtime.sendMessage({ type: 'status', tabId: tab }), tabId);
    assert.equal(status.ok, true, JSON.stringify(status));
    assert.equal(status.tab.counts.blocked, 1);
    assert.equal(status.tab.findings, 2);
  });

  scenario('after a Rust panic the engine is rebuilt and keeps working', async (b) => {
    const page = await b.openChat();
    const error = await b.worker((pw) => {
      try {
        pw.crashForTest();
        return null;
      } catch (e) {
        return e.kind;
      }
    });
    assert.equal(error, 'engine-crashed');
    const status = await b.worker((pw) => pw.status());
    assert.equal(status.ready, true);
    assert.ok(status.restarts >= 1);
    assert.equal(status.lastError.kind, 'engine-crashed');
    await typeAndWait(page, `key ${PLANTED.secret}`, 1);
  });

  scenario('the popup shows engine and rule status', async (b) => {
    const page = await b.openExtensionPage('popup/popup.html');
    await page.waitFor(() => document.querySelector('#engine dd')?.textContent.startsWith('Ready'));
    const text = await page.text('body');
    assert.match(text, /Ready · version 0\.1\.0/);
    assert.match(text, /\d{3} active \(built-in 0\.1\.0\)/);
    assert.match(text, /Last error/);
    assert.match(text, /not one of them/, 'the popup tab itself is not a guarded site');
  });
});
