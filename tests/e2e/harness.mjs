// Shared pieces of the extension's end-to-end tests: the planted values, request predicates, and the
// Chromium-side handle on the content script's isolated world (through the DevTools protocol).
// Scenarios are written with lib/scenarios.mjs so they run in Chromium and Firefox (see README.md);
// `start` / `openChat` below are the older Chromium-only entry points, kept for scripts that use them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../site/browser.mjs';
import { startSite } from '../site/server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const EXTENSION = path.join(ROOT, 'dist/chrome');
export const SCREENSHOTS = path.join(ROOT, 'docs/screenshots');

/** Values of every guarded category that the built-in rules find at high confidence. */
export const PLANTED = {
  secret: 'AKIALFSXTTB3WE6OMXXU', // AWS access key id (block)
  financial: '4104 3321 8196 0018', // payment card, Luhn-valid (mask)
  pii: 'maria.gonzalez@acme-corp.com', // email (warn)
};

export async function start({ viewport } = {}) {
  if (!fs.existsSync(path.join(EXTENSION, 'manifest.json'))) {
    throw new Error('dist/chrome is missing: run ./build.sh first');
  }
  const site = await startSite();
  const browser = await launchChromium(site, { extensionPath: EXTENSION, ...(viewport ? { viewport } : {}) });
  const worker = browser.context.serviceWorkers()[0] ?? (await browser.context.waitForEvent('serviceworker'));
  await worker.evaluate(() => globalThis.__promptwarden.ready);
  return { site, browser, worker, close: async () => (await browser.close(), await site.close()) };
}

/** A fresh chat page with the extension's content script running and attached to the composer. */
export async function openChat(env) {
  const page = await env.browser.context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(env.site.url);
  await page.waitForFunction(() => window.__site?.ready === true);
  const world = await contentWorld(page);
  await world.waitFor(() => globalThis.__promptwarden?.typing.attached !== null);
  return { page, world };
}

/** The extension's isolated world in the page's main frame. */
export async function contentWorld(page) {
  const cdp = await page.context().newCDPSession(page);
  const contexts = new Map();
  cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.set(context.id, context));
  cdp.on('Runtime.executionContextDestroyed', ({ executionContextId }) => contexts.delete(executionContextId));
  await cdp.send('Runtime.enable');
  const find = () =>
    [...contexts.values()].find((c) => c.auxData?.type === 'isolated' && c.name === 'PromptWarden' && c.auxData?.isDefault === false);
  for (let i = 0; i < 100 && !find(); i++) await new Promise((r) => setTimeout(r, 50));
  const evaluate = async (fn, arg) => {
    const ctx = find();
    if (!ctx) throw new Error('the content script world was not found');
    const expression = `(${fn})(${JSON.stringify(arg ?? null)})`;
    const r = await cdp.send('Runtime.evaluate', { expression, contextId: ctx.id, awaitPromise: true, returnByValue: true });
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value;
  };
  const waitFor = async (fn, arg, timeout = 8_000) => {
    const end = Date.now() + timeout;
    for (;;) {
      const v = await evaluate(fn, arg).catch(() => undefined);
      if (v) return v;
      if (Date.now() > end) throw new Error(`timed out waiting for ${String(fn).slice(0, 120)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  return { evaluate, waitFor, cdp };
}

/** Texts of the open card's parts, or null. */
export function cardState(world) {
  return world.evaluate(() => {
    const node = globalThis.__promptwarden.card.node;
    if (!node) return null;
    return {
      mode: globalThis.__promptwarden.card.mode,
      title: node.querySelector('h2')?.textContent,
      items: [...node.querySelectorAll('li')].map((li) => li.querySelector('.name')?.textContent),
      buttons: [...node.querySelectorAll('footer button')].map((b) => b.textContent),
      notice: node.querySelector('.notice')?.textContent ?? null,
      focused: node.getRootNode().activeElement?.textContent ?? null,
    };
  });
}

/** Clicks a button of the open card by its text (in the footer unless `item` names a finding). */
export function clickCard(world, label, item) {
  return world.evaluate(
    ({ label, item }) => {
      const node = globalThis.__promptwarden.card.node;
      const scope = item ? [...node.querySelectorAll('li')].find((li) => li.textContent.includes(item)) : node;
      const b = [...(scope?.querySelectorAll('button') ?? [])].find((x) => x.textContent === label);
      if (!b) throw new Error(`no "${label}" button in the card`);
      b.click();
      return true;
    },
    { label, item },
  );
}

/** Names of the highlights painted on the page, with their range counts. */
export function highlights(page) {
  return page.evaluate(() => Object.fromEntries([...CSS.highlights.keys()].map((k) => [k, CSS.highlights.get(k).size])));
}

export const isPrepare = (r) => r.method === 'POST' && r.path === '/backend-api/f/conversation/prepare';
export const isSend = (r) => r.method === 'POST' && (r.path === '/backend-api/f/conversation' || r.path === '/backend-api/conversation');
