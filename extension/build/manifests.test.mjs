import assert from 'node:assert/strict';
import fs from 'node:fs';
import { test } from 'node:test';
import { chromeManifest, firefoxManifest, GECKO_ID } from './manifests.mjs';

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
