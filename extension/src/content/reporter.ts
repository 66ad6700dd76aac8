// Tells the service worker what the guards see in this tab — health, the number of findings (badge),
// and what they did — without repeating itself, and with a heartbeat while the page is visible, which
// also keeps the worker (and its compiled rules) warm while someone is using the site.

import {
  type AuditDecision,
  type DecisionFinding,
  type DecisionReport,
  type GuardEvent,
  MAX_DECISION_FINDINGS,
  type SiteHealth,
} from '../shared/messages';
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

  /**
   * Reports what finally happened to findings on a send or upload, for the administrator's audit log.
   * `text` (what the findings' spans point into) lets the worker hash the matched values; it is not
   * kept. Nothing is reported without findings.
   */
  decision(
    stage: DecisionReport['stage'],
    decision: AuditDecision,
    findings: readonly (Omit<DecisionFinding, 'start' | 'end'> & { start?: number; end?: number })[],
    options: { text?: string; justification?: string } = {},
  ): void {
    if (!findings.length) return;
    const report: DecisionReport = {
      type: 'decision',
      decision,
      stage,
      findings: findings.slice(0, MAX_DECISION_FINDINGS).map(({ ruleId, entity, category, confidence, action, start, end }) => ({
        ruleId,
        entity,
        category,
        confidence,
        action,
        ...(options.text !== undefined && start !== undefined && end !== undefined ? { start, end } : {}),
      })),
    };
    if (options.text !== undefined) report.text = options.text;
    if (options.justification) report.justification = options.justification;
    void this.client.ask(report);
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
