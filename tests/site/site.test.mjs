// End-to-end checks of the fake ChatGPT page in real headless Chromium.
//
// These prove the fixture behaves like chatgpt.com where a guard depends on it:
// text leaves while typing (prepare) and on Enter (conversation), files leave
// on attach, long pastes become files, the send button comes and goes, and the
// page runs under a strict CSP with fetch captured at startup.
//
//   node --test tests/site/            (or: npm run test:site)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './browser.mjs';
import { startSite } from './server.mjs';

const OUT_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '.out');
const T = { timeout: 30_000 };

const SEL = {
  composer: 'form[data-type="unified-composer"] div#prompt-textarea.ProseMirror[contenteditable="true"]',
  send: 'button[data-testid="send-button"]',
  speech: '[data-testid="composer-speech-button"]',
  fileInput: 'input[type="file"]',
  chip: '[data-testid="attachment-chip"]',
  userMsg: '[data-message-author-role="user"]',
  doneAnswer: '[data-message-author-role="assistant"][data-state="finished_successfully"]',
};

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const isPrepare = (r) => r.method === 'POST' && r.path === '/backend-api/f/conversation/prepare';
const isConversation = (r) => r.method === 'POST' && r.path === '/backend-api/f/conversation';
const isPut = (r) => r.method === 'PUT' && r.host === 'files.oaiusercontent.com';

let site;
let browser;
let page;

async function openChat({ initScript } = {}) {
  const p = await browser.context.newPage();
  p.setDefaultTimeout(10_000);
  if (initScript) await p.addInitScript(initScript);
  const response = await p.goto(site.url);
  await p.waitForFunction(() => window.__site?.ready === true);
  p.mainResponse = response;
  return p;
}

/** Waits for a recorded request; shorter than the test timeout so failures name what was seen. */
const waitReq = (pred) => site.waitForRequest(pred, { timeout: 8_000 });

/** Waits until the page has finished rendering the answer to the n-th message. */
async function waitAnswers(p, n) {
  await p.waitForFunction((k) => document.querySelectorAll(
    '[data-message-author-role="assistant"][data-state="finished_successfully"]').length === k, n);
}

/** Deterministic binary content covering all byte values. */
function binary(size) {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + 7) & 0xff;
  return b;
}

before(async () => {
  site = await startSite();
  browser = await launchChromium(site);
  // Real Ctrl+V needs a clipboard the page may write.
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
}, { timeout: 90_000 });

after(async () => {
  await browser?.close();
  await site?.close();
});

beforeEach(async () => {
  site.clear();
  page = await openChat();
});

afterEach(async () => {
  await page?.close();
  page = null;
});

