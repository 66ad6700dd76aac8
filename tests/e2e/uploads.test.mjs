// Uploads: ChatGPT uploads a file the moment it is attached, so every way in is checked before the site
// sees the file — the picker, a drop, a pasted file and a long paste the site turns into a file. The
// recording backend proves what left: planted values in each format never arrive; a clean file arrives
// byte-identical; a masked copy arrives with masks; a file that cannot be read follows the policy
// (warn); a page that uploads behind the guard's back is refused on the wire. Writes the upload card
// and progress screenshots to docs/screenshots/ (Chromium).
//
// Files are attached from the page's own script (a DataTransfer handed to the site's input, drop target
// or paste target): the same events reach the extension in both browsers. Fixtures: tests/files/
// (made by real producers, see tests/files/generate.sh).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PLANTED, ROOT } from './harness.mjs';
import { scenarios } from './lib/scenarios.mjs';

const FILES = path.join(ROOT, 'tests/files');
/** Values planted in tests/files (generate.sh) and in the harness. */
const FIXTURE_VALUES = { aws: 'AKIAQYLPMN5HHHFPZAM2', card: '4539 1488 0343 6467' };
const TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  pdf: 'application/pdf',
  csv: 'text/csv',
  json: 'application/json',
  txt: 'text/plain',
};

const sha = (b) => createHash('sha256').update(b).digest('hex');
const fixture = (name) => ({ name, type: TYPES[name.split('.').pop()] ?? '', bytes: fs.readFileSync(path.join(FILES, name)) });
const textFile = (name, text) => ({ name, type: 'text/plain', bytes: Buffer.from(text) });
const quiet = (ms = 800) => new Promise((r) => setTimeout(r, ms));

const isCreate = (r) => r.method === 'POST' && r.path === '/backend-api/files';
const isPut = (r) => r.kind === 'files' && r.method === 'PUT';

/** Attaches files the way `how` says: 'picker' (the hidden file input), 'drop' or 'paste' on the composer. */
async function attach(page, how, files) {
  await page.evaluate(
    ({ how, files }) => {
      const dt = new DataTransfer();
      for (const f of files) {
        const body = f.repeat ? f.repeat[0].repeat(f.repeat[1]) : Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0));
        dt.items.add(new File([body], f.name, { type: f.type }));
      }
      const composer = document.querySelector('#prompt-textarea');
      if (how === 'picker') {
        const input = document.querySelector('#upload-files');
        input.files = dt.files;
        input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      } else if (how === 'drop') {
        composer.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, composed: true, dataTransfer: dt }));
      } else {
        composer.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, composed: true, clipboardData: dt }));
      }
    },
    { how, files: files.map((f) => (f.repeat ? f : { name: f.name, type: f.type, b64: f.bytes.toString('base64') })) },
  );
}

/** The site's attachment chips, once none is uploading. */
async function settledAttachments(page) {
  await page.waitFor(() => {
    const list = window.__site.attachments();
    return list.length > 0 && list.every((a) => a.state !== 'uploading');
  });
  return page.evaluate(() => window.__site.attachments());
}

/** No recorded request body contains any of `values`. */
function assertNothingCarries(site, values) {
  for (const r of site.requests) {
    for (const v of values) assert.ok(!r.bytes.includes(Buffer.from(v)), `${r.method} ${r.host}${r.path} carried ${v}`);
  }
}

const PASTE_FIREFOX = 'Known bug (#4): in Firefox a paste carrying files made by the page script never reaches the upload guard (nothing is uploaded either); not yet diagnosed.';
const DROP_FIREFOX = 'Known bug (#4): in Firefox the re-dispatched drop carrying the masked copy is not attached by the site; not yet diagnosed.';

