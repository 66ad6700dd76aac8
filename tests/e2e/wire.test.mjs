// On the wire: the page-world guard hands request bodies to the extension before they leave. A request
// made behind the UI's back (a direct fetch or XHR, the legacy endpoint, a renamed send control) is
// masked or refused there, and a refused message is put back in the composer. In Firefox a second
// layer, the network veto (extension/src/background/network-veto.ts), refuses what the page-world
// guard never saw.
import assert from 'node:assert/strict';
import { isPrepare, isSend, PLANTED } from './harness.mjs';
import { scenarios } from './lib/scenarios.mjs';

async function chat(b) {
  const page = await b.openChat();
  await page.waitExt('wireConnected');
  return page;
}

const body = (text) => ({
  action: 'next',
  messages: [{ id: 'x', author: { role: 'user' }, content: { content_type: 'text', parts: [text] } }],
  parent_message_id: 'client-created-root',
  model: 'auto',
});

/** The tab id of the (only) chat tab, as the background knows it. */
const chatTabId = (b) =>
  b.worker(async () => {
    const tabs = await chrome.tabs.query({ url: 'https://chatgpt.com/*' });
    return Math.max(...tabs.map((t) => t.id));
  });

scenarios('wire guard', (scenario) => {
  scenario('a direct fetch from the page is masked or refused before it leaves', async (b) => {
    const page = await chat(b);
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
    const recorded = b.site.requests.filter(isSend);
    assert.equal(recorded.length, 1, 'the refused request never reached the server');
    assert.equal(recorded[0].json.messages[0].content.parts[0], 'pay with [CREDIT_CARD_1]');
  });

  scenario('XMLHttpRequest is guarded too', async (b) => {
    const page = await chat(b);
    const status = await page.evaluate(
      (body) =>
        new Promise((resolve) => {
          const xhr = new XMLHttpRequest();
          xhr.open('POST', '/backend-api/f/conversation/prepare');
          xhr.setRequestHeader('content-type', 'application/json');
          xhr.onload = () => resolve(xhr.status);
          xhr.onerror = () => resolve('error');
          xhr.send(JSON.stringify(body));
        }),
      { action: 'next', partial_query: { id: 'p', author: { role: 'user' }, content: { content_type: 'text', parts: [`key ${PLANTED.secret}`] } } },
    );
    assert.equal(status, 200);
    const prepare = await b.site.waitForRequest(isPrepare);
    assert.equal(prepare.json.partial_query.content.parts[0], 'key [AWS_ACCESS_KEY_ID_1]', 'a preflight masks even blocked values');
  });

  scenario('the legacy conversation endpoint is guarded', async (b) => {
    const page = await chat(b);
    await page.evaluate(() => window.__site.setLegacyEndpoint(true));
    await page.click('#prompt-textarea');
    await page.type(`card ${PLANTED.financial}`);
    await page.waitExt('hasFindings', 1);
    await page.press('Enter');
    const sent = await b.site.waitForRequest((r) => r.path === '/backend-api/conversation');
    assert.equal(sent.json.messages[0].content.parts[0], 'card [CREDIT_CARD_1]');
  });

  scenario('with the send control renamed: reported unhealthy, and the message is not lost', async (b) => {
    const page = await chat(b);
    await page.click('#prompt-textarea');
    await page.type(`deploy key ${PLANTED.secret}`);
    await page.press('Shift+Enter');
    await page.type('thanks');
    const text = `deploy key ${PLANTED.secret}\nthanks`; // two paragraphs: restored as two
    await page.waitExt('hasFindings', 1);
    await page.evaluate(() => window.__site.renameSendButton());

    // The health check notices, and the background shows it (badge and popup status).
    await page.waitExt('sendControlMissing');
    const tabId = await chatTabId(b);
    let health = null;
    for (let i = 0; i < 80 && !health; i++) {
      const h = await b.worker((pw, id) => pw.tab(id)?.health ?? null, tabId);
      if (h && !h.sendControl) health = h;
      else await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(health, 'the background knows the tab is unhealthy');
    assert.match(health.problems.join(' '), /send control not found/);

    // Enter is still guarded.
    await page.press('Enter');
    await page.waitExt('cardOpen');
    assert.equal((await page.ext('card')).mode, 'send');
    await page.press('Escape');

    // A click on the unrecognised control slips past the send guard; the site clears its composer and
    // sends. The wire guard refuses the request and puts the text back.
    await page.click('[data-testid="composer-primary-action"]');
    await page.waitExt('cardModeIs', 'notice');
    assert.match((await page.ext('card')).notice, /Your text is back in the message box/);
    await page.waitFor((t) => window.__site.getText() === t, text);
    assert.equal(b.site.requests.filter(isSend).length, 0);
  });

  scenario(
    'the network veto refuses a request the page-world guard never saw (a fetch from a fresh frame)',
    { skip: { chromium: 'Chromium MV3 offers blocking webRequest only to policy-installed extensions; there the page-world guard is the only wire layer' } },
    async (b) => {
      const page = await chat(b);
      // A same-origin about:blank frame has its own, unwrapped fetch: the page-world guard (main frame,
      // document_start) never sees this request. The browser-level veto does.
      const results = await page.evaluate(async (bodies) => {
        const frame = document.createElement('iframe');
        document.body.append(frame);
        const out = [];
        for (const [path, b] of bodies) {
          try {
            const r = await frame.contentWindow.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(b) });
            await r.text();
            out.push(r.status);
          } catch (e) {
            out.push(e.name);
          }
        }
        frame.remove();
        return out;
      }, [
        ['/backend-api/f/conversation', body(`my key ${PLANTED.secret}`)],
        ['/backend-api/f/conversation', body(`pay with ${PLANTED.financial}`)],
        ['/backend-api/f/conversation/prepare', { partial_query: { content: { parts: [`mail ${PLANTED.pii}`] } } }],
        ['/backend-api/f/conversation', body('nothing sensitive here, just [CREDIT_CARD_1]')],
        ['/backend-api/f/conversation', body(`a warning the user may approve: ${PLANTED.pii}`)],
      ]);
      assert.deepEqual(results, ['TypeError', 'TypeError', 'TypeError', 200, 200]);
      const recorded = b.site.requests.filter((r) => isSend(r) || isPrepare(r));
      assert.deepEqual(
        recorded.map((r) => r.json.messages?.[0].content.parts[0]),
        ['nothing sensitive here, just [CREDIT_CARD_1]', `a warning the user may approve: ${PLANTED.pii}`],
        'only the clean request and the warning (which the user may approve on send) went out',
      );
      for (const r of recorded) for (const v of [PLANTED.secret, PLANTED.financial]) assert.ok(!r.body.includes(v));
      const veto = await b.worker((pw) => pw.vetoStats());
      assert.ok(veto.refused >= 3, JSON.stringify(veto));
    },
  );
});
