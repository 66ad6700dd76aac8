// What the popup and the options page show about the administrator's side: who manages PromptWarden,
// the rule bundle in use, when it was last checked and updated, and the last update error. Plain rows,
// so the wording is tested without a DOM.

import type { AdminStatus } from '../shared/messages';
import type { Row } from './status-view';

/** "3 min ago", "2 h ago", "5 d ago". */
export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** Who decides the locked settings, in words. */
export function managedBy(admin: AdminStatus): string {
  return admin.orgName ? admin.orgName : 'your administrator';
}

export function adminRows(admin: AdminStatus, now: number): Row[] {
  const rows: Row[] = [];
  rows.push(
    admin.managed
      ? { label: 'Managed by', value: managedBy(admin), tone: 'ok' }
      : { label: 'Managed by', value: 'Not managed (built-in policy)', tone: 'muted' },
  );
  const r = admin.rules;
  if (r.bundle) {
    const expires = r.bundle.expiresAt ? ` · expires ${new Date(r.bundle.expiresAt * 1000).toISOString().slice(0, 10)}` : '';
    rows.push({ label: 'Rule bundle', value: `Version ${r.bundle.version} (key ${r.bundle.keyId})${expires}`, tone: 'ok' });
  } else {
    rows.push({ label: 'Rule bundle', value: 'None (built-in rules)', tone: 'muted' });
  }
  if (r.inline) rows.push({ label: 'Inline rules', value: 'In use (from the policy)', tone: 'muted' });
  if (r.lastUpdate !== null) rows.push({ label: 'Last update', value: ago(r.lastUpdate, now), tone: 'muted' });
  if (r.lastCheck !== null) rows.push({ label: 'Last check', value: ago(r.lastCheck, now), tone: 'muted' });
  if (r.lastError) {
    const kept = r.bundle ? `version ${r.bundle.version} stays in use` : 'the built-in rules stay in use';
    rows.push({ label: 'Last update error', value: `${r.lastError.kind}: ${r.lastError.message} (${ago(r.lastError.at, now)}; ${kept})`, tone: 'error' });
  }
  if (admin.extraSites.patterns.length) {
    rows.push(
      admin.extraSites.granted
        ? { label: 'Extra sites', value: admin.extraSites.patterns.join(', '), tone: 'muted' }
        : { label: 'Extra sites', value: `${admin.extraSites.patterns.join(', ')} — not allowed by the browser yet (see the options page)`, tone: 'warn' },
    );
  }
  if (r.problems.length) rows.push({ label: 'Policy problems', value: r.problems.join('; '), tone: 'warn' });
  return rows;
}
