import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Action } from '../shared/findings';
import type { FileFinding, FileReport } from '../shared/messages';
import { decideUpload } from './upload-decision';

const finding = (action: Action): FileFinding => ({
  ruleId: `r-${action}`,
  description: 'd',
  entity: 'E',
  category: 'secret',
  confidence: 'high',
  score: 0.9,
  action,
  location: 'line 1',
  preview: 'AK••••XU',
});
const report = (actions: Action[], extra: Partial<FileReport> = {}): FileReport => ({
  format: 'docx',
  inspectable: true,
  reason: null,
  findings: actions.map(finding),
  sanitizable: true,
  textBytes: 10,
  ...extra,
});

test('a clean file, or one with only allowed findings, passes', () => {
  assert.equal(decideUpload(report([]), 'warn').kind, 'pass');
  assert.equal(decideUpload(report(['allow', 'allow']), 'block').kind, 'pass');
});

test('the most severe action decides the file', () => {
  assert.deepEqual(decideUpload(report(['allow', 'warn']), 'warn'), { kind: 'warn', findings: [finding('warn')], reason: null });
  assert.equal(decideUpload(report(['warn', 'mask']), 'warn').kind, 'sanitize');
  assert.equal(decideUpload(report(['justify']), 'warn').kind, 'sanitize', 'a file has no place for a reason');
  const blocked = decideUpload(report(['mask', 'block']), 'warn');
  assert.equal(blocked.kind, 'block');
  assert.ok(blocked.kind === 'block' && blocked.canSanitize && blocked.findings.length === 2);
});

test('mask on a format that cannot be redacted holds the file back', () => {
  const d = decideUpload(report(['mask'], { sanitizable: false, format: 'pdf' }), 'warn');
  assert.ok(d.kind === 'block' && !d.canSanitize);
  assert.match(d.kind === 'block' ? (d.reason ?? '') : '', /masked copy of a PDF/);
  const b = decideUpload(report(['block'], { sanitizable: false }), 'warn');
  assert.ok(b.kind === 'block' && !b.canSanitize);
});

test('a file that cannot be read follows the policy for such files, never passes as clean by default', () => {
  const locked = report([], { inspectable: false, reason: 'the document is encrypted', sanitizable: false });
  assert.deepEqual(decideUpload(locked, 'warn'), { kind: 'warn', findings: [], reason: 'the document is encrypted' });
  assert.equal(decideUpload(locked, 'block').kind, 'block');
  assert.equal(decideUpload(locked, 'mask').kind, 'block');
  assert.equal(decideUpload(locked, 'allow').kind, 'pass');
  const noReason = decideUpload({ ...locked, reason: null }, 'warn');
  assert.ok(noReason.kind === 'warn' && noReason.reason);
});
