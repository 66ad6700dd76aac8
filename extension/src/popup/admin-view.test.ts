import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AdminStatus } from '../shared/messages';
import { adminRows } from './admin-view';

const NOW = Date.UTC(2026, 10, 23, 12);

function status(over: Partial<AdminStatus['rules']> = {}, admin: Partial<AdminStatus> = {}): AdminStatus {
  return {
    managed: true,
    orgName: 'Acme IT',
    lockSettings: false,
    lockedSettings: [],
    userOverrideAllowed: true,
    extraSites: { patterns: [], granted: false },
    rules: { bundle: null, lastCheck: null, lastUpdate: null, lastError: null, inline: false, problems: [], ...over },
    ...admin,
  };
}

const value = (rows: { label: string; value: string }[], label: string) => rows.find((r) => r.label === label)?.value;

test('who manages, which bundle, when', () => {
  const rows = adminRows(
    status({ bundle: { version: 4, keyId: 'acme-2026', url: 'https://x/b', issuedAt: 1, expiresAt: null }, lastUpdate: NOW - 120_000, lastCheck: NOW - 5000 }),
    NOW,
  );
  assert.equal(value(rows, 'Managed by'), 'Acme IT');
  assert.equal(value(rows, 'Rule bundle'), 'Version 4 (key acme-2026)');
  assert.equal(value(rows, 'Last update'), '2 min ago');
  assert.equal(value(rows, 'Last check'), '5 s ago');
  assert.equal(value(rows, 'Last update error'), undefined);
});

test('a rejected bundle shows its reason and what stays in use', () => {
  const rows = adminRows(
    status({
      bundle: { version: 4, keyId: 'k', url: 'u', issuedAt: 1, expiresAt: null },
      lastError: { kind: 'bad-signature', message: 'the signature does not match', at: NOW - 60_000, url: 'u' },
    }),
    NOW,
  );
  assert.equal(value(rows, 'Last update error'), 'bad-signature: the signature does not match (1 min ago; version 4 stays in use)');
  assert.equal(rows.find((r) => r.label === 'Last update error')?.tone, 'error');
});

test('unmanaged, with problems and extra sites', () => {
  const rows = adminRows(status({ problems: ['unknown policy key "x"'] }, { managed: false, orgName: null, extraSites: { patterns: ['https://a.example/*'], granted: false } }), NOW);
  assert.equal(value(rows, 'Managed by'), 'Not managed (built-in policy)');
  assert.equal(value(rows, 'Rule bundle'), 'None (built-in rules)');
  assert.match(value(rows, 'Extra sites') ?? '', /not allowed by the browser yet/);
  assert.equal(value(rows, 'Policy problems'), 'unknown policy key "x"');
});
