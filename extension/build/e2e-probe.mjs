// Bundles the Firefox e2e build's probe channel (tests/e2e/ext/probe-channel.mjs, which compiles in
// tests/e2e/probes.mjs) into one content script. Used by build.mjs, and by the Firefox e2e driver to
// refresh it when a scenario author has added a probe since the last ./build.sh.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PROBE_SOURCES = ['tests/e2e/ext/probe-channel.mjs', 'tests/e2e/probes.mjs'].map((p) => path.join(ROOT, p));

export function buildProbeChannel(outfile) {
  return esbuild.build({
    entryPoints: [PROBE_SOURCES[0]],
    outfile,
    bundle: true,
    format: 'iife',
    target: ['firefox128'],
    legalComments: 'none',
    logLevel: 'warning',
  });
}
