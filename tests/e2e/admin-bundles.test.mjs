// The administrator's side, end to end in Chromium: the unpacked extension reads its `3rdparty` policy
// (written to /etc/chromium/policies/managed/ from the sample policy/examples/chrome-linux.json, with
// this test's bundle URL and key), fetches a signed bundle from a real HTTP server on loopback, and
// enforces its custom keyword rule and exact-data-match list on the fixture site. A new version is picked
// up by an open tab without a reload — on the update alarm, and at once on a policy change — and the
// time from publish to enforcement is measured. Tampered, expired and downgraded bundles are rejected,
// last-known-good is kept, and the popup says why.
//
// The signed bundles are tests/bundles/ (made by tests/bundles/make.sh, TEST-ONLY keys); version 3 is
// signed here with `warden bundle sign` so that the policy-change path has a newer bundle to find.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { unpackedId, writeChromiumPolicy } from '../admin/chromium-policy.mjs';
import { isSend, PLANTED, ROOT } from './harness.mjs';
import { startRuleServer } from './lib/rule-server.mjs';
import { scenarios, selectedBrowsers } from './lib/scenarios.mjs';

const BUNDLES = path.join(ROOT, 'tests/bundles');
const SAMPLE = path.join(ROOT, 'policy/examples/chrome-linux.json');
const TEST_KEY = JSON.parse(fs.readFileSync(path.join(BUNDLES, 'test-signing.pem.pub'), 'utf8'));
const WARDEN = process.env.WARDEN ?? path.join(ROOT, 'target/release/warden');
const ORG = 'Acme IT Security (e2e)';
const FIREFOX_SKIP =
  'Firefox reads policies.json once at start and caches managed storage until it restarts, so a policy file written for Chromium and a policy change during the run cannot apply; the updater itself is the same code';

const readBundle = (name) => fs.readFileSync(path.join(BUNDLES, name));
const chromiumSelected = selectedBrowsers().includes('chromium');

let rules;
let removePolicy = () => {};
let policy;
let extensionId;
const figures = {};

/** The sample policy with this test's bundle server and key; the force-install entry is dropped (the extension is loaded unpacked). */
function testPolicy(overrides = {}) {
  const sample = JSON.parse(fs.readFileSync(SAMPLE, 'utf8'));
  const sampleId = Object.keys(sample['3rdparty'].extensions)[0];
  assert.equal(sampleId, extensionId, 'policy/examples/chrome-linux.json is keyed by the extension id');
  const p = structuredClone(sample['3rdparty'].extensions[sampleId]);
  p.orgName = ORG;
  p.ruleBundleUrls = [rules.url];
  p.trustedKeys = [TEST_KEY];
  p.updateIntervalMinutes = 0.5; // Chrome's shortest alarm period: the alarm path below waits for it
  delete p.audit; // audit delivery has its own tests (tests/admin)
  // Deterministic whatever the day: an exemption for e-mail addresses on chatgpt.com for the next hour,
  // and card numbers switched off. (The sample's confidential → justify stays.)
  p.exemptions = [{ entity: 'EMAIL_ADDRESS', until: new Date(Date.now() + 3600_000).toISOString(), sites: ['https://chatgpt.com/*'] }];
  p.disabledRules = ['credit-card-number'];
  Object.assign(p, overrides);
  return { '3rdparty': { extensions: { [extensionId]: p } } };
}

before(async () => {
  if (!chromiumSelected) return;
  extensionId = await unpackedId(path.join(ROOT, 'dist/chrome/manifest.json'));
  rules = await startRuleServer();
  rules.publish(readBundle('v1.json'));
  policy = testPolicy();
  removePolicy = writeChromiumPolicy('promptwarden-e2e-bundles', policy);
});
after(async () => {
  removePolicy();
  await rules?.close();
  if (Object.keys(figures).length) console.log(`# figures: ${JSON.stringify(figures)}`);
});

/** Whether the open tab's next scan of `text` (through its content script) flags it. */
async function flags(page, text) {
  const reply = await page.ext('ask', { type: 'scan', text });
  assert.equal(reply.ok, true, JSON.stringify(reply));
  return reply.findings.map((f) => f.ruleId);
}

