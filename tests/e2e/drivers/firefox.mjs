// The Firefox driver: Debian's Firefox ESR through geckodriver (built by `cargo install geckodriver`),
// driven by selenium-webdriver (WebDriver classic). Implements the interface in tests/e2e/README.md.
//
// How it reaches what Chromium reaches through the DevTools protocol:
// - The extension is the e2e build of dist/firefox (target/e2e/firefox, made by extension/build):
//   byte-for-byte the shipped files plus one more content script, the probe channel
//   (tests/e2e/ext/probe-channel.mjs), which lets WebDriver call the named probes of
//   tests/e2e/probes.mjs inside the content script's world. The shipped build has no such channel.
// - The background page (an event page in Firefox) is reached from an extension page of the same
//   add-on (runtime.getBackgroundPage), at a fixed moz-extension UUID set by preference.
// - Stopping the background, as Firefox does when idle, uses the privileged (chrome) context, which
//   needs --remote-allow-system-access.
// - Enterprise (option `enterprise`): instead of a temporary install, the shipped XPI is served on
//   127.0.0.1 and force-installed by /usr/lib/firefox-esr/distribution/policies.json
//   (ExtensionSettings, plus 3rdparty managed configuration). See startEnterprise below.
// - The site: a proxy preference sends the three fixture host names to a CONNECT proxy
//   (connect-proxy.mjs) that tunnels them to the local site; acceptInsecureCerts trusts its
//   self-signed certificate.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Builder, By, Key } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { buildProbeChannel, PROBE_SOURCES } from '../../../extension/build/e2e-probe.mjs';
import { FILES_HOST } from '../../site/lib/backend.mjs';
import { ROOT } from '../harness.mjs';
import { startConnectProxy } from './connect-proxy.mjs';

export const FIREFOX = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr';
export const GECKODRIVER = process.env.GECKODRIVER_PATH || path.join(process.env.CARGO_HOME || path.join(os.homedir(), '.cargo'), 'bin/geckodriver');
export const E2E_EXTENSION = path.join(ROOT, 'target/e2e/firefox');
export const GECKO_ID = 'promptwarden@promptwarden.dev';
/** The moz-extension host of the add-on in the test profile (fixed, so pages can be opened by URL). */
export const EXTENSION_UUID = '6a3bd1b4-3f4e-4c41-9f1a-2b7d0e0c5a11';
const SCREENSHOTS = path.join(ROOT, 'target/e2e-screenshots/firefox');

// Playwright key names (the interface's) → WebDriver keys.
const KEYS = {
  Enter: Key.ENTER,
  Escape: Key.ESCAPE,
  Backspace: Key.BACK_SPACE,
  Tab: Key.TAB,
  End: Key.END,
  Home: Key.HOME,
  ArrowLeft: Key.ARROW_LEFT,
  ArrowRight: Key.ARROW_RIGHT,
  ArrowUp: Key.ARROW_UP,
  ArrowDown: Key.ARROW_DOWN,
  Delete: Key.DELETE,
  Shift: Key.SHIFT,
  Control: Key.CONTROL,
  Alt: Key.ALT,
  Meta: Key.META,
};
const key = (name) => KEYS[name] ?? (name.length === 1 ? name : null);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** `fn` (a function or its source) called with one JSON argument, as a WebDriver script body. */
const callScript = (fn) => `return (${fn})(arguments[0]);`;

