// Bundles the fake ChatGPT page (app/) into www/ with esbuild.
//
//   node tests/site/build.mjs          build now
//   ensureBuilt()                      build only if www/ is missing or older than its sources
//
// The page is one classic IIFE script (no modules, no inline code) so it runs
// under the site's `script-src 'self'` policy, like the real app's bundles.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const SITE_DIR = path.dirname(fileURLToPath(import.meta.url));
export const APP_DIR = path.join(SITE_DIR, 'app');
export const WWW_DIR = path.join(SITE_DIR, 'www');
const STAMP = '.built';
// Sources beyond app/: this script, and the lock file (a ProseMirror upgrade must rebuild).
const EXTRA_INPUTS = [fileURLToPath(import.meta.url), path.join(SITE_DIR, '..', '..', 'package-lock.json')];

function newestMtime(p) {
  let st;
  try { st = fs.statSync(p); } catch { return 0; }
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((n) => newestMtime(path.join(p, n))));
}

export function isStale(outDir = WWW_DIR) {
  const built = newestMtime(path.join(outDir, STAMP));
  return built === 0 || Math.max(newestMtime(APP_DIR), ...EXTRA_INPUTS.map(newestMtime)) > built;
}

/** Writes a file via a temporary name and rename, so a concurrent build or server never sees half a file. */
function writeAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

export async function build(outDir = WWW_DIR) {
  fs.mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    entryPoints: [path.join(APP_DIR, 'src', 'main.js')],
    bundle: true,
    format: 'iife',
    target: ['chrome120', 'firefox115'],
    outfile: path.join(outDir, 'app.js'),
    sourcemap: 'linked',
    write: false,
    logLevel: 'warning',
  });
  for (const f of result.outputFiles) writeAtomic(f.path, f.contents);
  // Static files (index.html, app.css, favicon.svg) are copied as they are.
  for (const name of fs.readdirSync(APP_DIR)) {
    const src = path.join(APP_DIR, name);
    if (fs.statSync(src).isFile()) writeAtomic(path.join(outDir, name), fs.readFileSync(src));
  }
  writeAtomic(path.join(outDir, STAMP), new Date().toISOString());
  return outDir;
}

export async function ensureBuilt(outDir = WWW_DIR) {
  if (isStale(outDir)) await build(outDir);
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t = Date.now();
  await build();
  console.log(`built ${path.relative(process.cwd(), WWW_DIR) || WWW_DIR} in ${Date.now() - t} ms`);
}
