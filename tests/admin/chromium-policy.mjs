// Helpers for the admin-plane browser tests: a Chromium machine policy written to
// /etc/chromium/policies/managed/ for the length of a test (CI runs as root) and removed afterwards —
// also when the test fails or the process is interrupted — and Chromium launched on a given profile
// directory, so that a test can restart the browser on the same profile.
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { BASE_ARGS, CHROMIUM } from '../site/browser.mjs';

export const POLICY_DIR = '/etc/chromium/policies/managed';

const written = new Set();
const created = [];
function cleanupSync() {
  for (const file of written) fs.rmSync(file, { force: true });
  written.clear();
  // Only the directories this process created, and only when empty.
  for (const dir of created.splice(0).reverse()) {
    try {
      fs.rmdirSync(dir);
    } catch {
      // not empty (another policy lives there) or already gone
    }
  }
}
process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}

/** Writes `policy` as `<name>.json`; returns a function that removes it (and the dirs it created). */
export function writeChromiumPolicy(name, policy) {
  if (process.getuid?.() !== 0) throw new Error(`writing ${POLICY_DIR} needs root (CI runs as root)`);
  for (let dir = POLICY_DIR, chain = []; ; dir = path.dirname(dir)) {
    if (fs.existsSync(dir)) {
      for (const d of chain.reverse()) {
        fs.mkdirSync(d);
        created.push(d);
      }
      break;
    }
    chain.push(dir);
  }
  const file = path.join(POLICY_DIR, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(policy, null, 2));
  written.add(file);
  return () => {
    fs.rmSync(file, { force: true });
    written.delete(file);
    if (!written.size) cleanupSync();
  };
}

/** The id Chromium gives an unpacked extension whose manifest has `key` (base64 DER public key). */
export async function unpackedId(manifestPath) {
  const { createHash } = await import('node:crypto');
  const key = JSON.parse(fs.readFileSync(manifestPath, 'utf8')).key;
  if (!key) throw new Error(`${manifestPath} has no "key": the unpacked id would be random`);
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

/**
 * Chromium on `userDataDir` (kept: pass the same dir again to restart on the same profile).
 * `extensionPath` loads an unpacked extension; `backgroundNetworking` keeps the extension updater on
 * (force-install needs it: Playwright's default flags switch it and extensions off).
 */
export async function launchProfile({ site, userDataDir, extensionPath, backgroundNetworking = false }) {
  const ext = extensionPath ? [`--disable-extensions-except=${extensionPath}`, `--load-extension=${extensionPath}`] : [];
  const base = backgroundNetworking ? BASE_ARGS.filter((a) => a !== '--disable-background-networking') : BASE_ARGS;
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...base, ...(site?.chromiumArgs ?? []), ...ext],
    ...(backgroundNetworking ? { ignoreDefaultArgs: ['--disable-extensions', '--disable-background-networking'] } : {}),
    timeout: 30_000,
  });
}
