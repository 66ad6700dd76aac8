// Where the engine's inputs come from. Today: the built-in packs the build bundles as
// `rules/builtin.json` (rule files converted to JSON, examples dropped) and the engine's default
// policy. Administrator bundles and managed policy will be further sources in front of these.

import type { EngineInputs, RuleSource } from './engine';

/** Path of the bundled rule packs inside the extension. */
export const BUILTIN_RULES_PATH = 'rules/builtin.json';
const MAX_FILES = 64;

/** `{version, files: [{source, text}]}`, as extension/build/pack-rules.py writes it. */
export function parseRuleBundle(json: unknown): { version: string; files: RuleSource[] } {
  const bundle = json as { version?: unknown; files?: unknown };
  if (typeof bundle?.version !== 'string' || !Array.isArray(bundle.files) || bundle.files.length > MAX_FILES) {
    throw new Error(`${BUILTIN_RULES_PATH}: expected {version, files: [{source, text}]}`);
  }
  const files = bundle.files.map((f: { source?: unknown; text?: unknown }, i: number) => {
    if (typeof f?.source !== 'string' || typeof f?.text !== 'string') {
      throw new Error(`${BUILTIN_RULES_PATH}: file #${i + 1} needs a string source and text`);
    }
    return { source: f.source, text: f.text };
  });
  return { version: bundle.version, files };
}

/** The built-in rules, read from the extension package. */
export async function builtinInputs(url: string): Promise<EngineInputs> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${BUILTIN_RULES_PATH}: HTTP ${response.status}`);
  const bundle = parseRuleBundle(await response.json());
  return { label: `built-in ${bundle.version}`, rules: bundle.files };
}
