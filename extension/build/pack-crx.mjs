// Packs the Chrome build (dist/chrome) into a signed CRX3 for self-hosted force-install
// (ExtensionInstallForcelist pointing at an update manifest), and writes that update manifest.
//
// The design decision to know: the CRX is signed by Chromium itself (`--pack-extension`), not by code
// of ours, and the extension id is the one the key gives (sha256 of the public key, first 32 hex
// digits mapped to a–p). The manifest's `key` is removed from the packed copy: the CRX header carries
// the public key, and a `key` that belongs to another key pair would make Chrome refuse the package.
// The release key is kept out of git; tests generate a throwaway key.
//
//   node extension/build/pack-crx.mjs --key KEY.pem [--src dist/chrome] [--out DIR]
//        [--codebase https://example.com/promptwarden.crx]     (also writes DIR/updates.xml)
//   node extension/build/pack-crx.mjs --new-key KEY.pem          (writes a new 2048-bit RSA key)
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** A new RSA key in PKCS#8 PEM, the kind `chromium --pack-extension` writes and reads. */
export function generateKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return privateKey.export({ type: 'pkcs8', format: 'pem' });
}

/** The extension id a key gives: sha256(DER public key), first 32 hex digits as a–p. */
export function extensionId(pem) {
  const der = crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' });
  const hex = crypto.createHash('sha256').update(der).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + Number.parseInt(c, 16))).join('');
}

/** The manifest `key` value (base64 DER public key) that gives an unpacked copy the same id. */
export function manifestKey(pem) {
  return crypto.createPublicKey(pem).export({ type: 'spki', format: 'der' }).toString('base64');
}

/** A gupdate update manifest, as Chrome's extension updater reads it. */
export function updateManifest({ id, version, codebase }) {
  const attr = (s) => String(s).replace(/&/g, '&amp;').replace(/'/g, '&apos;').replace(/</g, '&lt;');
  return `<?xml version='1.0' encoding='UTF-8'?>
<gupdate xmlns='http://www.google.com/update2/response' protocol='2.0'>
  <app appid='${attr(id)}'>
    <updatecheck codebase='${attr(codebase)}' version='${attr(version)}' />
  </app>
</gupdate>
`;
}

/**
 * Packs `src` (an unpacked Chrome build) with `keyFile` into `outDir/promptwarden-<version>.crx`.
 * Returns `{ crx, id, version }`.
 */
export function packCrx({ src = path.join(ROOT, 'dist/chrome'), keyFile, outDir = path.join(ROOT, 'dist') }) {
  if (!fs.existsSync(path.join(src, 'manifest.json'))) throw new Error(`${src}/manifest.json is missing: run ./build.sh first`);
  if (!keyFile || !fs.existsSync(keyFile)) throw new Error(`the signing key ${keyFile ?? '(none)'} does not exist: pass --key KEY.pem (or make one with --new-key KEY.pem)`);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: Chromium packs the CRX (apt-get install chromium, or set CHROMIUM)`);
  const pem = fs.readFileSync(keyFile, 'utf8');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'promptwarden-crx-'));
  try {
    const dir = path.join(work, 'promptwarden');
    fs.cpSync(src, dir, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    delete manifest.key;
    fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    execFileSync(
      CHROMIUM,
      ['--headless', '--no-sandbox', `--user-data-dir=${path.join(work, 'profile')}`, `--pack-extension=${dir}`, `--pack-extension-key=${path.resolve(keyFile)}`],
      { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 },
    );
    const packed = `${dir}.crx`;
    if (!fs.existsSync(packed)) throw new Error('chromium --pack-extension wrote no .crx');
    fs.mkdirSync(outDir, { recursive: true });
    const crx = path.join(outDir, `promptwarden-${manifest.version}.crx`);
    fs.copyFileSync(packed, crx);
    return { crx, id: extensionId(pem), version: manifest.version };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  try {
    const newKey = arg('--new-key');
    if (newKey) {
      fs.writeFileSync(newKey, generateKey(), { mode: 0o600 });
      console.log(`wrote ${newKey} (extension id ${extensionId(fs.readFileSync(newKey, 'utf8'))}); keep it secret and out of git`);
    } else {
      const outDir = arg('--out') ?? path.join(ROOT, 'dist');
      const { crx, id, version } = packCrx({ src: arg('--src'), keyFile: arg('--key'), outDir });
      console.log(`packed ${path.relative(process.cwd(), crx)}: id ${id}, version ${version}`);
      const codebase = arg('--codebase');
      if (codebase) {
        fs.writeFileSync(path.join(outDir, 'updates.xml'), updateManifest({ id, version, codebase }));
        console.log(`wrote ${path.relative(process.cwd(), path.join(outDir, 'updates.xml'))} (codebase ${codebase})`);
      }
    }
  } catch (e) {
    console.error(`pack-crx: ${e.message}`);
    process.exit(1);
  }
}
