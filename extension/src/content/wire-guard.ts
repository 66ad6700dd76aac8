// The content-script end of the request guard. The page-world wrapper hands over the body of every
// request to a guarded endpoint; this decides what goes out, using the engine's review:
//   prepare (typing preflight) → every finding masked, whatever the action: the user has not decided;
//   conversation (send)        → per policy, with the user's "send anyway" approvals; a blocked value
//                                refuses the whole request, and the refused text is put back in the
//                                composer so it is not lost.
// It answers with a body or a refusal only. A body it cannot read, or an engine that does not answer,
// follows the fail mode (closed unless the policy says open).

import type { GuardedKind } from '../shared/chatgpt-endpoints';
import type { Treatment } from '../shared/findings';
import {
  HANDSHAKE_KEY,
  isWireReady,
  isWireRequest,
  type WireDecision,
  type WireMessage,
} from '../shared/wire-protocol';
import type { Approvals } from './approvals';
import type { BackgroundClient } from './background-client';
import { getPath, setPath, textPaths } from './request-body';
import type { Reporter } from './reporter';

/** Requests decided at once; more are refused (a page cannot flood the engine through us). */
export const MAX_IN_FLIGHT = 16;

export interface WireGuardDeps {
  client: BackgroundClient;
  approvals: Approvals;
  reporter: Reporter;
  failMode: () => 'open' | 'closed';
  /** A send was refused: `text` is what the user wrote. */
  onRefusedSend: (text: string) => void;
}

const SEVERITY: Record<Treatment, number> = { pass: 0, mask: 1, refuse: 2 };

export class WireGuard {
  private port: MessagePort | null = null;
  private ready = false;
  private inFlight = 0;
  private sentFailMode: 'open' | 'closed' | null = null;

  constructor(private readonly deps: WireGuardDeps) {}

  /** Whether the page-world guard took the port. */
  get connected(): boolean {
    return this.ready;
  }

  /** Creates the channel and hands one end to the page-world guard. Call once, at document_start. */
  connect(win: Window = window): void {
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.port.onmessage = (e: MessageEvent) => void this.receive(e.data);
    win.postMessage({ [HANDSHAKE_KEY]: true }, win.location.origin, [channel.port2]);
  }

  /** Tells the page-world guard the policy's fail mode (for when we cannot answer at all). */
  syncFailMode(): void {
    const mode = this.deps.failMode();
    if (!this.port || mode === this.sentFailMode) return;
    this.sentFailMode = mode;
    this.post({ t: 'config', failMode: mode });
  }

  /** Tells the page-world guard that a file of this size and SHA-256 may be uploaded. */
  clearUpload(size: number, sha256: string): void {
    this.post({ t: 'cleared', size, sha256 });
  }

  private async receive(data: unknown): Promise<void> {
    if (isWireReady(data)) {
      this.ready = true;
      this.syncFailMode();
      return;
    }
    if (!isWireRequest(data)) return;
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.post({ t: 'answer', id: data.id, refused: true });
      return;
    }
    this.inFlight++;
    try {
      const decision = await this.decide(data.kind, data.body);
      this.post('refused' in decision ? { t: 'answer', id: data.id, refused: true } : { t: 'answer', id: data.id, body: decision.body });
    } finally {
      this.inFlight--;
      this.syncFailMode();
    }
  }

  async decide(kind: GuardedKind, body: string): Promise<WireDecision> {
    const fallback = (): WireDecision => (this.deps.failMode() === 'open' ? { body } : { refused: true });
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return fallback();
    }
    const paths = textPaths(kind, json);
    if (!paths) return fallback();
    const stage = kind === 'prepare' ? 'preflight' : 'send';
    const approved = stage === 'send' ? this.deps.approvals.list() : [];
    let verdict: Treatment = 'pass';
    let findings = 0;
    const originals: string[] = [];
    for (const path of paths) {
      const text = getPath(json, path) as string;
      originals.push(text);
      const reply = await this.deps.client.ask({ type: 'review', text, stage, approved });
      if (!reply.ok) return fallback();
      findings += reply.findings.filter((f) => f.treatment !== 'pass').length;
      if (SEVERITY[reply.verdict] > SEVERITY[verdict]) verdict = reply.verdict;
      if (reply.verdict === 'mask') setPath(json, path, reply.text);
    }
    if (verdict === 'refuse') {
      this.deps.reporter.event('wire-refused', findings);
      this.deps.onRefusedSend(originals.join('\n'));
      return { refused: true };
    }
    if (stage === 'send') this.deps.approvals.clear(); // the message is leaving: its approvals are spent
    if (verdict === 'pass') return { body };
    this.deps.reporter.event(stage === 'send' ? 'wire-masked' : 'preflight-masked', findings);
    return { body: JSON.stringify(json) };
  }

  private post(message: WireMessage): void {
    try {
      this.port?.postMessage(message);
    } catch {
      // The page is unloading; nothing to answer.
    }
  }
}
