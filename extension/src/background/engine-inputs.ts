// Turns the rule sources and the effective policy into what the engine compiles: the rule files in
// order and the policy document `warden-core` reads (crates/warden-core/src/policy.rs).
//
// The design decision to know: the rule files are layered, later ones winning — built-in packs, then
// the administrator's bundle (or its last-known-good copy), then the policy's inline rules, then one
// file that switches off the disabled rules. The policy's own settings win over the bundle's policy
// overrides. Time-boxed exemptions become `allow` actions while they last; an exemption limited to some
// sites yields a second policy for pages on those sites (`policyFor`), which the engine compiles on
// first use.

// smol-toml (npm dependency added for this): a small, maintained TOML 1.0 parser. The wasm engine reads
// rule files as JSON only (its TOML parser is left out for size), so inline TOML rules are turned into
// that JSON form here.
import { parse as parseToml } from 'smol-toml';
import { CATEGORIES, type Category, type Confidence, type FailMode, type Policy } from '../shared/findings';
import type { EngineInputs, RuleSource } from './engine';
import {
  type ActionTable,
  type EffectivePolicy,
  type Exemption,
  matchesPattern,
  POLICY_ACTIONS,
  type PolicyAction,
} from './managed-policy';

/** A verified bundle (or its last-known-good copy) as the engine needs it. */
export interface BundleRules {
  version: number;
  rules: RuleSource[];
  /** Policy overrides signed into the bundle (the engine's policy document; see `bundleOverrides`). */
  policy: Record<string, unknown> | null;
  disabledRules: string[];
}

export interface ComposeInput {
  builtin: { version: string; rules: RuleSource[] };
  bundle: BundleRules | null;
  policy: EffectivePolicy;
  /** ms since the epoch: which exemptions are active. */
  now: number;
  /** Leave the inline rules out (after they failed to compile). */
  withoutInline?: boolean;
}

/** The policy the engine reads (snake_case, as warden-core's `Policy`; missing fields take its defaults). */
export interface EnginePolicy {
  categories: Partial<Record<Category, PolicyAction>>;
  entities: Record<string, PolicyAction>;
  rules: Record<string, PolicyAction>;
  min_confidence?: Confidence;
  fail_mode?: FailMode;
  user_override: boolean;
}

export interface Composition {
  inputs: EngineInputs;
  /** When the next exemption ends (ms since the epoch), or null. */
  nextChange: number | null;
  /** Sources that could not be used, and why. */
  problems: string[];
  /** The policy's inline rules are among the rule files. */
  inline: boolean;
}

const INLINE_SOURCE = 'policy:inlineRules';
const DISABLED_SOURCE = 'policy:disabledRules';

/** The inline rule file (TOML or JSON) in the JSON form the engine compiles. Throws with a clear message. */
export function inlineRuleSource(text: string): RuleSource {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{')) {
    try {
      JSON.parse(trimmed);
    } catch (e) {
      throw Object.assign(new Error(`inlineRules: not valid JSON (${(e as Error).message})`), { kind: 'invalid-rules' });
    }
    return { source: INLINE_SOURCE, text: trimmed };
  }
  try {
    return { source: INLINE_SOURCE, text: JSON.stringify(parseToml(text)) };
  } catch (e) {
    const line = (e as { line?: number }).line;
    throw Object.assign(new Error(`inlineRules: not valid TOML${line ? ` (line ${line})` : ''}: ${(e as Error).message.split('\n')[0]}`), {
      kind: 'invalid-rules',
    });
  }
}

