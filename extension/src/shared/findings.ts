// The vocabulary the engine speaks, as TypeScript sees it: the plain objects the wasm adapter returns
// (crates/warden-wasm/src/objects.rs) and the policy's names (crates/warden-core/src/policy.rs).
// Rust decides; these types only describe what crosses the boundary.

export type Category = 'pii' | 'secret' | 'financial' | 'gov_id' | 'health' | 'confidential';
export type Confidence = 'low' | 'medium' | 'high';
/** What the policy does with a finding on send. Ordered by severity. */
export type Action = 'allow' | 'warn' | 'justify' | 'mask' | 'block';
/** How a finding is treated in a text that is leaving the browser. */
export type Treatment = 'pass' | 'mask' | 'refuse';
/** When a text leaves: while typing (the site's preflight) or on send. */
export type Stage = 'preflight' | 'send';
export type FailMode = 'open' | 'closed';

export const CATEGORIES: readonly Category[] = ['pii', 'secret', 'financial', 'gov_id', 'health', 'confidential'];
export const ACTIONS: readonly Action[] = ['allow', 'warn', 'justify', 'mask', 'block'];
export const STAGES: readonly Stage[] = ['preflight', 'send'];

/** A range of a JavaScript string, in UTF-16 code units. */
export interface Span {
  start: number;
  end: number;
}

export interface Finding extends Span {
  ruleId: string;
  description: string;
  entity: string;
  category: Category;
  confidence: Confidence;
  score: number;
  action: Action;
}

export interface Replacement extends Span {
  entity: string;
  ruleId: string;
  replacement: string;
}

export interface ReviewedFinding extends Finding {
  treatment: Treatment;
}

/** The policy as the engine reports it (snake_case: the same document as managed storage). */
export interface Policy {
  categories: Partial<Record<Category, Action>>;
  entities: Record<string, Action>;
  rules: Record<string, Action>;
  min_confidence: Confidence;
  fail_mode: FailMode;
  mask_style: 'placeholder' | 'redact' | 'partial' | 'surrogate';
  /** Whether the user may let a warning through (when false the engine masks warned findings). */
  user_override: boolean;
}

const SEVERITY: Record<Action, number> = { allow: 0, warn: 1, justify: 2, mask: 3, block: 4 };

/** The most severe action among `findings` (`allow` when there are none). */
export function mostSevere(findings: readonly { action: Action }[]): Action {
  let worst: Action = 'allow';
  for (const f of findings) if (SEVERITY[f.action] > SEVERITY[worst]) worst = f.action;
  return worst;
}
