// On send: Enter and the send button are caught; a blocked value stops the send and keeps the text;
// Mask rewrites the editor and the backend receives the masked prompt; warnings can be sent anyway;
// `mask` findings are masked on the way out; Enter while an IME composes does nothing. Writes the card
// screenshots to docs/.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { cardState, clickCard, isPrepare, isSend, openChat, PLANTED, SCREENSHOTS, start } from './harness.mjs';

const T = { timeout: 60_000 };
let env;
let page;
let world;

before(async () => {
  env = await start();
}, { timeout: 90_000 });
after(async () => env?.close());
afterEach(async () => page?.close());

async function chat(text) {
  env.site.clear();
  ({ page, world } = await openChat(env));
  await page.click('#prompt-textarea');
  if (text) await page.keyboard.type(text, { delay: 2 });
  const n = Object.values(PLANTED).filter((v) => text?.includes(v)).length;
  await world.waitFor((k) => globalThis.__promptwarden.typing.findings.length === k, n);
}

const composerText = () => page.evaluate(() => window.__site.getText());
const sends = () => env.site.requests.filter(isSend);
/** The card is open and done animating in. */
const waitCard = () => world.waitFor(() => globalThis.__promptwarden.card.node?.getAnimations().length === 0);
const waitSend = () => env.site.waitForRequest(isSend, { timeout: 8_000 });
/** Nothing reaches the backend for a while (a send that was stopped stays stopped). */
const quiet = (ms = 700) => new Promise((r) => setTimeout(r, ms));

function assertNoLeak(values = Object.values(PLANTED)) {
  for (const r of env.site.requests.filter((x) => isSend(x) || isPrepare(x))) {
    for (const v of values) assert.ok(!r.body.includes(v), `${r.path} #${r.seq} carried ${v}`);
  }
}

test('Enter on a blocked finding is stopped, the text kept, and the card explains', T, async () => {
  const text = `deploy with ${PLANTED.secret} please`;
  await chat(text);
  await page.keyboard.press('Enter');
  await waitCard();
  const card = await cardState(world);
  assert.equal(card.mode, 'send');
  assert.equal(card.title, 'This message can’t be sent yet');
  assert.deepEqual(card.items, ['AWS access key id']);
  assert.deepEqual(card.buttons, ['Edit', 'Mask all and send'], 'no "Send anyway" for a blocked value');
  assert.equal(card.focused, 'Mask all and send', 'keyboard focus moves into the card');
  await quiet();
  assert.equal(sends().length, 0);
  assert.equal(await composerText(), text);
  assert.equal((await page.evaluate(() => window.__site.state())).sends, 0);

  await page.screenshot({ path: path.join(SCREENSHOTS, 'card.png'), animations: 'disabled' });
  // Escape means Edit: the card closes, the text stays, focus returns to the composer.
  await page.keyboard.press('Escape');
  await world.waitFor(() => !globalThis.__promptwarden.card.open);
  assert.equal(await composerText(), text);
  assertNoLeak();
});

test('Mask on one finding rewrites the editor; the backend receives the masked prompt', T, async () => {
  await chat(`key ${PLANTED.secret} and mail ${PLANTED.pii}`);
  await page.keyboard.press('Enter');
  await waitCard();
  await clickCard(world, 'Mask', 'AWS access key id');
  // Still a warning left: the card asks again, without the masked key.
  await world.waitFor(() => globalThis.__promptwarden.card.node?.querySelectorAll('li').length === 1);
  assert.equal(await composerText(), `key [AWS_ACCESS_KEY_ID_1] and mail ${PLANTED.pii}`);
  await clickCard(world, 'Mask', 'Email address');
  const sent = await waitSend();
  assert.equal(sent.json.messages[0].content.parts[0], 'key [AWS_ACCESS_KEY_ID_1] and mail [EMAIL_ADDRESS_1]');
  assert.equal(sends().length, 1, 'sent exactly once');
  assertNoLeak();
});

