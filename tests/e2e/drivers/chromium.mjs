// The Chromium driver: Debian's Chromium through playwright-core, the shipped dist/chrome loaded
// unpacked, the content script's isolated world and the service worker reached through the DevTools
// protocol. Implements the interface described in tests/e2e/README.md.
import fs from 'node:fs';
import path from 'node:path';
import { launchChromium } from '../../site/browser.mjs';
import { contentWorld, ROOT, SCREENSHOTS } from '../harness.mjs';
import { contentProbes } from '../probes.mjs';

export const EXTENSION = path.join(ROOT, 'dist/chrome');

/** Playwright's key names are the driver interface's key names. */
class ChromiumPage {
  constructor(page, world) {
    this.page = page;
    this.world = world;
  }

  evaluate(fn, arg) {
    return this.page.evaluate(fn, arg);
  }

  async waitFor(fn, arg, timeout = 8_000) {
    const handle = await this.page.waitForFunction(fn, arg, { timeout });
    const value = await handle.jsonValue();
    await handle.dispose();
    return value;
  }

  ext(name, arg) {
    if (!this.world) throw new Error('this page has no content script');
    const probe = contentProbes[name];
    if (!probe) throw new Error(`no content probe named "${name}" in tests/e2e/probes.mjs`);
    // contentWorld.evaluate calls `(${fn})(arg)` in the isolated world.
    return this.world.evaluate(`(arg) => (${probe})(globalThis.__promptwarden, arg)`, arg);
  }

  async waitExt(name, arg, timeout = 8_000) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await this.ext(name, arg);
        if (last) return last;
      } catch (e) {
        last = e;
      }
      if (Date.now() > end) throw new Error(`timed out waiting for content probe "${name}" (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  click(selector) {
    return this.page.click(selector);
  }

  type(text, { delay = 0 } = {}) {
    return this.page.keyboard.type(text, { delay });
  }

  press(key) {
    return this.page.keyboard.press(key);
  }

  insertText(text) {
    return this.page.keyboard.insertText(text);
  }

  async paste(text) {
    await this.page.evaluate((t) => navigator.clipboard.writeText(t), text);
    await this.page.keyboard.press('Control+V');
  }

  /** A real IME composition of `text`, with an Enter pressed while it is open, then committed. */
  async composeIme(text) {
    const cdp = await this.page.context().newCDPSession(this.page);
    await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
    await cdp.send('Input.insertText', { text });
    await cdp.detach();
  }

  count(selector) {
    return this.page.locator(selector).count();
  }

  text(selector) {
    return this.page.locator(selector).innerText();
  }

  /** Chromium's screenshots are the ones the README shows: docs/screenshots/<name>. */
  async screenshot(name, { around, margin = [0, 0, 0, 0] } = {}) {
    const file = path.join(SCREENSHOTS, name);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    let clip;
    if (around) {
      const [top, right, bottom, left] = margin;
      const box = await this.page.locator(around).boundingBox();
      clip = { x: box.x - left, y: box.y - top, width: box.width + left + right, height: box.height + top + bottom };
    }
    await this.page.screenshot({ path: file, clip, animations: 'disabled' });
  }

  close() {
    return this.page.close();
  }
}

export async function startChromium(site, { viewport, enterprise } = {}) {
  if (enterprise) {
    throw new Error('the Chromium driver has no `enterprise` option: write a Chromium policy (tests/admin/chromium-policy.mjs) or skip the scenario in Chromium with a reason');
  }
  if (!fs.existsSync(path.join(EXTENSION, 'manifest.json'))) {
    throw new Error('dist/chrome is missing: run ./build.sh first');
  }
  const browser = await launchChromium(site, { extensionPath: EXTENSION, ...(viewport ? { viewport } : {}) });
  try {
    const context = browser.context;
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await worker.evaluate(() => globalThis.__promptwarden.ready);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.url });
    const extensionId = new URL(worker.url()).host;
    // A persistent context has no Browser object to ask, and the user agent hides the minor version.
    const version = await worker.evaluate(async () => {
      const info = await navigator.userAgentData?.getHighEntropyValues(['fullVersionList']);
      return info?.fullVersionList?.find((b) => /Chrom/.test(b.brand))?.version ?? navigator.userAgent.match(/Chrome\/([\d.]+)/)?.[1] ?? 'unknown';
    });
    const currentWorker = () => context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${extensionId}/`)) ?? worker;

    return {
      name: 'chromium',
      version,
      extensionBase: `chrome-extension://${extensionId}/`,
      /** Raw handles for Chromium-only code (the benchmark); scenarios do not use them. */
      raw: { context, worker },

      async openChat() {
        const page = await context.newPage();
        page.setDefaultTimeout(10_000);
        await page.goto(site.url);
        await page.waitForFunction(() => window.__site?.ready === true);
        const world = await contentWorld(page);
        const p = new ChromiumPage(page, world);
        await p.waitExt('attached');
        return p;
      },

      async openExtensionPage(file) {
        const page = await context.newPage();
        page.setDefaultTimeout(10_000);
        await page.goto(`chrome-extension://${extensionId}/${file}`);
        return new ChromiumPage(page, null);
      },

      worker(fn, arg) {
        return currentWorker().evaluate(`(${fn})(globalThis.__promptwarden, ${JSON.stringify(arg ?? null)})`);
      },

      /** Stops the service worker as the browser does when idle; resolves once it is stopped. */
      async stopBackground() {
        const page = context.pages()[0] ?? (await context.newPage());
        const cdp = await context.newCDPSession(page);
        const states = new Map();
        cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
          for (const v of versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) states.set(v.versionId, v.runningStatus);
        });
        await cdp.send('ServiceWorker.enable');
        for (let i = 0; i < 40 && states.size === 0; i++) await new Promise((r) => setTimeout(r, 25));
        for (const [versionId, s] of states) if (s === 'running') await cdp.send('ServiceWorker.stopWorker', { versionId });
        for (let i = 0; i < 200 && [...states.values()].some((s) => s !== 'stopped'); i++) await new Promise((r) => setTimeout(r, 10));
        await cdp.detach();
        if ([...states.values()].some((s) => s !== 'stopped')) throw new Error('the service worker did not stop');
      },

      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