scenarios('uploads', (scenario) => {
  for (const [how, name] of [
    ['picker', 'planted.docx'],
    ['picker', 'planted.pptx'],
    ['drop', 'planted.odt'],
    ['drop', 'planted.pdf'],
    ['paste', 'planted.json'],
  ]) {
    const skip = how === 'paste' ? { skip: { firefox: PASTE_FIREFOX } } : {};
    scenario(`${how}: ${name} with a secret is not uploaded, and the card says where`, skip, async (b) => {
      const page = await b.openChat();
      await page.waitExt('wireConnected');
      const file = fixture(name);
      await attach(page, how, [file]);
      await page.waitExt('uploadCardIs', 'block');
      const card = await page.ext('uploadCard');
      assert.match(card.title, new RegExp(`${name.replace('.', '\\.')} was not uploaded`));
      const key = card.items.find((i) => i.name === 'AWS access key id');
      assert.ok(key, JSON.stringify(card.items));
      assert.ok(key.where, 'a location inside the file');
      assert.ok(!key.preview.includes(FIXTURE_VALUES.aws) && key.preview.length > 0, `masked preview: ${key.preview}`);
      assert.equal(card.focused, card.buttons.at(-1), 'keyboard focus is on the primary choice');
      if (name === 'planted.docx') await page.screenshot('upload-blocked.png');
      await page.ext('clickUploadCard', card.buttons.includes('Don’t upload') ? 'Don’t upload' : 'OK');
      await quiet();
      assert.equal(b.site.requests.filter((r) => isCreate(r) || isPut(r)).length, 0, 'neither the file entry nor its bytes left');
      assert.deepEqual(await page.evaluate(() => window.__site.attachments()), []);
      assertNothingCarries(b.site, [FIXTURE_VALUES.aws]);
    });
  }

  scenario('picker: a clean file arrives byte-identical', async (b) => {
    const page = await b.openChat();
    await page.waitExt('wireConnected');
    const file = textFile('meeting-notes.txt', 'Agenda: roadmap, hiring, offsite.\nNothing sensitive here.\n');
    await attach(page, 'picker', [file]);
    const [chip] = await settledAttachments(page);
    assert.equal(chip?.state, 'ready', JSON.stringify(chip));
    const put = b.site.requests.find(isPut);
    assert.equal(put.sha256, sha(file.bytes));
    assert.equal(b.site.requests.find(isCreate).json.file_name, 'meeting-notes.txt');
    assert.equal(await page.ext('uploadCard'), null, 'no card for a clean file');
  });

  for (const [how, name] of [
    ['drop', 'planted.csv'],
    ['picker', 'planted.xlsx'],
  ]) {
    const skip = how === 'drop' ? { skip: { firefox: DROP_FIREFOX } } : {};
    scenario(`${how}: ${name} with card numbers is replaced by a masked copy with the same name`, skip, async (b) => {
      const page = await b.openChat();
      await page.waitExt('wireConnected');
      const file = fixture(name);
      await attach(page, how, [file]);
      const [chip] = await settledAttachments(page);
      assert.equal(chip?.state, 'ready');
      assert.equal(chip.name, name);
      const put = b.site.requests.find(isPut);
      assert.notEqual(put.sha256, sha(file.bytes), 'not the original');
      assert.equal(b.site.requests.find(isCreate).json.file_size, put.size);
      const again = await b.worker((pw, a) => pw.scanFile(a.b64, a.name), { b64: put.bytes.toString('base64'), name });
      assert.equal(again.format, name.split('.').pop(), 'still the same format');
      assert.deepEqual(again.findings.filter((f) => f.action !== 'allow'), [], 'the engine finds nothing left to act on in the copy');
      assertNothingCarries(b.site, [FIXTURE_VALUES.card]);
      if (name.endsWith('.csv')) assert.match(put.body, /^name,email,card\n/, 'the text around the values is kept');
      await page.waitExt('uploadCardIs', 'notice');
      assert.match((await page.ext('uploadCard')).title, new RegExp(`masked copy of ${name.replace('.', '\\.')}`));
      if (name.endsWith('.xlsx')) await page.screenshot('upload-masked.png');
    });
  }

  scenario('pasted file: blocked, then uploaded as a masked copy at the user’s choice', { skip: { firefox: PASTE_FIREFOX } }, async (b) => {
    const page = await b.openChat();
    await page.waitExt('wireConnected');
    await attach(page, 'paste', [fixture('planted.json')]);
    await page.waitExt('uploadCardIs', 'block');
    assert.deepEqual((await page.ext('uploadCard')).buttons, ['Don’t upload', 'Upload a masked copy']);
    await page.ext('clickUploadCard', 'Upload a masked copy');
    const [chip] = await settledAttachments(page);
    assert.equal(chip?.state, 'ready');
    const put = b.site.requests.find(isPut);
    assert.ok(!put.body.includes(FIXTURE_VALUES.aws));
    assert.ok(JSON.parse(put.body).service === 'deploy', 'still JSON');
  });

  scenario('long paste: text the site would upload is checked first; a secret stops it', async (b) => {
    const page = await b.openChat();
    await page.waitExt('wireConnected');
    const filler = 'Quarterly planning notes, nothing special in this line. '.repeat(200);
    await page.click('#prompt-textarea');
    await page.paste(`${filler}\nprod key ${PLANTED.secret}\n`);
    await page.waitExt('uploadCardIs', 'block');
    const card = await page.ext('uploadCard');
    assert.equal(card.title, 'pasted.txt was not uploaded');
    assert.equal(card.items[0]?.name, 'AWS access key id');
    await page.ext('clickUploadCard', 'Don’t upload');
    await quiet();
    assert.equal(b.site.requests.filter((r) => isCreate(r) || isPut(r)).length, 0);
    assertNothingCarries(b.site, [PLANTED.secret]);

    // A clean long paste goes the site's way: uploaded as pasted.txt, byte for byte what was pasted.
    b.site.clear();
    await page.click('#prompt-textarea');
    await page.paste(filler);
    const [chip] = await settledAttachments(page);
    assert.equal(chip?.name, 'pasted.txt');
    assert.equal(b.site.requests.find(isPut).sha256, sha(Buffer.from(filler)));
  });

  scenario('an encrypted document cannot be read: the policy warns, Cancel keeps it back, Upload anyway sends it as is', async (b) => {
    const page = await b.openChat();
    await page.waitExt('wireConnected');
    const file = fixture('encrypted.docx');
    await attach(page, 'picker', [file]);
    await page.waitExt('uploadCardIs', 'warn');
    const card = await page.ext('uploadCard');
    assert.deepEqual(card.buttons, ['Cancel', 'Upload anyway']);
    assert.ok(card.reason, 'the reason is shown');
    await page.screenshot('upload-warning.png');
    await page.ext('clickUploadCard', 'Cancel');
    await quiet();
    assert.equal(b.site.requests.filter(isPut).length, 0);

    await attach(page, 'picker', [file]);
    await page.waitExt('uploadCardIs', 'warn');
    await page.ext('clickUploadCard', 'Upload anyway');
    const [chip] = await settledAttachments(page);
    assert.equal(chip?.state, 'ready');
    assert.equal(b.site.requests.find(isPut).sha256, sha(file.bytes));
  });

  scenario('a large file shows progress while it is checked, and Cancel stops it', async (b) => {
    const page = await b.openChat();
    await page.waitExt('wireConnected');
    const big = { name: 'export.txt', type: 'text/plain', repeat: ['row,value,comment\n', 2_500_000] }; // 45 MB, made in the page
    await attach(page, 'picker', [big]);
    await page.waitExt('uploadCardIs', 'progress');
    const card = await page.ext('uploadCard');
    assert.equal(card.title, 'Checking export.txt');
    assert.ok(card.progress !== null);
    await page.screenshot('upload-progress.png');
    await page.ext('clickUploadCard', 'Cancel');
    await quiet();
    assert.equal(await page.ext('uploadCard'), null);
    assert.equal(b.site.requests.filter((r) => isCreate(r) || isPut(r)).length, 0, 'a cancelled file is not attached');
  });

  scenario('on the wire: an upload the guard did not clear is refused', async (b) => {
    const page = await b.openChat();
    await page.waitExt('wireConnected');
    const results = await page.evaluate(async (secret) => {
      const out = {};
      const create = await fetch('/backend-api/files', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ file_name: 'keys.txt', file_size: 27, use_case: 'my_files' }),
      }).then((r) => r.status, (e) => e.name);
      out.create = create;
      out.put = await fetch('https://files.oaiusercontent.com/file-x?sig=y', { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: new Blob([`key ${secret}`]) }).then(
        (r) => r.status,
        (e) => e.name,
      );
      out.xhr = await new Promise((resolve) => {
        const xhr = new XMLHttpRequest();
        xhr.open('PUT', 'https://files.oaiusercontent.com/file-x?sig=y');
        xhr.setRequestHeader('x-ms-blob-type', 'BlockBlob');
        xhr.onload = () => resolve(xhr.status);
        xhr.onerror = () => resolve('error');
        xhr.send(new Blob([`key ${secret}`]));
      });
      return out;
    }, PLANTED.secret);
    assert.deepEqual(results, { create: 'TypeError', put: 'TypeError', xhr: 'error' });
    assert.equal(b.site.requests.filter((r) => isCreate(r) || isPut(r)).length, 0);
  });
});