describe('page shell', () => {
  test('strict CSP, ProseMirror composer, hidden fallback textarea, placeholder', T, async () => {
    const csp = page.mainResponse.headers()['content-security-policy'];
    const directives = Object.fromEntries(csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values.join(' ')];
    }));
    assert.equal(directives['script-src'], "'self'");
    assert.equal(directives['default-src'], "'self'");
    assert.equal(directives['connect-src'], "'self' https://files.oaiusercontent.com");

    assert.equal(await page.locator(SEL.composer).count(), 1);
    assert.equal(await page.locator('textarea[name="prompt-textarea"]').evaluate((t) => getComputedStyle(t).display), 'none');
    assert.equal(await page.locator('#prompt-textarea > p.placeholder').getAttribute('data-placeholder'), 'Ask anything');
    // Only same-origin external scripts.
    const scripts = await page.$$eval('script', (s) => s.map((e) => ({ src: e.getAttribute('src'), inline: e.textContent })));
    assert.deepEqual(scripts, [{ src: '/app.js', inline: '' }]);
  });

  test('the CSP is enforced: no inline script, no WebAssembly compile', T, async () => {
    const inlineRan = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.append(s);
      return window.__inlineRan === true;
    });
    assert.equal(inlineRan, false);
    const wasm = await page.evaluate(async () => {
      try {
        await WebAssembly.compile(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
        return 'compiled';
      } catch (e) {
        return e.name;
      }
    });
    assert.equal(wasm, 'CompileError');
  });

  test('fetch is captured at startup: a late wrapper sees nothing, an init script sees all', T, async () => {
    await page.evaluate(() => {
      window.__late = [];
      const orig = window.fetch;
      window.fetch = (...a) => { window.__late.push(String(a[0])); return orig(...a); };
    });
    await page.click(SEL.composer);
    await page.keyboard.type('late');
    await waitReq((r) => isPrepare(r) && r.json?.partial_query?.content?.parts?.[0] === 'late');
    assert.deepEqual(await page.evaluate(() => window.__late), []);

    const early = await openChat({
      initScript: () => {
        window.__early = [];
        const orig = window.fetch;
        window.fetch = (...a) => { window.__early.push(String(a[0]?.url ?? a[0])); return orig(...a); };
      },
    });
    try {
      await early.click(SEL.composer);
      await early.keyboard.type('early');
      await waitReq((r) => isPrepare(r) && r.json?.partial_query?.content?.parts?.[0] === 'early');
      assert.ok((await early.evaluate(() => window.__early)).includes('/backend-api/f/conversation/prepare'));
    } finally {
      await early.close();
    }
  });
});

