// Assembles the installable extension for Chrome (dist/chrome/ + .zip) and Firefox (dist/firefox/ +
// .xpi) from the root manifest.json, the TypeScript sources (bundled by esbuild), the engine's
// WebAssembly (built by ./build.sh into target/wasm-pkg/) and the built-in rule packs.
//
//   node extension/build/build.mjs            (./build.sh runs it after building the wasm)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { buildProbeChannel } from './e2e-probe.mjs';
import { ICON_SIZES, iconPng } from './icons.mjs';
import { chromeManifest, E2E_PROBE_SCRIPT, firefoxE2eManifest, firefoxManifest } from './manifests.mjs';
import { writeZip } from './zip.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = path.join(ROOT, 'extension/src');
// The detector alone (loaded at start) and the full module with file extraction and bundle
// verification (loaded on first use): see build.sh build_wasm.
const PKG = path.join(ROOT, 'target/wasm-pkg-engine');
const FILES_PKG = path.join(ROOT, 'target/wasm-pkg');
const DIST = path.join(ROOT, 'dist');

const GLUE = path.join(PKG, 'warden_wasm.js');
const WASM = path.join(PKG, 'warden_wasm_bg.wasm');
const FILES_GLUE = path.join(FILES_PKG, 'warden_wasm.js');
const FILES_WASM = path.join(FILES_PKG, 'warden_wasm_bg.wasm');
for (const f of [GLUE, WASM, FILES_GLUE, FILES_WASM]) {
  if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run ./build.sh (it builds the wasm first)`);
}

const source = JSON.parse(fs.readFileSync(path.join(ROOT, 'manifest.json'), 'utf8'));
const stage = path.join(DIST, 'chrome');
fs.rmSync(stage, { recursive: true, force: true });
fs.mkdirSync(stage, { recursive: true });

// --- scripts ----------------------------------------------------------------------------------
const common = {
  bundle: true,
  target: ['chrome120', 'firefox128'],
  minify: false, // readable code for store review and for users who want to check what runs
  legalComments: 'none',
  logLevel: 'warning',
  alias: { 'warden-wasm-glue': GLUE, 'warden-wasm-files-glue': FILES_GLUE },
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: [path.join(SRC, 'background/main.ts')], outfile: path.join(stage, 'background.js'), format: 'esm' }),
  esbuild.build({ ...common, entryPoints: [path.join(SRC, 'content/main.ts')], outfile: path.join(stage, 'content.js'), format: 'iife' }),
  esbuild.build({ ...common, entryPoints: [path.join(SRC, 'page/main.ts')], outfile: path.join(stage, 'page-guard.js'), format: 'iife' }),
  esbuild.build({ ...common, entryPoints: [path.join(SRC, 'popup/main.ts')], outfile: path.join(stage, 'popup/popup.js'), format: 'iife' }),
  esbuild.build({ ...common, entryPoints: [path.join(SRC, 'options/main.ts')], outfile: path.join(stage, 'options/options.js'), format: 'iife' }),
]);

// --- static files -----------------------------------------------------------------------------
const copy = (from, to) => {
  fs.mkdirSync(path.dirname(path.join(stage, to)), { recursive: true });
  fs.copyFileSync(path.join(SRC, from), path.join(stage, to));
};
copy('content/content.css', 'content.css');
for (const page of ['popup', 'options']) {
  for (const ext of ['html', 'css']) copy(`${page}/${page}.${ext}`, `${page}/${page}.${ext}`);
}
fs.copyFileSync(WASM, path.join(stage, 'warden.wasm'));
fs.copyFileSync(FILES_WASM, path.join(stage, 'warden-files.wasm'));
fs.copyFileSync(path.join(ROOT, 'policy/managed_schema.json'), path.join(stage, 'managed_schema.json'));
fs.mkdirSync(path.join(stage, 'icons'));
for (const size of ICON_SIZES) fs.writeFileSync(path.join(stage, `icons/icon-${size}.png`), iconPng(size));
execFileSync('python3', [path.join(ROOT, 'extension/build/pack-rules.py'), ROOT, source.version, path.join(stage, 'rules/builtin.json')], {
  stdio: 'inherit',
});

// --- per-browser manifests and packages -------------------------------------------------------
const firefox = path.join(DIST, 'firefox');
fs.rmSync(firefox, { recursive: true, force: true });
fs.cpSync(stage, firefox, { recursive: true });
fs.writeFileSync(path.join(stage, 'manifest.json'), `${JSON.stringify(chromeManifest(source), null, 2)}\n`);
fs.writeFileSync(path.join(firefox, 'manifest.json'), `${JSON.stringify(firefoxManifest(source), null, 2)}\n`);

// The Firefox end-to-end build (target/e2e/firefox, not shipped): dist/firefox plus the probe channel
// that lets WebDriver read the content script's state (Firefox has no DevTools-protocol handle on it)
// and a blank extension page for reaching the background page. See tests/e2e/README.md.
const e2e = path.join(ROOT, 'target/e2e/firefox');
fs.rmSync(e2e, { recursive: true, force: true });
fs.cpSync(firefox, e2e, { recursive: true });
await buildProbeChannel(path.join(e2e, E2E_PROBE_SCRIPT));
fs.mkdirSync(path.join(e2e, 'e2e'));
fs.writeFileSync(path.join(e2e, 'e2e/blank.html'), '<!doctype html><meta charset="utf-8"><title>PromptWarden e2e</title>\n');
fs.writeFileSync(path.join(e2e, 'manifest.json'), `${JSON.stringify(firefoxE2eManifest(firefoxManifest(source)), null, 2)}\n`);

const zip = path.join(DIST, `promptwarden-${source.version}-chrome.zip`);
const xpi = path.join(DIST, `promptwarden-${source.version}-firefox.xpi`);
writeZip(stage, zip);
writeZip(firefox, xpi);

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const wasmBytes = fs.readFileSync(WASM);
console.log(`built ${path.relative(ROOT, stage)}/ and ${path.relative(ROOT, firefox)}/ (and the Firefox e2e build ${path.relative(ROOT, e2e)}/)`);
console.log(`  ${path.relative(ROOT, zip)} (${kb(fs.statSync(zip).size)}), ${path.relative(ROOT, xpi)} (${kb(fs.statSync(xpi).size)})`);
const filesBytes = fs.readFileSync(FILES_WASM);
console.log(`  warden.wasm ${kb(wasmBytes.length)}, gzipped ${kb(zlib.gzipSync(wasmBytes, { level: 9 }).length)} (loaded at start)`);
console.log(`  warden-files.wasm ${kb(filesBytes.length)}, gzipped ${kb(zlib.gzipSync(filesBytes, { level: 9 }).length)} (loaded on the first upload or rule bundle)`);
