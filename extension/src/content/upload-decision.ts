// What happens to a file, from the engine's report and the policy's actions — pure, so every branch
// is tested without a browser. The engine has already applied the policy to each finding (`action`);
// this only combines them for the file as a whole:
//   nothing to act on (or only `allow`)      → pass: the file continues byte-identical;
//   worst `mask` (or `justify`: a file has no place for a reason, so it is masked), format can be
//   redacted                                 → sanitize: a redacted copy with the same name goes instead;
//   worst `mask`, format cannot be redacted  → block (a masked copy cannot be made);
//   worst `warn`                             → warn: the user chooses Upload anyway or Cancel;
//   worst `block`                            → block, offering a redacted copy when the format allows it.
// A file the engine cannot read (encrypted, an image, an unknown format, too large) is never treated as
// clean: the policy's action for such files decides (default `warn`).

import type { Action } from '../shared/findings';
import { mostSevere } from '../shared/findings';
import type { FileFinding, FileReport } from '../shared/messages';

export type UploadDecision =
  | { kind: 'pass' }
  | { kind: 'sanitize'; findings: FileFinding[] }
  | { kind: 'warn'; findings: FileFinding[]; reason: string | null }
  | { kind: 'block'; findings: FileFinding[]; reason: string | null; canSanitize: boolean };

export function decideUpload(report: FileReport, uninspectable: Action): UploadDecision {
  if (!report.inspectable) {
    const reason = report.reason ?? 'PromptWarden cannot read this kind of file';
    switch (uninspectable) {
      case 'allow':
        return { kind: 'pass' };
      case 'warn':
        return { kind: 'warn', findings: [], reason };
      default:
        // `mask` cannot be done to a file that cannot be read: it is held back like `block`.
        return { kind: 'block', findings: [], reason, canSanitize: false };
    }
  }
  const findings = report.findings.filter((f) => f.action !== 'allow');
  switch (mostSevere(findings)) {
    case 'allow':
      return { kind: 'pass' };
    case 'warn':
      return { kind: 'warn', findings, reason: null };
    case 'justify': // the upload card takes no reason: a masked copy, as for `mask`
    case 'mask':
      if (report.sanitizable) return { kind: 'sanitize', findings };
      return {
        kind: 'block',
        findings,
        reason: `PromptWarden cannot make a masked copy of a ${report.format.toUpperCase()} file`,
        canSanitize: false,
      };
    case 'block':
      return { kind: 'block', findings, reason: null, canSanitize: report.sanitizable };
  }
}
