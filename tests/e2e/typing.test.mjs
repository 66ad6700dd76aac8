// While typing: every guarded category is highlighted, the typing preflight (`prepare`) never carries a
// planted value, and large inputs are highlighted too. Writes the highlight screenshot to docs/.
//
//   node --test --test-concurrency=1 tests/e2e/     (after ./build.sh; Chromium and Firefox ESR)
import assert from 'node:assert/strict';
import { highlights, isPrepare, PLANTED } from './harness.mjs';
import { scenarios } from './lib/scenarios.mjs';

async function chat(b) {
  const page = await b.openChat();
  await page.click('#prompt-textarea');
  return page;
}

scenarios('typing', (scenario) => {
  scenario('typing a value of each guarded category highlights it with its action', async (b) => {
    const page = await chat(b);
    const cases = [
      ['secret', PLANTED.secret, 'promptwarden-block'],
      ['financial', PLANTED.financial, 'promptwarden-mask'],
      ['pii', PLANTED.pii, 'promptwarden-warn'],
    ];
    for (const [i, [, value, name]] of cases.entries()) {
      await page.type(`${i ? ' and' : 'Here is'} ${value}`, { delay: 3 });
      await page.waitExt('hasFindings', i + 1);
      assert.equal((await highlights(page))[name], 1, `${value} is painted as ${name}`);
    }
    const found = (await page.ext('findings')).map((f) => [f.category, f.action]);
    assert.deepEqual(found, [['secret', 'block'], ['financial', 'mask'], ['pii', 'warn']]);
    // The editor's DOM is untouched: highlights are painted, not inserted.
    assert.equal(await page.count('#prompt-textarea mark, #prompt-textarea [class*=promptwarden]'), 0);

    // The composer with the pill above it, and the whole page.
    await page.screenshot('highlight.png', { around: 'form[data-type="unified-composer"]', margin: [52, 16, 16, 16] });
    await page.screenshot('highlight-page.png');
  });

  scenario('prepare bodies never carry a planted value: they are masked while typing', async (b) => {
    const page = await chat(b);
    await page.type(`key ${PLANTED.secret} card ${PLANTED.financial} mail ${PLANTED.pii} `, { delay: 3 });
    await page.waitExt('hasFindings', 3);
    await b.site.waitForRequest((r) => isPrepare(r) && r.body.includes('[EMAIL_ADDRESS_1]'), { timeout: 8_000 });
    const prepares = b.site.requests.filter(isPrepare);
    assert.ok(prepares.length >= 1);
    for (const r of prepares) {
      for (const value of Object.values(PLANTED)) assert.ok(!r.body.includes(value), `prepare #${r.seq} leaked ${value}`);
    }
    const last = prepares.at(-1).json.partial_query.content.parts[0];
    assert.equal(last, 'key [AWS_ACCESS_KEY_ID_1] card [CREDIT_CARD_1] mail [EMAIL_ADDRESS_1] ');
    // The composer still holds what the user typed.
    assert.match(await page.evaluate(() => window.__site.getText()), /AKIALFSXTTB3WE6OMXXU/);
  });

  scenario('a 50 KB paste with secrets is highlighted', async (b) => {
    const page = await chat(b);
    const line = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt.\n';
    const body = line.repeat(Math.ceil(50_000 / line.length));
    const text = `${body.slice(0, 20_000)}aws ${PLANTED.secret}\n${body.slice(20_000, 40_000)}card ${PLANTED.financial}\n${body.slice(40_000, 50_000)}`;
    // The site turns a clipboard paste over 8,000 characters into a file upload (as chatgpt.com does), so
    // the text goes in through the browser's insertText path, which is how the editor receives a paste.
    await page.insertText(text);
    await page.waitExt('hasFindings', 2);
    assert.ok((await page.evaluate(() => window.__site.getText())).length > 50_000);
    const hl = await highlights(page);
    assert.equal(hl['promptwarden-block'], 1);
    assert.equal(hl['promptwarden-mask'], 1);
  });

  scenario('a real clipboard paste is scanned at once', async (b) => {
    const page = await chat(b);
    await page.paste(`pasted key ${PLANTED.secret}`);
    await page.waitExt('hasFindings', 1);
    assert.equal((await highlights(page))['promptwarden-block'], 1);
    assert.equal(await page.evaluate(() => window.__site.getText()), `pasted key ${PLANTED.secret}`);
  });

  scenario('Unicode before a finding does not shift its highlight', async (b) => {
    const page = await chat(b);
    await page.insertText(`😀 中文 cafe\u0301 key ${PLANTED.secret} ok`);
    await page.waitExt('hasFindings', 1);
    const painted = await page.evaluate(() => {
      const [range] = CSS.highlights.get('promptwarden-block');
      return range.toString();
    });
    assert.equal(painted, PLANTED.secret);
  });
});
