// Enterprise deployment in Firefox: the shipped XPI force-installed by policies.json (ExtensionSettings,
// served from a local web server as an administrator would host it), with managed configuration from
// 3rdparty.Extensions — and the force-installed extension protects the chat as the temporary one does.
// Only the page, the recording backend and the extension's own pages are observed: the shipped build
// has no probe channel.
import assert from 'node:assert/strict';
import { isPrepare, isSend, PLANTED } from './harness.mjs';
import { scenarios } from './lib/scenarios.mjs';

const MANAGED = { orgName: 'Acme IT Security' };
const CHROMIUM_SKIP =
  "Chromium's force-install is a different mechanism (ExtensionInstallForcelist with a CRX and an update manifest) and belongs to the admin-policy scenarios (issue #5); this file covers Firefox's policies.json";

scenarios('enterprise force-install', { enterprise: { managed: MANAGED } }, (scenario) => {
  scenario('policies.json force-installs the shipped XPI with its managed configuration', { skip: { chromium: CHROMIUM_SKIP } }, async (b) => {
    assert.ok(b.enterprise.xpiFetches() >= 1, 'Firefox fetched the XPI from the install_url');
    const self = await b.worker(() => browser.management.getSelf());
    assert.equal(self.installType, 'admin', 'installed by policy, not by the user');
    assert.equal(self.version, (await b.worker(() => chrome.runtime.getManifest())).version);
    // Managed storage answers from the policy Firefox read at start-up.
    let managed = {};
    for (let i = 0; i < 40 && !managed.orgName; i++) {
      managed = await b.worker(() => chrome.storage.managed.get());
      if (!managed.orgName) await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(managed, MANAGED);
  });

  scenario('the force-installed extension guards the chat', { skip: { chromium: CHROMIUM_SKIP } }, async (b) => {
    const page = await b.openChat();
    // The shipped build gives the page nothing to read the extension's state with.
    assert.equal(await page.evaluate(() => typeof window.__promptwardenProbe), 'undefined');
    await page.click('#prompt-textarea');
    await page.type(`key ${PLANTED.secret} card ${PLANTED.financial} `);
    // The highlight is painted in the page (the CSS Custom Highlight registry is the page's).
    await page.waitFor(() => CSS.highlights.get('promptwarden-block')?.size === 1 && CSS.highlights.get('promptwarden-mask')?.size === 1);
    await b.site.waitForRequest((r) => isPrepare(r) && r.body.includes('[CREDIT_CARD_1]'), { timeout: 8_000 });
    await page.press('Enter');
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(b.site.requests.filter(isSend).length, 0, 'the blocked message was not sent');
    assert.equal(await page.evaluate(() => window.__site.getText()), `key ${PLANTED.secret} card ${PLANTED.financial} `);
    for (const r of b.site.requests.filter((x) => isPrepare(x) || isSend(x))) {
      for (const v of Object.values(PLANTED)) assert.ok(!r.body.includes(v), `${r.path} #${r.seq} carried ${v}`);
    }
  });
});