describe('typing and sending', () => {
  test('typing sends prepare with the draft; Enter sends the model text and renders the answer', T, async () => {
    await page.click(SEL.composer);
    await page.keyboard.type('hello world');
    await page.locator(SEL.send).waitFor();
    assert.equal(await page.locator(SEL.speech).count(), 0);

    const prep = await waitReq((r) => isPrepare(r) && r.json?.partial_query?.content?.parts?.[0] === 'hello world');
    const pq = prep.json.partial_query;
    assert.equal(pq.author.role, 'user');
    assert.equal(pq.content.content_type, 'text');
    assert.equal(site.requests.filter(isConversation).length, 0, 'nothing is sent before Enter');

    await page.keyboard.press('Enter');
    const conv = await waitReq(isConversation);
    const body = conv.json;
    assert.equal(body.action, 'next');
    assert.equal(body.messages.length, 1);
    assert.deepEqual(body.messages[0].author, { role: 'user' });
    assert.deepEqual(body.messages[0].content, { content_type: 'text', parts: ['hello world'] });
    assert.deepEqual(body.messages[0].metadata, {});
    assert.equal(body.messages[0].id, pq.id, 'prepare and send share the draft message id');
    assert.equal(body.parent_message_id, 'client-created-root');
    assert.equal(typeof body.model, 'string');

    await waitAnswers(page, 1);
    assert.equal(await page.textContent(`${SEL.doneAnswer} .markdown`), 'You said 11 characters.');
    assert.equal(await page.textContent(SEL.userMsg), 'hello world');
    assert.equal(await page.evaluate(() => window.__site.getText()), '', 'composer cleared after send');
    await page.locator(SEL.speech).waitFor();
    assert.match(new URL(page.url()).pathname, /^\/c\/[0-9a-f-]{36}$/);

    // A follow-up continues the conversation.
    const firstAnswerId = await page.getAttribute(SEL.doneAnswer, 'data-message-id');
    await page.keyboard.type('again');
    await page.keyboard.press('Enter');
    const conv2 = await waitReq((r) => isConversation(r) && r !== conv);
    assert.equal(conv2.json.conversation_id, new URL(page.url()).pathname.slice(3));
    assert.equal(conv2.json.parent_message_id, firstAnswerId);
    assert.deepEqual(conv2.json.messages[0].content.parts, ['again']);
    await waitAnswers(page, 2);
  });

  test('Shift+Enter makes a second paragraph; the sent text joins them with "\\n"', T, async () => {
    await page.click(SEL.composer);
    await page.keyboard.type('first line');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('second line');
    assert.equal(await page.locator('#prompt-textarea > p').count(), 2);
    assert.equal(await page.evaluate(() => window.__site.getText()), 'first line\nsecond line');
    assert.equal(site.requests.filter(isConversation).length, 0);

    await page.keyboard.press('Enter');
    const conv = await waitReq(isConversation);
    assert.deepEqual(conv.json.messages[0].content.parts, ['first line\nsecond line']);
    await waitAnswers(page, 1);
  });

  test('setText() replaces the model in one transaction; typing continues from it', T, async () => {
    await page.evaluate(() => window.__site.setText('line one\nline two'));
    assert.equal(await page.locator('#prompt-textarea > p').count(), 2);
    await page.click('#prompt-textarea > p:last-child');
    await page.keyboard.press('End');
    await page.keyboard.type('!');
    assert.equal(await page.evaluate(() => window.__site.getText()), 'line one\nline two!');
    await page.keyboard.press('Enter');
    const conv = await waitReq(isConversation);
    assert.deepEqual(conv.json.messages[0].content.parts, ['line one\nline two!']);
    await waitAnswers(page, 1);
  });

  test('Enter that confirms an IME candidate (isComposing / keyCode 229) does not send', T, async () => {
    await page.click(SEL.composer);
    await page.keyboard.insertText('こんにちは');
    for (const init of [{ isComposing: true, keyCode: 13 }, { isComposing: false, keyCode: 229 }]) {
      const prevented = await page.evaluate((i) => {
        const e = new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true, ...i });
        Object.defineProperty(e, 'keyCode', { value: i.keyCode }); // the init dict ignores keyCode
        document.querySelector('#prompt-textarea').dispatchEvent(e);
        return e.defaultPrevented;
      }, init);
      assert.equal(prevented, true, 'ProseMirror must not split the paragraph either');
    }
    assert.equal(await page.evaluate(() => window.__site.getText()), 'こんにちは');
    assert.equal(await page.evaluate(() => window.__site.state().sends), 0);

    await page.keyboard.press('Enter');
    const conv = await waitReq(isConversation);
    assert.deepEqual(conv.json.messages[0].content.parts, ['こんにちは']);
    await waitAnswers(page, 1);
  });

  test('empty composer: voice button shows, send button does not, Enter sends nothing', T, async () => {
    await page.locator(SEL.speech).waitFor();
    assert.equal(await page.locator(SEL.send).count(), 0);

    await page.click(SEL.composer);
    await page.keyboard.type('x');
    await page.locator(SEL.send).waitFor();
    assert.equal(await page.locator(SEL.speech).count(), 0);
    assert.equal(await page.getAttribute(SEL.send, 'aria-label'), 'Send prompt');
    assert.equal(await page.getAttribute(SEL.send, 'id'), 'composer-submit-button');

    await page.keyboard.press('Backspace');
    await page.locator(SEL.speech).waitFor();
    assert.equal(await page.locator(SEL.send).count(), 0);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => window.__site.state().sends), 0);
    assert.equal(await page.locator('#prompt-textarea > p').count(), 1, 'Enter on empty adds no paragraph');
  });

  test('renameSendButton(): no known selector finds it, yet click and Enter still send', T, async () => {
    const known = [SEL.send, '#composer-submit-button', 'button[aria-label*="Send"]', 'form button[type=submit]'];
    await page.click(SEL.composer);
    await page.keyboard.type('renamed');
    for (const s of known) assert.equal(await page.locator(s).count(), 1, `before: ${s}`);

    await page.evaluate(() => window.__site.renameSendButton());
    for (const s of known) assert.equal(await page.locator(s).count(), 0, `after: ${s}`);

    await page.click('[data-testid="composer-primary-action"]');
    assert.deepEqual((await waitReq(isConversation)).json.messages[0].content.parts, ['renamed']);
    await waitAnswers(page, 1);
    await page.click(SEL.composer); // the click moved focus to the button
    await page.keyboard.type('by enter');
    await page.keyboard.press('Enter');
    await waitReq((r) => isConversation(r) && r.json.messages[0].content.parts[0] === 'by enter');
    await waitAnswers(page, 2);
  });

  test('setLegacyEndpoint(): sends to /backend-api/conversation', T, async () => {
    await page.evaluate(() => window.__site.setLegacyEndpoint(true));
    await page.click(SEL.composer);
    await page.keyboard.type('old path');
    await page.keyboard.press('Enter');
    const conv = await waitReq((r) => r.method === 'POST' && r.path === '/backend-api/conversation');
    assert.deepEqual(conv.json.messages[0].content.parts, ['old path']);
    await waitAnswers(page, 1);
  });
});

