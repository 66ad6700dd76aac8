import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TabStatus } from '../shared/messages';
import { type Badge, badgeFor, MAX_TABS, TabState } from './tab-state';

function state() {
  const badges: [number, Badge][] = [];
  let saved: Record<string, TabStatus> = {};
  const tabs = new TabState({ persist: (s) => (saved = s), badge: (id, b) => badges.push([id, b]) });
  return { tabs, badges, saved: () => saved };
}

const healthy = { composer: true, sendControl: true, wireGuard: true, problems: [] };
const unhealthy = { composer: true, sendControl: false, wireGuard: true, problems: ['send control not found'] };

test('reports set the badge and accumulate counts', () => {
  const { tabs, badges } = state();
  tabs.report(1, { type: 'report', health: healthy, findings: 3 });
  tabs.report(1, { type: 'report', event: 'masked', count: 2 });
  tabs.report(1, { type: 'report', event: 'masked' });
  assert.deepEqual(tabs.get(1), { health: healthy, findings: 3, counts: { masked: 3 } });
  assert.deepEqual(badges.at(-1), [1, { text: '3', color: '#c5221f' }]);
});

test('an unhealthy site shows "!" when nothing is found', () => {
  assert.equal(badgeFor({ health: unhealthy, findings: 0, counts: {} }).text, '!');
  assert.equal(badgeFor({ health: healthy, findings: 0, counts: {} }).text, '');
  assert.equal(badgeFor({ health: null, findings: 120, counts: {} }).text, '99+');
});

test('state survives a restart through the snapshot', () => {
  const a = state();
  a.tabs.report(7, { type: 'report', health: unhealthy, findings: 1, event: 'blocked' });
  const b = state();
  b.tabs.restore(JSON.parse(JSON.stringify(a.saved())));
  assert.deepEqual(b.tabs.get(7), a.tabs.get(7));
  b.tabs.restore('garbage');
  b.tabs.forget(7);
  assert.equal(b.tabs.get(7), null);
});

test('the number of tabs is bounded, oldest first out', () => {
  const { tabs } = state();
  for (let i = 0; i < MAX_TABS + 5; i++) tabs.report(i, { type: 'report', findings: 1 });
  assert.equal(tabs.get(0), null);
  assert.ok(tabs.get(MAX_TABS + 4));
});
