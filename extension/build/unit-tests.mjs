// Runs the TypeScript unit tests (`*.test.ts` beside each module) with node's own test runner.
//
// Node 20 cannot run TypeScript, so each test file is bundled with esbuild into target/ts-test/
// (same relative path, .test.mjs) and the bundles are handed to `node --test`. Type checking is
// `tsc --noEmit`'s job, not this script's.
//
//   node extension/build/unit-tests.mjs [filter]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = path.join(ROOT, 'extension');
const OUT = path.join(ROOT, 'target/ts-test');

function testFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

const filter = process.argv[2] ?? '';
const files = testFiles(SRC).filter((f) => f.includes(filter)).sort();
if (!files.length) {
  console.error(`no *.test.ts files under ${SRC}${filter ? ` matching "${filter}"` : ''}`);
  process.exit(1);
}
fs.rmSync(OUT, { recursive: true, force: true });
const outFiles = files.map((f) => path.join(OUT, path.relative(SRC, f).replace(/\.ts$/, '.mjs')));
await Promise.all(
  files.map((f, i) =>
    esbuild.build({
      entryPoints: [f],
      outfile: outFiles[i],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      sourcemap: 'inline',
      logLevel: 'warning',
      // Tests that load the real engine find its files relative to the repository.
      define: { 'process.env.PROMPTWARDEN_ROOT': JSON.stringify(ROOT) },
    }),
  ),
);
const run = spawnSync(process.execPath, ['--enable-source-maps', '--test', ...outFiles], { stdio: 'inherit' });
process.exit(run.status ?? 1);