export async function startFirefox(site, { viewport = { width: 1280, height: 800 }, enterprise } = {}) {
  for (const [what, file, fix] of [
    ['Firefox ESR', FIREFOX, 'install the Debian package firefox-esr (./build.sh test does)'],
    ['geckodriver', GECKODRIVER, 'run `cargo install geckodriver` (./build.sh test does)'],
    ['the Firefox e2e build', path.join(E2E_EXTENSION, 'manifest.json'), 'run ./build.sh first'],
  ]) {
    if (!fs.existsSync(file)) throw new Error(`${what} is missing (${file}): ${fix}`);
  }
  // A probe added to tests/e2e/probes.mjs since the last ./build.sh: bundle the channel again.
  const probeScript = path.join(E2E_EXTENSION, 'e2e-probe.js');
  const built = fs.existsSync(probeScript) ? fs.statSync(probeScript).mtimeMs : 0;
  if (PROBE_SOURCES.some((f) => fs.statSync(f).mtimeMs > built)) await buildProbeChannel(probeScript);

  const proxy = await startConnectProxy({ hosts: ['chatgpt.com', 'chat.openai.com', FILES_HOST], port: site.port });
  const options = new firefox.Options()
    .setBinary(FIREFOX)
    .addArguments('-headless')
    .windowSize(viewport)
    // Every http(s) request goes to the proxy, which only tunnels the fixture hosts.
    .setPreference('network.proxy.type', 1)
    .setPreference('network.proxy.http', '127.0.0.1')
    .setPreference('network.proxy.http_port', proxy.port)
    .setPreference('network.proxy.ssl', '127.0.0.1')
    .setPreference('network.proxy.ssl_port', proxy.port)
    .setPreference('network.proxy.no_proxies_on', '')
    .setPreference('extensions.webextensions.uuids', JSON.stringify({ [GECKO_ID]: EXTENSION_UUID }))
    // The clipboard API without a user gesture, as Chromium's granted clipboard permission gives.
    .setPreference('dom.events.testing.asyncClipboard', true)
    .setPreference('dom.events.asyncClipboard.readText', true)
    // Full-resolution clocks for the benchmark's in-page timings (Firefox rounds them by default).
    .setPreference('privacy.reduceTimerPrecision', false);
  options.setAcceptInsecureCerts(true);
  // Force-installed add-ons must be signed unless this is off (Firefox ESR honours it).
  if (enterprise) options.setPreference('xpinstall.signatures.required', false);
  // geckodriver passes --remote-allow-system-access to Firefox (the privileged context of stopBackground).
  const service = new firefox.ServiceBuilder(GECKODRIVER).addArguments('--allow-system-access');
  let driver;
  const admin = enterprise ? await startEnterprise(enterprise) : null;
  try {
    // Firefox reads policies.json once, at start-up: the file is removed again as soon as it runs.
    if (admin) await admin.writePolicies();
    try {
      driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
    } finally {
      if (admin) await admin.removePolicies();
    }
  } catch (e) {
    await proxy.close();
    await admin?.close();
    throw e;
  }
  const caps = await driver.getCapabilities();
  const version = caps.get('browserVersion');
  let current = await driver.getWindowHandle();
  const blank = current; // the first tab: kept, so closing the last page never ends the session

  const use = async (handle) => {
    if (current !== handle) {
      await driver.switchTo().window(handle);
      current = handle;
    }
  };
  const newTab = async (url) => {
    await driver.switchTo().newWindow('tab');
    current = await driver.getWindowHandle();
    await driver.get(url);
    return current;
  };

  class FirefoxPage {
    constructor(handle, hasContentScript) {
      this.handle = handle;
      this.hasContentScript = hasContentScript;
    }

    async evaluate(fn, arg) {
      await use(this.handle);
      return driver.executeScript(callScript(fn), arg ?? null);
    }

    async waitFor(fn, arg, timeout = 8_000) {
      const end = Date.now() + timeout;
      for (;;) {
        const v = await this.evaluate(fn, arg).catch(() => undefined);
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${String(fn).slice(0, 120)}`);
        await sleep(25);
      }
    }

    async ext(name, arg) {
      if (!this.hasContentScript) throw new Error('this page has no content script');
      await use(this.handle);
      let reply = JSON.parse(
        await driver.executeScript(
          `if (typeof window.__promptwardenProbe !== 'function') return JSON.stringify({ error: 'the probe channel is not in this page (is target/e2e/firefox loaded?)' });
           return window.__promptwardenProbe(arguments[0], arguments[1]);`,
          name,
          JSON.stringify(arg ?? null),
        ),
      );
      const end = Date.now() + 60_000;
      while ('pending' in reply) {
        if (Date.now() > end) throw new Error(`content probe "${name}" did not settle within 60 s`);
        await sleep(5);
        reply = JSON.parse(await driver.executeScript('return window.__promptwardenProbeResult(arguments[0]);', reply.pending));
      }
      if ('error' in reply) throw new Error(reply.error);
      return reply.value;
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
        await sleep(25);
      }
    }

    async click(selector) {
      await use(this.handle);
      await driver.findElement(By.css(selector)).click();
    }

    async type(text, { delay = 0 } = {}) {
      await use(this.handle);
      const actions = driver.actions();
      for (const ch of text) {
        actions.sendKeys(ch === '\n' ? Key.ENTER : ch);
        if (delay) actions.pause(delay);
      }
      await actions.perform();
    }

    async press(combo) {
      await use(this.handle);
      const parts = combo.split('+');
      const keys = parts.map((p) => {
        const k = key(p);
        if (k === null) throw new Error(`the Firefox driver does not know the key "${p}"`);
        return k;
      });
      const actions = driver.actions();
      for (const k of keys) actions.keyDown(k);
      for (const k of keys.reverse()) actions.keyUp(k);
      await actions.perform();
    }

    /** Text arriving the way a paste or an input method delivers it: one insertText edit. */
    async insertText(text) {
      await use(this.handle);
      await driver.executeScript("document.execCommand('insertText', false, arguments[0]);", text);
    }

    async paste(text) {
      await this.evaluate((t) => navigator.clipboard.writeText(t), text);
      await this.press('Control+v');
    }

    async composeIme() {
      throw new Error('WebDriver has no command that composes text through an input method in Firefox');
    }

    async count(selector) {
      await use(this.handle);
      return (await driver.findElements(By.css(selector))).length;
    }

    async text(selector) {
      await use(this.handle);
      return driver.findElement(By.css(selector)).getText();
    }

    /** Firefox screenshots are of the whole viewport, under target/e2e-screenshots/firefox/. */
    async screenshot(name) {
      await use(this.handle);
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      fs.writeFileSync(path.join(SCREENSHOTS, name), Buffer.from(await driver.takeScreenshot(), 'base64'));
    }

    async close() {
      await use(this.handle);
      await driver.close();
      await driver.switchTo().window(blank);
      current = blank;
    }
  }

  try {
    const base = `moz-extension://${EXTENSION_UUID}/`;
    let workerTab;
    if (admin?.forceInstall) {
      // Force-installed from policies.json: wait until the add-on's pages load.
      workerTab = await newTab('about:blank');
      const end = Date.now() + 30_000;
      for (;;) {
        await driver.get(`${base}popup/popup.html`).catch(() => {});
        const up = await driver.executeScript("return typeof browser !== 'undefined' && !!browser.runtime?.id;").catch(() => false);
        if (up) break;
        if (Date.now() > end) throw new Error('the add-on was not force-installed from policies.json within 30 s');
        await sleep(250);
      }
    } else {
      const id = await driver.installAddon(E2E_EXTENSION, true);
      if (id !== GECKO_ID) throw new Error(`installed add-on id ${id}, expected ${GECKO_ID}`);
      // A blank page of the add-on, for reaching the background page.
      workerTab = await newTab(`${base}e2e/blank.html`);
    }
    const workerCall = async (fn, arg) => {
      await use(workerTab);
      return driver.executeScript(
        `const arg = arguments[0];
         return (async () => {
           const bg = await browser.runtime.getBackgroundPage();
           if (!bg?.__promptwarden) throw new Error('the background page has no test handle');
           await bg.__promptwarden.ready;
           return (${fn})(bg.__promptwarden, arg);
         })();`,
        arg ?? null,
      );
    };
    await workerCall(() => true);

    return {
      name: 'firefox',
      version,
      extensionBase: base,
      raw: { driver },

      /** The force-install's server (enterprise only): how often the XPI was fetched. */
      enterprise: admin ? { xpiFetches: () => admin.fetches } : null,

      async openChat() {
        const handle = await newTab(site.url);
        // The shipped build (force-installed) has no probe channel: only the page and the backend are observable.
        const probes = !admin?.forceInstall;
        const p = new FirefoxPage(handle, probes);
        await p.waitFor(() => window.__site?.ready === true);
        if (probes) await p.waitExt('attached');
        return p;
      },

      async openExtensionPage(file) {
        return new FirefoxPage(await newTab(`${base}${file}`), false);
      },

      worker: workerCall,

      /** Suspends the background page as Firefox does when idle (about:debugging's "Terminate"). */
      async stopBackground() {
        await driver.setContext(firefox.Context.CHROME);
        try {
          await driver.executeScript(
            `return WebExtensionPolicy.getByID(arguments[0]).extension
               .terminateBackground({ ignoreDevToolsAttached: true, disableResetIdleForTest: true }).then(() => true);`,
            GECKO_ID,
          );
        } finally {
          await driver.setContext(firefox.Context.CONTENT);
        }
      },

      async close() {
        await driver.quit().catch(() => {});
        await proxy.close();
        await admin?.close();
      },
    };
  } catch (e) {
    await driver.quit().catch(() => {});
    await proxy.close();
    await admin?.close();
    throw e;
  }
}

export const POLICIES_FILE = path.join(path.dirname(fs.realpathSync(FIREFOX)), 'distribution/policies.json');
const POLICIES_LOCK = path.join(os.tmpdir(), 'promptwarden-firefox-policies.lock');

/**
 * The administrator's side: a policies.json with managed configuration for the add-on
 * (3rdparty.Extensions; `managed` may be a function, called at start) and, unless `forceInstall` is
 * false, a force-install (ExtensionSettings) of the shipped XPI (dist/promptwarden-<version>-firefox.xpi)
 * served over HTTP on 127.0.0.1. With `forceInstall: false` the e2e build is installed as usual (probes
 * work) and only reads the managed configuration. policies.json is machine-wide, so it is written under
 * a lock, only for the moments Firefox starts, and any file that was there is put back. Firefox reads it
 * once at start-up: a policy change needs a new browser.
 */
async function startEnterprise({ managed = {}, forceInstall = true } = {}) {
  // A function: the configuration is only known once the test's servers run.
  const config = typeof managed === 'function' ? await managed() : managed;
  const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist/firefox/manifest.json'), 'utf8')).version;
  const xpi = path.join(ROOT, `dist/promptwarden-${version}-firefox.xpi`);
  if (!fs.existsSync(xpi)) throw new Error(`${path.relative(ROOT, xpi)} is missing: run ./build.sh first`);
  const bytes = fs.readFileSync(xpi);
  const state = { fetches: 0 };
  const server = http.createServer((req, res) => {
    if (req.url !== '/promptwarden.xpi') return res.writeHead(404).end();
    state.fetches++;
    res.writeHead(200, { 'content-type': 'application/x-xpinstall', 'content-length': bytes.length }).end(bytes);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The administrator's sample (policy/examples/firefox-policies.json), with the test's XPI address and
  // managed configuration in place of the sample's placeholders.
  const sample = JSON.parse(fs.readFileSync(path.join(ROOT, 'policy/examples/firefox-policies.json'), 'utf8')).policies;
  const install = sample.ExtensionSettings?.[GECKO_ID];
  if (!install || !sample['3rdparty']?.Extensions?.[GECKO_ID]) {
    throw new Error(`policy/examples/firefox-policies.json no longer configures ${GECKO_ID}`);
  }
  const policies = {
    policies: {
      ...(forceInstall && {
        ExtensionSettings: {
          [GECKO_ID]: { ...install, install_url: `http://127.0.0.1:${server.address().port}/promptwarden.xpi` },
        },
      }),
      '3rdparty': { Extensions: { [GECKO_ID]: config } },
    },
  };
  let previous = null;
  let locked = false;
  return {
    forceInstall,
    get fetches() {
      return state.fetches;
    },
    async writePolicies() {
      for (const end = Date.now() + 60_000; ; ) {
        try {
          fs.mkdirSync(POLICIES_LOCK);
          locked = true;
          break;
        } catch (e) {
          if (e.code !== 'EEXIST') throw e;
          // A lock left by a run that died (policies are only written for seconds).
          if (Date.now() - fs.statSync(POLICIES_LOCK).mtimeMs > 5 * 60_000) fs.rmSync(POLICIES_LOCK, { recursive: true, force: true });
          if (Date.now() > end) throw new Error(`${POLICIES_LOCK} is held by another test run`);
          await sleep(200);
        }
      }
      previous = fs.existsSync(POLICIES_FILE) ? fs.readFileSync(POLICIES_FILE) : null;
      fs.mkdirSync(path.dirname(POLICIES_FILE), { recursive: true });
      fs.writeFileSync(POLICIES_FILE, JSON.stringify(policies, null, 2));
    },
    async removePolicies() {
      if (!locked) return;
      if (previous) fs.writeFileSync(POLICIES_FILE, previous);
      else fs.rmSync(POLICIES_FILE, { force: true });
      fs.rmSync(POLICIES_LOCK, { recursive: true, force: true });
      locked = false;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
