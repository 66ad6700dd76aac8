// On send: Enter and the send button are caught; a blocked value stops the send and keeps the text;
// Mask rewrites the editor and the backend receives the masked prompt; warnings can be sent anyway;
// `mask` findings are masked on the way out; Enter while an IME composes does nothing. Writes the card
// screenshots to docs/ (Chromium).
import assert from 'node:assert/strict';
import { isPrepare, isSend, PLANTED } from './harness.mjs';
import { scenarios } from './lib/scenarios.mjs';

/** A fresh chat with `text` typed and its findings shown. */
async function chat(b, text) {
  const page = await b.openChat();
  await page.click('#prompt-textarea');
  if (text) await page.type(text, { delay: 2 });
  const n = Object.values(PLANTED).filter((v) => text?.includes(v)).length;
  await page.waitExt('hasFindings', n);
  return page;
}

const composerText = (page) => page.evaluate(() => window.__site.getText());
const sends = (b) => b.site.requests.filter(isSend);
const waitSend = (b) => b.site.waitForRequest(isSend, { timeout: 8_000 });
/** Nothing reaches the backend for a while (a send that was stopped stays stopped). */
const quiet = (ms = 700) => new Promise((r) => setTimeout(r, ms));

function assertNoLeak(b, values = Object.values(PLANTED)) {
  for (const r of b.site.requests.filter((x) => isSend(x) || isPrepare(x))) {
    for (const v of values) assert.ok(!r.body.includes(v), `${r.path} #${r.seq} carried ${v}`);
  }
}

