// Starts Debian's Chromium (playwright-core, no downloaded browser) pointed at a running site.
//
// The three real host names are mapped to the local server with
// --host-resolver-rules, and its self-signed certificate is trusted by SPKI pin
// (--ignore-certificate-errors-spki-list). That is a browser-level trust
// decision, so it also holds for extension service workers and other contexts
// Playwright's per-context `ignoreHTTPSErrors` does not reach; any other
// certificate error still fails. A persistent context (own temporary profile) is
// used because it is also how an unpacked extension gets loaded.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Quiet, deterministic browser: no background traffic that could be mistaken for a leak.
export const BASE_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * Returns {context, close()}. Options: extensionPath (unpacked extension dir),
 * headless (default true), args (extra flags), viewport.
 */
export async function launchChromium(site, { extensionPath, headless = true, args = [],
  viewport = { width: 1280, height: 800 } } = {}) {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-site-'));
  const ext = extensionPath ? [`--disable-extensions-except=${extensionPath}`, `--load-extension=${extensionPath}`] : [];
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless,
      viewport,
      args: [...BASE_ARGS, ...site.chromiumArgs, ...ext, ...args],
      timeout: 30_000,
    });
  } catch (e) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    context,
    async close() {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