/** Polls the open tab until `text` is flagged by `ruleId`; returns when (ms since the epoch). */
async function waitUntilFlagged(page, text, ruleId, timeoutMs) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if ((await flags(page, text)).includes(ruleId)) return Date.now();
    if (Date.now() > end) throw new Error(`"${text}" was not flagged by ${ruleId} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const rulesStatus = (b) => b.worker((pw) => pw.rules.status());

scenarios('administrator policy and signed rule bundles', (scenario) => {
  scenario('the unpacked extension reads its 3rdparty policy and shows who manages it', { skip: { firefox: FIREFOX_SKIP } }, async (b) => {
    // Managed storage may answer late (or `{}` first); the extension picks the policy up when it does.
    let effective;
    for (let i = 0; i < 100; i++) {
      effective = await b.worker(async (pw) => {
        await pw.ready;
        return pw.policy.effective();
      });
      if (effective.managed) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(effective.managed, true);
    assert.equal(effective.orgName, ORG);
    assert.deepEqual(effective.ruleBundleUrls, [rules.url]);
    assert.equal(effective.lockSettings, true);
    assert.deepEqual(effective.problems, [], 'the sample policy is valid against the schema');
    const options = await b.openExtensionPage('options/options.html');
    await options.waitFor(() => document.querySelector('#categories select') !== null);
    assert.match(await options.text('#managed'), /Managed by Acme IT Security \(e2e\)\. Your organisation has locked these settings\./);
    assert.equal(await options.evaluate(() => [...document.querySelectorAll('select')].every((s) => s.disabled)), true, 'locked settings are read-only');
    assert.match(await options.text('#categories'), /Set by Acme IT Security \(e2e\)/);
  });

  scenario('a signed bundle adds a keyword rule and an exact-data list: typing such a value is blocked', { skip: { firefox: FIREFOX_SKIP } }, async (b) => {
    await b.worker((pw) => pw.rules.check());
    const status = await rulesStatus(b);
    assert.equal(status.bundle?.version, 1, JSON.stringify(status.lastError));
    assert.equal(status.bundle.keyId, TEST_KEY.keyId);

    const page = await b.openChat();
    assert.deepEqual(await flags(page, 'order for CUST-000000'), [], 'a customer id not in the list is not flagged');
    await page.click('#prompt-textarea');
    await page.type('The BLUEHERON launch for customer CUST-004512');
    await page.waitExt('hasFindings', 2);
    const found = await page.ext('findings');
    assert.deepEqual(found.map((f) => [f.entity, f.action]).sort(), [['CUSTOMER_ID', 'block'], ['PROJECT_CODENAME', 'block']], 'the bundle\'s policy blocks both');
    await page.press('Enter');
    await page.waitExt('cardOpen');
    const card = await page.ext('card');
    assert.match(card.title, /can.t be sent/);
    assert.equal(card.buttons.includes('Send anyway'), false);
    assert.equal(b.site.requests.filter(isSend).length, 0, 'nothing was sent');
    for (const r of b.site.requests) assert.ok(!(r.body ?? '').includes('CUST-004512') && !(r.body ?? '').includes('BLUEHERON'), `${r.path} carried a planted value`);
  });

  scenario('publishing v2 changes what an open tab enforces, without a reload or a keystroke (update alarm)', { skip: { firefox: FIREFOX_SKIP }, timeout: 90_000 }, async (b) => {
    const page = await b.openChat();
    await page.click('#prompt-textarea');
    await page.type('the REDKITE numbers for CUST-777001');
    await new Promise((r) => setTimeout(r, 500)); // the typing scans settle
    assert.equal(await page.ext('findingCount'), 0, 'v1 knows neither REDKITE nor CUST-777001');
    const published = rules.publish(readBundle('v2.json'));
    // Nobody types: the worker tells the open tab that the rules changed and it scans again.
    const end = Date.now() + 60_000;
    while ((await page.ext('findingCount')) !== 2) {
      assert.ok(Date.now() < end, 'v2 was not enforced in the open tab within 60 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    figures.alarmPublishToEnforcementMs = Date.now() - published;
    assert.deepEqual((await page.ext('findings')).map((f) => [f.entity, f.action]).sort(), [['CUSTOMER_ID', 'block'], ['PROJECT_CODENAME', 'block']]);
    assert.equal((await rulesStatus(b)).bundle.version, 2);
    await page.press('Enter');
    await page.waitExt('cardOpen');
    assert.match((await page.ext('card')).title, /can.t be sent/);
    assert.equal(b.site.requests.filter(isSend).length, 0);
    assert.ok(rules.requests.some((r) => r.status === 304), 'unchanged bundles cost a conditional GET answered 304');
  });

  scenario('a policy change makes the extension check for a new bundle at once', { skip: { firefox: FIREFOX_SKIP }, timeout: 60_000 }, async (b) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-v3-'));
    try {
      fs.copyFileSync(path.join(BUNDLES, 'rules/acme-confidential-v2.toml'), path.join(dir, 'acme-confidential.toml'));
      fs.writeFileSync(
        path.join(dir, 'acme-birds.toml'),
        'schema_version = 1\n\n[[rule]]\nid = "acme-codename-2027"\ndescription = "ACME 2027 codenames"\nentity = "PROJECT_CODENAME"\ncategory = "confidential"\nterms = ["GREENFINCH"]\nconfidence = "high"\n',
      );
      const out = path.join(dir, 'v3.json');
      execFileSync(WARDEN, ['bundle', 'sign', '--key', path.join(BUNDLES, 'test-signing.pem'), '--rules', dir, '--policy', path.join(BUNDLES, 'policy.json'), '--version', '3', '--expires', '30d', '--out', out], { stdio: 'pipe' });
      const page = await b.openChat();
      assert.deepEqual(await flags(page, 'GREENFINCH'), []);
      const published = rules.publish(fs.readFileSync(out));
      // An administrator's policy change (here: the organisation's name) — Chromium re-reads its policy
      // directory on its own; the extension hears it through storage.onChanged.
      removePolicy = writeChromiumPolicy('promptwarden-e2e-bundles', testPolicy({ orgName: `${ORG} · v3` }));
      const enforced = await waitUntilFlagged(page, 'GREENFINCH', 'acme-codename-2027', 30_000);
      figures.policyChangePublishToEnforcementMs = enforced - published;
      const effective = await b.worker((pw) => pw.policy.effective());
      assert.equal(effective.orgName, `${ORG} · v3`, 'the changed policy was read');
      assert.equal((await rulesStatus(b)).bundle.version, 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  scenario('tampered, expired and downgraded bundles are rejected; last-known-good stays; the popup says why', { skip: { firefox: FIREFOX_SKIP } }, async (b) => {
    const page = await b.openChat();
    const cases = [
      ['tampered.json', 'bad-signature', 'GREYGOOSE'],
      ['expired.json', 'expired', 'BLACKSWAN'],
      ['downgraded.json', 'downgrade', 'OLDCROW'],
    ];
    for (const [file, kind, canary] of cases) {
      rules.publish(readBundle(file));
      await b.worker((pw) => pw.rules.check());
      const status = await rulesStatus(b);
      assert.equal(status.lastError?.kind, kind, `${file}: ${JSON.stringify(status.lastError)}`);
      assert.equal(status.bundle?.version, 3, `${file}: last-known-good (v3) stays in use`);
      assert.deepEqual(await flags(page, `${canary} report`), [], `${file}: its canary rule was never applied`);
      assert.ok((await flags(page, 'GREENFINCH')).includes('acme-codename-2027'), `${file}: the v3 rules still apply`);
      const popup = await b.openExtensionPage('popup/popup.html');
      await popup.waitFor(() => document.querySelector('#admin dd') !== null);
      const text = await popup.text('#admin');
      assert.match(text, new RegExp(`${kind}: `), `${file}: the popup shows the reason`);
      assert.match(text, /version 3 stays in use/);
      assert.match(text, /Version 3 \(key 9508df723048cba9\)/);
      await popup.close();
    }
  });

  scenario('actions, disabled rules and a site exemption from the policy apply; justify sends only with a reason', { skip: { firefox: FIREFOX_SKIP } }, async (b) => {
    const page = await b.openChat();
    assert.deepEqual(await flags(page, PLANTED.financial), [], 'credit-card-number is disabled by the policy');
    const email = (await page.ext('ask', { type: 'scan', text: PLANTED.pii })).findings;
    assert.deepEqual(email.map((f) => [f.entity, f.action]), [['EMAIL_ADDRESS', 'allow']], 'exempted on chatgpt.com until the exemption ends');
    const secret = (await page.ext('ask', { type: 'scan', text: PLANTED.secret })).findings;
    assert.deepEqual(secret.map((f) => f.action), ['block']);

    const text = 'Strictly confidential: the merger closes Monday';
    await page.click('#prompt-textarea');
    await page.type(text);
    await page.waitExt('hasFindings', 1);
    assert.deepEqual((await page.ext('findings')).map((f) => f.action), ['justify']);
    await page.press('Enter');
    await page.waitExt('cardOpen');
    const card = await page.ext('card');
    assert.ok(card.buttons.includes('Send with reason'), JSON.stringify(card.buttons));
    assert.ok(!card.buttons.includes('Send anyway'), 'no way around the reason');
    assert.ok(!card.buttons.includes('Ignore once'));
    assert.equal(await page.ext('cardButtonDisabled', 'Send with reason'), true, 'disabled until a reason is typed');
    await page.ext('clickCard', { label: 'Send with reason' });
    assert.equal(b.site.requests.filter(isSend).length, 0, 'nothing sent without a reason');
    await page.ext('cardReason', 'Board asked for a summary; approved by legal');
    assert.equal(await page.ext('cardButtonDisabled', 'Send with reason'), false);
    await page.ext('clickCard', { label: 'Send with reason' });
    const sent = await b.site.waitForRequest(isSend, { timeout: 10_000 });
    assert.ok(sent.body.includes('Strictly confidential'), 'the justified text is sent as typed');
    assert.ok(!sent.body.includes('approved by legal'), 'the reason stays in the browser');
  });
});
