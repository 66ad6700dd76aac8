import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { chromeManifest, E2E_PROBE_SCRIPT, firefoxE2eManifest, firefoxManifest, GECKO_ID } from './manifests.mjs';

const source = JSON.parse(fs.readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

test('the source manifest has what the issue asks for', () => {
  assert.equal(source.manifest_version, 3);
  assert.deepEqual(source.background, { service_worker: 'background.js', type: 'module' });
  assert.match(source.content_security_policy.extension_pages, /'wasm-unsafe-eval'/);
  assert.match(source.key, /^MII[A-Za-z0-9+/=]{300,}$/, 'a public key, so the Chrome id is stable');
  const [page, content] = source.content_scripts;
  assert.equal(page.world, 'MAIN');
  assert.equal(page.run_at, 'document_start');
  for (const cs of source.content_scripts) {
    assert.deepEqual(cs.matches, ['https://chatgpt.com/*', 'https://chat.openai.com/*']);
  }
  assert.ok(content.js.includes('content.js'));
  assert.ok(source.action.default_popup && source.options_ui.page);
});

test('Chrome keeps the manifest as written', () => {
  assert.deepEqual(chromeManifest(source), source);
});

test('Firefox gets background scripts, a gecko id and no Chrome-only keys', () => {
  const ff = firefoxManifest(source);
  assert.deepEqual(ff.background, { scripts: ['background.js'], type: 'module' });
  assert.equal(ff.browser_specific_settings.gecko.id, GECKO_ID);
  assert.deepEqual(ff.browser_specific_settings.gecko.data_collection_permissions, { required: ['none'] });
  assert.equal(ff.key, undefined);
  assert.equal(ff.minimum_chrome_version, undefined);
  assert.deepEqual(ff.content_scripts, source.content_scripts);
  assert.ok(source.key, 'the source is not changed');
});

test('Firefox adds blocking webRequest for the network veto; Chrome does not ask for it', () => {
  const ff = firefoxManifest(source);
  assert.deepEqual(ff.permissions, [...source.permissions, 'webRequest', 'webRequestBlocking']);
  assert.ok(!chromeManifest(source).permissions.includes('webRequestBlocking'));
  assert.ok(Number.parseFloat(ff.browser_specific_settings.gecko.strict_min_version) >= 140, 'data_collection_permissions needs 140');
});

test('the e2e build only adds the probe channel after content.js, in the isolated world', () => {
  const ff = firefoxManifest(source);
  const e2e = firefoxE2eManifest(ff);
  const [page, content] = e2e.content_scripts;
  assert.deepEqual(page, ff.content_scripts[0], 'the page world gets nothing');
  assert.deepEqual(content.js, [...ff.content_scripts[1].js, E2E_PROBE_SCRIPT]);
  assert.equal(content.world, undefined);
  assert.ok(!ff.content_scripts[1].js.includes(E2E_PROBE_SCRIPT), 'the shipped manifest is not changed');
});

test('the shipped builds carry no probe channel', { skip: !fs.existsSync(new URL('../../dist/firefox/manifest.json', import.meta.url)) && 'dist/ is not built' }, () => {
  for (const browser of ['chrome', 'firefox']) {
    const dir = new URL(`../../dist/${browser}/`, import.meta.url);
    for (const file of fs.readdirSync(dir, { recursive: true })) {
      const p = new URL(file, dir);
      if (fs.statSync(p).isFile() && /\.(js|json|html)$/.test(file)) {
        assert.ok(!fs.readFileSync(p, 'utf8').includes('__promptwardenProbe'), `dist/${browser}/${file} has the e2e probe channel`);
      }
    }
  }
});