scenarios('send guard', (scenario) => {
  scenario('Enter on a blocked finding is stopped, the text kept, and the card explains', async (b) => {
    const text = `deploy with ${PLANTED.secret} please`;
    const page = await chat(b, text);
    await page.press('Enter');
    await page.waitExt('cardSettled');
    const card = await page.ext('card');
    assert.equal(card.mode, 'send');
    assert.equal(card.title, 'This message can’t be sent yet');
    assert.deepEqual(card.items, ['AWS access key id']);
    assert.deepEqual(card.buttons, ['Edit', 'Mask all and send'], 'no "Send anyway" for a blocked value');
    assert.equal(card.focused, 'Mask all and send', 'keyboard focus moves into the card');
    await quiet();
    assert.equal(sends(b).length, 0);
    assert.equal(await composerText(page), text);
    assert.equal((await page.evaluate(() => window.__site.state())).sends, 0);

    await page.screenshot('card.png');
    // Escape means Edit: the card closes, the text stays, focus returns to the composer.
    await page.press('Escape');
    await page.waitExt('cardClosed');
    assert.equal(await composerText(page), text);
    assertNoLeak(b);
  });

  scenario('Mask on one finding rewrites the editor; the backend receives the masked prompt', async (b) => {
    const page = await chat(b, `key ${PLANTED.secret} and mail ${PLANTED.pii}`);
    await page.press('Enter');
    await page.waitExt('cardSettled');
    await page.ext('clickCard', { label: 'Mask', item: 'AWS access key id' });
    // Still a warning left: the card asks again, without the masked key.
    await page.waitExt('cardHasItems', 1);
    assert.equal(await composerText(page), `key [AWS_ACCESS_KEY_ID_1] and mail ${PLANTED.pii}`);
    await page.ext('clickCard', { label: 'Mask', item: 'Email address' });
    const sent = await waitSend(b);
    assert.equal(sent.json.messages[0].content.parts[0], 'key [AWS_ACCESS_KEY_ID_1] and mail [EMAIL_ADDRESS_1]');
    assert.equal(sends(b).length, 1, 'sent exactly once');
    assertNoLeak(b);
  });

  scenario('Mask all and send, from the keyboard', async (b) => {
    const page = await chat(b, `a ${PLANTED.secret} b ${PLANTED.financial} c ${PLANTED.pii}`);
    await page.press('Enter');
    await page.waitExt('cardSettled');
    await page.press('Enter'); // focus is on "Mask all and send"
    const sent = await waitSend(b);
    assert.equal(sent.json.messages[0].content.parts[0], 'a [AWS_ACCESS_KEY_ID_1] b [CREDIT_CARD_1] c [EMAIL_ADDRESS_1]');
    assertNoLeak(b);
  });

  scenario('a click on the send button is guarded the same way', async (b) => {
    const page = await chat(b, `key ${PLANTED.secret}`);
    await page.click('button[data-testid="send-button"]');
    await page.waitExt('cardSettled');
    await quiet();
    assert.equal(sends(b).length, 0);
    await page.ext('clickCard', { label: 'Mask all and send' });
    const sent = await waitSend(b);
    assert.equal(sent.json.messages[0].content.parts[0], 'key [AWS_ACCESS_KEY_ID_1]');
    assertNoLeak(b);
  });

  scenario('a `mask` finding alone is masked on send without asking', async (b) => {
    const page = await chat(b, `charge card ${PLANTED.financial} today`);
    await page.press('Enter');
    const sent = await waitSend(b);
    assert.equal(sent.json.messages[0].content.parts[0], 'charge card [CREDIT_CARD_1] today');
    assert.equal(await page.ext('cardOpen'), false);
    assertNoLeak(b);
  });

  scenario('a warning can be sent anyway, and only then does the value leave', async (b) => {
    const page = await chat(b, `write to ${PLANTED.pii} about card ${PLANTED.financial}`);
    await page.press('Enter');
    await page.waitExt('cardSettled');
    const card = await page.ext('card');
    assert.equal(card.title, 'Check before sending');
    assert.deepEqual(card.buttons, ['Edit', 'Send anyway', 'Mask all and send']);
    await page.screenshot('card-warning.png');
    await page.ext('clickCard', { label: 'Send anyway' });
    const sent = await waitSend(b);
    // The user approved the email; the card number's policy is `mask`, which no one can wave through.
    assert.equal(sent.json.messages[0].content.parts[0], `write to ${PLANTED.pii} about card [CREDIT_CARD_1]`);
    for (const r of b.site.requests.filter(isPrepare)) assert.ok(!r.body.includes(PLANTED.pii), 'preflights stay masked');
    assertNoLeak(b, [PLANTED.secret, PLANTED.financial]);
  });

  scenario('Enter with isComposing or keyCode 229 (an IME composing) does nothing', async (b) => {
    const page = await chat(b, `key ${PLANTED.secret} `);
    const before = await composerText(page);
    // As the browser reports it: isComposing, and keyCode 229.
    for (const init of [{ isComposing: true }, { keyCode: 229 }]) {
      await page.evaluate((i) => {
        document.querySelector('#prompt-textarea').dispatchEvent(
          new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true, ...i }),
        );
      }, init);
    }
    await quiet();
    assert.equal(await page.ext('cardOpen'), false, 'no card');
    assert.equal(sends(b).length, 0, 'nothing sent');
    assert.equal(await composerText(page), before);
  });

  scenario(
    'Enter during a real IME composition does nothing',
    { skip: { firefox: 'WebDriver (classic and BiDi) has no command that composes text through an input method in Firefox; the isComposing / keyCode 229 scenario covers the guard' } },
    async (b) => {
      const page = await chat(b, `key ${PLANTED.secret} `);
      const before = await composerText(page);
      await page.composeIme('に');
      await quiet();
      assert.equal(await page.ext('cardOpen'), false, 'no card');
      assert.equal(sends(b).length, 0, 'nothing sent');
      assert.equal(await composerText(page), `${before}に`);
    },
  );

  scenario('the card in dark mode', async (b) => {
    const page = await chat(b, `key ${PLANTED.secret} mail ${PLANTED.pii}`);
    await page.evaluate(() => {
      document.documentElement.classList.replace('light', 'dark');
      const style = document.createElement('style');
      style.textContent = 'body,.app,.main,.sidebar{background:#212121!important;color:#ececec!important}.composer{background:#303030!important;border-color:#444!important}.ProseMirror{color:#ececec}';
      document.head.append(style);
    });
    await page.press('Enter');
    await page.waitExt('cardSettled');
    await page.screenshot('card-dark.png');
    assert.equal((await page.ext('card')).dark, true);
  });
});