test('Mask all and send, from the keyboard', T, async () => {
  await chat(`a ${PLANTED.secret} b ${PLANTED.financial} c ${PLANTED.pii}`);
  await page.keyboard.press('Enter');
  await waitCard();
  await page.keyboard.press('Enter'); // focus is on "Mask all and send"
  const sent = await waitSend();
  assert.equal(sent.json.messages[0].content.parts[0], 'a [AWS_ACCESS_KEY_ID_1] b [CREDIT_CARD_1] c [EMAIL_ADDRESS_1]');
  assertNoLeak();
});

test('a click on the send button is guarded the same way', T, async () => {
  await chat(`key ${PLANTED.secret}`);
  await page.click('button[data-testid="send-button"]');
  await waitCard();
  await quiet();
  assert.equal(sends().length, 0);
  await clickCard(world, 'Mask all and send');
  const sent = await waitSend();
  assert.equal(sent.json.messages[0].content.parts[0], 'key [AWS_ACCESS_KEY_ID_1]');
});

test('a `mask` finding alone is masked on send without asking', T, async () => {
  await chat(`charge card ${PLANTED.financial} today`);
  await page.keyboard.press('Enter');
  const sent = await waitSend();
  assert.equal(sent.json.messages[0].content.parts[0], 'charge card [CREDIT_CARD_1] today');
  assert.equal(await world.evaluate(() => globalThis.__promptwarden.card.open), false);
  assertNoLeak();
});

test('a warning can be sent anyway, and only then does the value leave', T, async () => {
  await chat(`write to ${PLANTED.pii} about card ${PLANTED.financial}`);
  await page.keyboard.press('Enter');
  await waitCard();
  const card = await cardState(world);
  assert.equal(card.title, 'Check before sending');
  assert.deepEqual(card.buttons, ['Edit', 'Send anyway', 'Mask all and send']);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'card-warning.png'), animations: 'disabled' });
  await clickCard(world, 'Send anyway');
  const sent = await waitSend();
  // The user approved the email; the card number's policy is `mask`, which no one can wave through.
  assert.equal(sent.json.messages[0].content.parts[0], `write to ${PLANTED.pii} about card [CREDIT_CARD_1]`);
  for (const r of env.site.requests.filter(isPrepare)) assert.ok(!r.body.includes(PLANTED.pii), 'preflights stay masked');
});

test('Enter during IME composition does nothing', T, async () => {
  await chat(`key ${PLANTED.secret} `);
  const before = await composerText();
  // As the browser reports it: isComposing, and keyCode 229.
  for (const init of [{ isComposing: true }, { keyCode: 229 }]) {
    await page.evaluate((i) => {
      document.querySelector('#prompt-textarea').dispatchEvent(
        new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true, ...i }),
      );
    }, init);
  }
  // And a real composition through the DevTools protocol, confirmed with Enter.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'に', selectionStart: 1, selectionEnd: 1 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
  await cdp.send('Input.insertText', { text: 'に' });
  await quiet();
  assert.equal(await world.evaluate(() => globalThis.__promptwarden.card.open), false, 'no card');
  assert.equal(sends().length, 0, 'nothing sent');
  assert.equal(await composerText(), `${before}に`);
});

test('the card in dark mode', T, async () => {
  await chat(`key ${PLANTED.secret} mail ${PLANTED.pii}`);
  await page.evaluate(() => {
    document.documentElement.classList.replace('light', 'dark');
    const style = document.createElement('style');
    style.textContent = 'body,.app,.main,.sidebar{background:#212121!important;color:#ececec!important}.composer{background:#303030!important;border-color:#444!important}.ProseMirror{color:#ececec}';
    document.head.append(style);
  });
  await page.keyboard.press('Enter');
  await waitCard();
  await page.screenshot({ path: path.join(SCREENSHOTS, 'card-dark.png'), animations: 'disabled' });
  assert.equal(await world.evaluate(() => globalThis.__promptwarden.card.node.closest('.root').classList.contains('dark')), true);
});