describe('files', () => {
  /** Asserts the three-step upload of a file named `name` happened with exactly `bytes`; returns the file id. */
  async function assertUploaded(name, bytes) {
    const create = await waitReq((r) => r.method === 'POST' && r.path === '/backend-api/files' && r.json?.file_name === name);
    assert.equal(create.json.file_size, bytes.length);
    const put = await waitReq((r) => isPut(r) && r.seq > create.seq && r.sha256 === sha256(bytes) && r.status === 201);
    const { fileId } = put;
    assert.ok(fileId, 'PUT with the exact bytes recorded');
    await waitReq((r) => r.method === 'POST' && r.path === `/backend-api/files/${fileId}/uploaded`);
    const proc = await waitReq((r) => r.path === '/backend-api/files/process_upload_stream' && r.json?.file_id === fileId);
    assert.equal(proc.json.file_name, name);
    await page.locator(`${SEL.chip}[data-state="ready"][data-file-id="${fileId}"]`).waitFor();
    assert.equal(await page.textContent(`${SEL.chip}[data-file-id="${fileId}"] .chip-name`), name);
    return fileId;
  }

  test('file input: uploaded on attach (before Send), PUT has the exact bytes; send references it', T, async () => {
    const bytes = binary(64 * 1024);
    await page.setInputFiles(SEL.fileInput, { name: 'report.bin', mimeType: 'application/octet-stream', buffer: bytes });
    const fileId = await assertUploaded('report.bin', bytes);

    const put = site.requests.find((r) => isPut(r) && r.fileId === fileId);
    assert.ok(put.bytes.equals(bytes));
    assert.equal(put.headers['x-ms-blob-type'], 'BlockBlob');
    assert.equal(put.headers.origin, 'https://chatgpt.com');
    const preflight = site.requests.find((r) => r.method === 'OPTIONS' && r.host === 'files.oaiusercontent.com');
    assert.ok(preflight, 'cross-origin PUT was preflighted');
    assert.equal(site.requests.filter(isConversation).length, 0, 'attach alone sends no message');

    await page.click(SEL.composer);
    await page.keyboard.type('see attached');
    await page.keyboard.press('Enter');
    const conv = await waitReq(isConversation);
    assert.deepEqual(conv.json.messages[0].metadata.attachments.map((a) => [a.id, a.name, a.size]),
      [[fileId, 'report.bin', bytes.length]]);
    await waitAnswers(page, 1);
    assert.equal(await page.locator(SEL.chip).count(), 0, 'chips cleared after send');
  });

  test('real Ctrl+V: short text is inserted, over 8,000 characters becomes pasted.txt', T, async () => {
    const long = `BEGIN-${'0123456789'.repeat(900)}-END`.slice(0, 9000);
    assert.equal(long.length, 9000);
    await page.click(SEL.composer);

    await page.evaluate((t) => navigator.clipboard.writeText(t), 'short paste');
    await page.keyboard.press('ControlOrMeta+V');
    await page.waitForFunction(() => window.__site.getText() === 'short paste');
    await page.evaluate(() => window.__site.setText(''));

    await page.evaluate((t) => navigator.clipboard.writeText(t), long);
    await page.keyboard.press('ControlOrMeta+V');
    const fileId = await assertUploaded('pasted.txt', Buffer.from(long));
    assert.equal(site.requests.find((r) => isPut(r) && r.fileId === fileId).body, long);
    assert.equal(await page.evaluate(() => window.__site.getText()), '', 'long paste was not inserted');
    assert.equal(await page.locator('#prompt-textarea').textContent(), '');
    assert.equal(site.requests.filter((r) => r.path === '/backend-api/files').length, 1, 'short paste uploaded nothing');
  });

  test('a file dropped on the composer or pasted as a file is uploaded', T, async () => {
    const box = await page.locator(SEL.composer).boundingBox();
    await page.evaluate(({ x, y }) => {
      const dt = new DataTransfer();
      dt.items.add(new File(['dropped bytes\n'], 'dropped.txt', { type: 'text/plain' }));
      const target = document.querySelector('#prompt-textarea');
      for (const type of ['dragenter', 'dragover', 'drop']) {
        target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, dataTransfer: dt }));
      }
    }, { x: box.x + box.width / 2, y: box.y + box.height / 2 });
    await assertUploaded('dropped.txt', Buffer.from('dropped bytes\n'));

    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['clipboard file'], 'clip.txt', { type: 'text/plain' }));
      document.querySelector('#prompt-textarea').dispatchEvent(
        new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: dt }));
    });
    await assertUploaded('clip.txt', Buffer.from('clipboard file'));
    assert.equal(await page.evaluate(() => window.__site.getText()), '', 'file names were not inserted as text');
    assert.equal(await page.locator(SEL.chip).count(), 2);
  });
});

