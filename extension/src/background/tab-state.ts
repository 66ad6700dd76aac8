// What the guards report per tab: site health, the number of findings in the composer (the badge),
// and counts of what they did. Metadata only — never text. Kept in memory, written through to session
// storage so a restarted service worker shows the same popup and badge.

import type { GuardEvent, ReportRequest, SiteHealth, TabStatus } from '../shared/messages';

/** The most tabs remembered; the least recently reported is dropped beyond this. */
export const MAX_TABS = 500;

export interface Badge {
  text: string;
  color: string;
}

export interface TabStateHooks {
  persist(snapshot: Record<string, TabStatus>): void;
  badge(tabId: number, badge: Badge): void;
}

export function badgeFor(tab: TabStatus): Badge {
  if (tab.findings > 0) return { text: tab.findings > 99 ? '99+' : String(tab.findings), color: '#c5221f' };
  if (tab.health && tab.health.problems.length > 0) return { text: '!', color: '#b06000' };
  return { text: '', color: '#5f6368' };
}

export class TabState {
  private readonly tabs = new Map<number, TabStatus>();

  constructor(private readonly hooks: TabStateHooks) {}

  /** Restores a snapshot written by `persist` (after a service worker restart). */
  restore(snapshot: unknown): void {
    if (typeof snapshot !== 'object' || snapshot === null) return;
    for (const [key, value] of Object.entries(snapshot as Record<string, TabStatus>).slice(0, MAX_TABS)) {
      const id = Number(key);
      if (Number.isInteger(id) && value && typeof value.findings === 'number' && !this.tabs.has(id)) {
        this.tabs.set(id, { health: value.health ?? null, findings: value.findings, counts: { ...value.counts } });
      }
    }
  }

  get(tabId: number): TabStatus | null {
    return this.tabs.get(tabId) ?? null;
  }

  report(tabId: number, report: ReportRequest): void {
    const tab = this.tabs.get(tabId) ?? { health: null, findings: 0, counts: {} };
    this.tabs.delete(tabId); // re-inserted last: Map order is recency order
    if (report.health) tab.health = report.health as SiteHealth;
    if (report.findings !== undefined) tab.findings = report.findings;
    if (report.event) {
      const event: GuardEvent = report.event;
      tab.counts[event] = (tab.counts[event] ?? 0) + (report.count ?? 1);
    }
    this.tabs.set(tabId, tab);
    while (this.tabs.size > MAX_TABS) {
      const oldest = this.tabs.keys().next().value;
      if (oldest === undefined) break;
      this.tabs.delete(oldest);
    }
    this.hooks.badge(tabId, badgeFor(tab));
    this.hooks.persist(this.snapshot());
  }

  /** A tab navigated or closed. */
  forget(tabId: number): void {
    if (this.tabs.delete(tabId)) this.hooks.persist(this.snapshot());
  }

  private snapshot(): Record<string, TabStatus> {
    return Object.fromEntries(this.tabs);
  }
}
