// Force-install end to end, in Chromium: dist/chrome is packed into a CRX with a throwaway key
// (extension/build/pack-crx.mjs — the release key is not in git), served with a gupdate update
// manifest from a local HTTP server, and named in ExtensionInstallForcelist in a machine policy under
// /etc/chromium/policies/managed/ (removed afterwards). A fresh profile, with nothing loaded by hand,
// installs it: the update server sees the manifest and the CRX fetched, the extension's service
// worker runs (found through the DevTools protocol: Playwright does not report service workers of
// policy-installed extensions), and its content script runs on the fixture chat site.
//
//   ./build.sh && node --test tests/admin/force-install.test.mjs      (as root)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { extensionId, generateKey, packCrx, updateManifest } from '../../extension/build/pack-crx.mjs';
import { contentWorld, EXTENSION } from '../e2e/harness.mjs';
import { startSite } from '../site/server.mjs';
import { launchProfile, writeChromiumPolicy } from './chromium-policy.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Serves `files` (path → {type, body}) on 127.0.0.1 and records the paths asked for. */
async function startUpdateServer(files) {
  const requests = [];
  const server = http.createServer((req, res) => {
    const pathname = new URL(req.url, 'http://x').pathname;
    requests.push(pathname);
    const file = files[pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.body.length });
    res.end(file.body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

test('the packed CRX is force-installed by policy from a local update server and its content script runs', { timeout: 120_000 }, async () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-forceinstall-'));
  const keyFile = path.join(work, 'throwaway.pem');
  fs.writeFileSync(keyFile, generateKey(), { mode: 0o600 });
  const { crx, id, version } = packCrx({ src: EXTENSION, keyFile, outDir: path.join(work, 'out') });
  assert.equal(id, extensionId(fs.readFileSync(keyFile, 'utf8')));
  assert.equal(fs.readFileSync(crx).subarray(0, 4).toString('latin1'), 'Cr24', 'a CRX file');

  const files = { '/promptwarden.crx': { type: 'application/x-chrome-extension', body: fs.readFileSync(crx) } };
  const updates = await startUpdateServer(files);
  files['/updates.xml'] = { type: 'text/xml', body: Buffer.from(updateManifest({ id, version, codebase: `${updates.url}/promptwarden.crx` })) };
  const site = await startSite();
  const removePolicy = writeChromiumPolicy('promptwarden-e2e-forceinstall', {
    ExtensionInstallForcelist: [`${id};${updates.url}/updates.xml`],
    '3rdparty': { extensions: { [id]: { orgName: 'E2E force-install' } } },
  });
  const userDataDir = path.join(work, 'profile');
  let context;
  try {
    const started = Date.now();
    context = await launchProfile({ site, userDataDir, backgroundNetworking: true });

    // The worker of the installed extension, through the DevTools protocol.
    const cdp = await context.browser()?.newBrowserCDPSession?.() ?? (await context.newCDPSession(await context.newPage()));
    let worker;
    for (let i = 0; i < 150 && !worker; i++) {
      const { targetInfos } = await cdp.send('Target.getTargets');
      worker = targetInfos.find((t) => t.type === 'service_worker' && t.url === `chrome-extension://${id}/background.js`);
      if (!worker) await sleep(200);
    }
    assert.ok(worker, `no service worker of ${id} after 30 s; update server saw ${JSON.stringify(updates.requests)}`);
    const installedMs = Date.now() - started;
    assert.ok(updates.requests.includes('/updates.xml') && updates.requests.includes('/promptwarden.crx'), `fetched: ${updates.requests}`);

    // The content script on the chat site (retried: the install may land after the first load).
    const page = await context.newPage();
    let attached = false;
    for (let i = 0; i < 10 && !attached; i++) {
      await page.goto(site.url);
      await page.waitForFunction(() => window.__site?.ready === true);
      const world = await contentWorld(page);
      attached = await world.waitFor(() => globalThis.__promptwarden?.typing.attached !== null, undefined, 3000).then(
        () => true,
        () => false,
      );
    }
    assert.ok(attached, 'the force-installed content script did not attach to the composer');
    console.log(`force-install: service worker up ${installedMs} ms after launch; update server requests ${JSON.stringify(updates.requests)}`);
  } finally {
    await context?.close().catch(() => {});
    removePolicy();
    await updates.close();
    await site.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
});