export function compose(input: ComposeInput): Composition {
  const { builtin, bundle, policy, now } = input;
  const problems: string[] = [];
  const rules: RuleSource[] = [...builtin.rules];
  let label = `built-in ${builtin.version}`;
  if (bundle) {
    rules.push(...bundle.rules);
    label += ` + bundle v${bundle.version}`;
  }
  let inline = false;
  if (policy.inlineRules && !input.withoutInline) {
    try {
      rules.push(inlineRuleSource(policy.inlineRules));
      label += ' + inline rules';
      inline = true;
    } catch (e) {
      problems.push((e as Error).message);
    }
  }

  const bundlePolicy = bundle?.policy ? bundleOverrides(bundle.policy, problems) : null;
  const disabled = [...new Set([...policy.disabledRules, ...(bundle?.disabledRules ?? [])])];
  if (disabled.length) rules.push({ source: DISABLED_SOURCE, text: JSON.stringify({ schema_version: 1, disabled_rules: disabled }) });

  const actions: ActionTable = {
    category: { ...bundlePolicy?.actions.category, ...policy.actions.category },
    entity: { ...bundlePolicy?.actions.entity, ...policy.actions.entity },
    rule: { ...bundlePolicy?.actions.rule, ...policy.actions.rule },
  };
  const base: EnginePolicy = {
    categories: actions.category,
    entities: actions.entity,
    rules: actions.rule,
    user_override: policy.userOverrideAllowed && (bundlePolicy?.userOverrideAllowed ?? true),
  };
  const minConfidence = policy.minConfidence ?? bundlePolicy?.minConfidence;
  if (minConfidence) base.min_confidence = minConfidence;
  const failMode = policy.failMode ?? bundlePolicy?.failMode;
  if (failMode) base.fail_mode = failMode;

  const exemptions = policy.exemptions.filter((e) => e.until > now);
  const everywhere = exemptions.filter((e) => !e.sites);
  const scoped = exemptions.filter((e) => e.sites);
  const main = exempt(base, everywhere);
  const nextChange = exemptions.length ? Math.min(...exemptions.map((e) => e.until)) : null;

  const inputs: EngineInputs = { label, rules, policy: main as unknown as Policy };
  if (scoped.length) {
    inputs.policyFor = (url: string) => {
      const applying = scoped.map((e, i) => [e, i] as const).filter(([e]) => e.sites?.some((s) => matchesPattern(s, url)));
      if (!applying.length) return null;
      return { key: applying.map(([, i]) => i).join(','), policy: exempt(main, applying.map(([e]) => e)) as unknown as Policy };
    };
  }
  return { inputs, nextChange, problems, inline };
}

/** `policy` with the findings of `exemptions` allowed. */
function exempt(policy: EnginePolicy, exemptions: Exemption[]): EnginePolicy {
  if (!exemptions.length) return policy;
  const out: EnginePolicy = { ...policy, categories: { ...policy.categories }, entities: { ...policy.entities }, rules: { ...policy.rules } };
  for (const e of exemptions) {
    if (e.rule) out.rules[e.rule] = 'allow';
    if (e.entity) out.entities[e.entity] = 'allow';
    if (e.category) out.categories[e.category] = 'allow';
  }
  return out;
}

/**
 * A bundle's policy overrides: the engine's own policy document (snake_case, as `warden-core` reads it
 * and `warden bundle sign --policy` takes it): `categories`, `entities`, `rules`, `min_confidence`,
 * `fail_mode`, `user_override`. Read into the same shape as the device policy, which wins over it.
 */
function bundleOverrides(raw: Record<string, unknown>, problems: string[]): BundlePolicy {
  const out: BundlePolicy = { actions: { category: {}, entity: {}, rule: {} } };
  const table = (value: unknown, what: string, into: Record<string, PolicyAction>, key: (k: string) => boolean) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return void problems.push(`bundle policy: ${what} must be an object; ignored`);
    for (const [k, v] of Object.entries(value)) {
      if (key(k) && POLICY_ACTIONS.includes(v as PolicyAction)) into[k] = v as PolicyAction;
      else problems.push(`bundle policy: ${what}.${k.slice(0, 80)} = ${String(v).slice(0, 40)} is not a known name and action; ignored`);
    }
  };
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'categories') table(v, k, out.actions.category, (c) => (CATEGORIES as readonly string[]).includes(c));
    else if (k === 'entities') table(v, k, out.actions.entity, (e) => e.length > 0 && e.length <= 200);
    else if (k === 'rules') table(v, k, out.actions.rule, (r) => r.length > 0 && r.length <= 200);
    else if (k === 'min_confidence' && (v === 'low' || v === 'medium' || v === 'high')) out.minConfidence = v;
    else if (k === 'fail_mode' && (v === 'open' || v === 'closed')) out.failMode = v;
    else if (k === 'user_override' && typeof v === 'boolean') out.userOverrideAllowed = v;
    else problems.push(`bundle policy: "${k.slice(0, 80)}" is not a policy field a bundle may set (categories, entities, rules, min_confidence, fail_mode, user_override); ignored`);
  }
  return out;
}

interface BundlePolicy {
  actions: ActionTable;
  minConfidence?: Confidence;
  failMode?: FailMode;
  userOverrideAllowed?: boolean;
}