describe('looks', () => {
  test('light theme, centred rounded composer; screenshots in tests/site/.out/', T, async () => {
    fs.mkdirSync(OUT_DIR, { recursive: true });
    await page.screenshot({ path: path.join(OUT_DIR, 'empty.png') });

    const look = await page.evaluate(() => {
      const form = document.querySelector('form[data-type="unified-composer"]').getBoundingClientRect();
      const main = document.querySelector('#main').getBoundingClientRect();
      const cs = getComputedStyle(document.querySelector('form[data-type="unified-composer"]'));
      return {
        offCentre: Math.abs((form.left + form.right) / 2 - (main.left + main.right) / 2),
        radius: parseFloat(cs.borderTopLeftRadius),
        bg: getComputedStyle(document.body).backgroundColor,
        rootBg: getComputedStyle(document.documentElement).backgroundColor,
        width: form.width,
      };
    });
    assert.ok(look.offCentre < 2, `composer centred (off by ${look.offCentre}px)`);
    assert.ok(look.radius >= 16, 'rounded composer');
    assert.ok(look.width > 500 && look.width <= 768, `composer width ${look.width}`);
    assert.equal(look.rootBg, 'rgb(255, 255, 255)');

    await page.setInputFiles(SEL.fileInput, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('notes') });
    await page.locator(`${SEL.chip}[data-state="ready"]`).waitFor();
    await page.click(SEL.composer);
    await page.keyboard.type('Summarise the attached notes, please.');
    await page.keyboard.press('Enter');
    await waitAnswers(page, 1);
    await page.setInputFiles(SEL.fileInput, { name: 'draft-contract.pdf', mimeType: 'application/pdf', buffer: binary(2048) });
    await page.locator(`${SEL.chip}[data-state="ready"]`).waitFor();
    await page.click(SEL.composer);
    await page.keyboard.type('And now a second question');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('on two lines');
    await page.screenshot({ path: path.join(OUT_DIR, 'chat.png') });
    assert.ok(fs.statSync(path.join(OUT_DIR, 'chat.png')).size > 10_000);
  });
});
