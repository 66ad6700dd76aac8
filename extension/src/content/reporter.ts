// Tells the service worker what the guards see in this tab — health, the number of findings (badge),
// and what they did — without repeating itself, and with a heartbeat while the page is visible, which
// also keeps the worker (and its compiled rules) warm while someone is using the site.

import type { GuardEvent, SiteHealth } from '../shared/messages';
import type { BackgroundClient } from './background-client';

export const HEARTBEAT_MS = 20_000;

export class Reporter {
  private health: string | null = null;
  private findings = -1;

  constructor(private readonly client: BackgroundClient) {}

  siteHealth(health: SiteHealth): void {
    const key = JSON.stringify(health);
    if (key === this.health) return;
    this.health = key;
    void this.client.ask({ type: 'report', health });
  }

  findingCount(n: number): void {
    if (n === this.findings) return;
    this.findings = n;
    void this.client.ask({ type: 'report', findings: n });
  }

  event(event: GuardEvent, count = 1): void {
    void this.client.ask({ type: 'report', event, count });
  }

  /** Re-sends the state now and then (the worker may have restarted and the badge is per tab). */
  startHeartbeat(doc: Document = document): void {
    setInterval(() => {
      if (doc.visibilityState !== 'visible') return;
      const health = this.health ? (JSON.parse(this.health) as SiteHealth) : undefined;
      void this.client.ask({ type: 'report', ...(health ? { health } : {}), findings: Math.max(0, this.findings) });
    }, HEARTBEAT_MS);
  }
}
