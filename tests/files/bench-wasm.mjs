// Times detector.scanFile on files in the WebAssembly build under Node (target/wasm-pkg, made by
// `./build.sh build`), with the built-in packs: `node tests/files/bench-wasm.mjs FILE…`.
// The in-browser figure is measured by the extension's browser benchmark; this is the engine alone.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = join(root, 'target', 'wasm-pkg');
const { default: init, Detector } = await import(join(pkg, 'warden_wasm.js'));
await init({ module_or_path: readFileSync(join(pkg, 'warden_wasm_bg.wasm')) });

// The built-in packs as the extension ships them (dist/chrome/rules/builtin.json, made by the build).
const { files: rules } = JSON.parse(readFileSync(join(root, 'dist', 'chrome', 'rules', 'builtin.json'), 'utf8'));
const detector = new Detector({ rules });

for (const path of process.argv.slice(2)) {
  const bytes = new Uint8Array(readFileSync(path));
  let best = Infinity;
  let report;
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    report = detector.scanFile(bytes, path, { maxBytes: 50e6 });
    best = Math.min(best, performance.now() - start);
  }
  console.log(
    `${path}: ${(bytes.length / 1e6).toFixed(1)} MB file, ${(report.textBytes / 1e6).toFixed(1)} MB text, ` +
      `${report.findings.length} findings, inspectable ${report.inspectable}; scanFile ${best.toFixed(0)} ms`,
  );
}
