// While typing: every guarded category is highlighted, the typing preflight (`prepare`) never carries a
// planted value, and large inputs are highlighted too. Writes the highlight screenshot to docs/.
//
//   node --test tests/e2e/          (after ./build.sh; headless /usr/bin/chromium)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import { highlights, isPrepare, openChat, PLANTED, SCREENSHOTS, start } from './harness.mjs';

const T = { timeout: 60_000 };
let env;
let page;
let world;

before(async () => {
  env = await start();
  await env.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.site.url });
}, { timeout: 90_000 });
after(async () => env?.close());
afterEach(async () => page?.close());

async function chat() {
  env.site.clear();
  ({ page, world } = await openChat(env));
  await page.click('#prompt-textarea');
}

const findingCount = (n) => world.waitFor((k) => globalThis.__promptwarden.typing.findings.length === k, n);

test('typing a value of each guarded category highlights it with its action', T, async () => {
  await chat();
  const cases = [
    ['secret', PLANTED.secret, 'promptwarden-block'],
    ['financial', PLANTED.financial, 'promptwarden-mask'],
    ['pii', PLANTED.pii, 'promptwarden-warn'],
  ];
  for (const [i, [, value, name]] of cases.entries()) {
    await page.keyboard.type(`${i ? ' and' : 'Here is'} ${value}`, { delay: 3 });
    await findingCount(i + 1);
    assert.equal((await highlights(page))[name], 1, `${value} is painted as ${name}`);
  }
  const found = await world.evaluate(() => globalThis.__promptwarden.typing.findings.map((f) => [f.category, f.action]));
  assert.deepEqual(found, [['secret', 'block'], ['financial', 'mask'], ['pii', 'warn']]);
  // The editor's DOM is untouched: highlights are painted, not inserted.
  assert.equal(await page.locator('#prompt-textarea mark, #prompt-textarea [class*=promptwarden]').count(), 0);

  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  // The composer with the pill above it.
  const box = await page.locator('form[data-type="unified-composer"]').boundingBox();
  await page.screenshot({
    path: path.join(SCREENSHOTS, 'highlight.png'),
    clip: { x: box.x - 16, y: box.y - 52, width: box.width + 32, height: box.height + 68 },
  });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'highlight-page.png') });
});

test('prepare bodies never carry a planted value: they are masked while typing', T, async () => {
  await chat();
  await page.keyboard.type(`key ${PLANTED.secret} card ${PLANTED.financial} mail ${PLANTED.pii} `, { delay: 3 });
  await findingCount(3);
  await env.site.waitForRequest((r) => isPrepare(r) && r.body.includes('[EMAIL_ADDRESS_1]'), { timeout: 8_000 });
  const prepares = env.site.requests.filter(isPrepare);
  assert.ok(prepares.length >= 1);
  for (const r of prepares) {
    for (const value of Object.values(PLANTED)) assert.ok(!r.body.includes(value), `prepare #${r.seq} leaked ${value}`);
  }
  const last = prepares.at(-1).json.partial_query.content.parts[0];
  assert.equal(last, 'key [AWS_ACCESS_KEY_ID_1] card [CREDIT_CARD_1] mail [EMAIL_ADDRESS_1] ');
  // The composer still holds what the user typed.
  assert.match(await page.evaluate(() => window.__site.getText()), /AKIALFSXTTB3WE6OMXXU/);
});

test('a 50 KB paste with secrets is highlighted', T, async () => {
  await chat();
  const line = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.\n';
  const body = line.repeat(Math.ceil(50_000 / line.length));
  const text = `${body.slice(0, 20_000)}aws ${PLANTED.secret}\n${body.slice(20_000, 40_000)}card ${PLANTED.financial}\n${body.slice(40_000, 50_000)}`;
  // The site turns a clipboard paste over 8,000 characters into a file upload (as chatgpt.com does), so
  // the text goes in through the browser's insertText path, which is how the editor receives a paste.
  await page.keyboard.insertText(text);
  await findingCount(2);
  assert.ok((await page.evaluate(() => window.__site.getText())).length > 50_000);
  const hl = await highlights(page);
  assert.equal(hl['promptwarden-block'], 1);
  assert.equal(hl['promptwarden-mask'], 1);
});

test('a real clipboard paste is scanned at once', T, async () => {
  await chat();
  await page.evaluate((v) => navigator.clipboard.writeText(`pasted key ${v}`), PLANTED.secret);
  await page.keyboard.press('Control+V');
  await findingCount(1);
  assert.equal((await highlights(page))['promptwarden-block'], 1);
});

test('Unicode before a finding does not shift its highlight', T, async () => {
  await chat();
  await page.keyboard.insertText(`😀 中文 cafe\u0301 key ${PLANTED.secret} ok`);
  await findingCount(1);
  const painted = await page.evaluate(() => {
    const [range] = CSS.highlights.get('promptwarden-block');
    return range.toString();
  });
  assert.equal(painted, PLANTED.secret);
});
