// One scenario list, two browsers. A scenario file declares its scenarios once with `scenarios(...)`;
// this registers them with node:test once per browser (Chromium, Firefox ESR), each browser with its
// own fixture site and a browser started for the file. A scenario may be skipped in one browser only
// with a reason (`skip: { firefox: 'why' }`), which node:test prints as `# SKIP firefox: why`.
//
//   E2E_BROWSERS=chromium node --test tests/e2e/     runs one browser only (default: both)
import { after, afterEach, before, describe, test } from 'node:test';
import { startSite } from '../../site/server.mjs';
import { startChromium } from '../drivers/chromium.mjs';
import { startFirefox } from '../drivers/firefox.mjs';

export const BROWSERS = ['chromium', 'firefox'];
const STARTERS = { chromium: startChromium, firefox: startFirefox };

/** The browsers this run covers (E2E_BROWSERS, comma-separated; default all). */
export function selectedBrowsers() {
  const wanted = (process.env.E2E_BROWSERS ?? BROWSERS.join(',')).split(',').map((s) => s.trim()).filter(Boolean);
  for (const b of wanted) {
    if (!BROWSERS.includes(b)) throw new Error(`E2E_BROWSERS names "${b}"; the browsers are ${BROWSERS.join(', ')}`);
  }
  return wanted;
}

/** Starts the fixture site and one browser with the extension: the `b` every scenario receives. */
export async function startBrowser(name, { site: siteOptions, ...browserOptions } = {}) {
  const site = await startSite(siteOptions);
  try {
    const browser = await STARTERS[name](site, browserOptions);
    const pages = new Set();
    const track = (p) => {
      pages.add(p);
      const close = p.close.bind(p);
      p.close = async () => {
        pages.delete(p);
        await close().catch(() => {});
      };
      return p;
    };
    return {
      ...browser,
      site,
      openChat: async () => track(await browser.openChat()),
      openExtensionPage: async (file) => track(await browser.openExtensionPage(file)),
      /** Closes every page a scenario left open (after each scenario). */
      closePages: async () => {
        for (const p of [...pages]) await p.close();
      },
      close: async () => {
        await browser.close();
        await site.close();
      },
    };
  } catch (e) {
    await site.close();
    throw e;
  }
}

/**
 * Declares a file's scenarios. `define(scenario)` calls `scenario(name, [options], fn)` for each;
 * `fn(b)` gets the browser handle (see README.md). Options: `timeout` (ms), `skip: {browser: reason}`.
 * File options: `site` (startSite options), `viewport`, and driver-specific ones (`enterprise` for
 * Firefox: see drivers/firefox.mjs).
 */
export function scenarios(title, options, define) {
  if (typeof options === 'function') [options, define] = [{}, options];
  const list = [];
  define((name, opts, fn) => {
    if (typeof opts === 'function') [opts, fn] = [{}, opts];
    for (const browser of Object.keys(opts.skip ?? {})) {
      if (!BROWSERS.includes(browser)) throw new Error(`scenario "${name}": skip names an unknown browser "${browser}"`);
      if (typeof opts.skip[browser] !== 'string' || opts.skip[browser].length < 10) {
        throw new Error(`scenario "${name}": a skip needs a reason (a sentence), not ${JSON.stringify(opts.skip[browser])}`);
      }
    }
    list.push({ name, opts, fn });
  });

  for (const browser of selectedBrowsers()) {
    describe(`${title} [${browser}]`, () => {
      let b;
      // No browser is started for a file whose scenarios are all skipped in this browser.
      const runs = list.some(({ opts }) => !opts.skip?.[browser]);
      before(async () => {
        if (runs) b = await startBrowser(browser, options);
      }, { timeout: 120_000 });
      after(async () => b?.close());
      afterEach(async () => {
        await b?.closePages();
        b?.site.clear();
      });
      for (const { name, opts, fn } of list) {
        const reason = opts.skip?.[browser];
        test(name, { timeout: opts.timeout ?? 60_000, skip: reason ? `${browser}: ${reason}` : false }, async () => {
          b.site.clear();
          await fn(b);
        });
      }
    });
  }
}
