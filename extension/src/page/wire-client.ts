// The page-world end of the private channel: asks the content script what to send, with every wait
// bounded. Without an answer in time it follows the fail mode the content script last told it
// (closed until told otherwise).

import type { GuardedKind } from '../shared/chatgpt-endpoints';
import type { FailMode } from '../shared/findings';
import {
  ANSWER_TIMEOUT_MS,
  isWireMessage,
  MAX_BODY_LENGTH,
  MAX_PENDING,
  PORT_TIMEOUT_MS,
  type WireDecision,
} from '../shared/wire-protocol';
import { Clearances } from './upload-backstop';

export interface WireClientOptions {
  answerTimeoutMs?: number;
  portTimeoutMs?: number;
}

export class WireClient {
  private port: MessagePort | null = null;
  private failMode: FailMode = 'closed';
  private nextId = 1;
  private readonly pending = new Map<number, (d: WireDecision) => void>();
  private readonly waitingForPort = new Set<() => void>();
  private readonly answerTimeoutMs: number;
  private readonly portTimeoutMs: number;
  /** Files the upload guard cleared (told over the port). */
  readonly clearances = new Clearances();

  constructor(options: WireClientOptions = {}) {
    this.answerTimeoutMs = options.answerTimeoutMs ?? ANSWER_TIMEOUT_MS;
    this.portTimeoutMs = options.portTimeoutMs ?? PORT_TIMEOUT_MS;
  }

  get connected(): boolean {
    return this.port !== null;
  }

  get failOpen(): boolean {
    return this.failMode === 'open';
  }

  /** Takes the port; only the first one is ever accepted. */
  attach(port: MessagePort): boolean {
    if (this.port) return false;
    this.port = port;
    port.onmessage = (e: MessageEvent) => this.receive(e.data);
    port.postMessage({ t: 'ready' });
    for (const wake of this.waitingForPort) wake();
    this.waitingForPort.clear();
    return true;
  }

  /** What to send instead of `body`: the same body, a masked one, or a refusal. */
  async ask(kind: GuardedKind, body: string): Promise<WireDecision> {
    if (body.length > MAX_BODY_LENGTH || this.pending.size >= MAX_PENDING) return this.fallback(body);
    const port = this.port ?? (await this.waitForPort());
    if (!port) return this.fallback(body);
    const id = this.nextId++;
    return new Promise<WireDecision>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(this.fallback(body));
      }, this.answerTimeoutMs);
      this.pending.set(id, (decision) => {
        clearTimeout(timer);
        this.pending.delete(id);
        resolve(decision);
      });
      try {
        port.postMessage({ t: 'request', id, kind, body });
      } catch {
        this.pending.get(id)?.(this.fallback(body));
      }
    });
  }

  private receive(data: unknown): void {
    if (!isWireMessage(data)) return;
    if (data.t === 'config') {
      this.failMode = data.failMode;
      return;
    }
    if (data.t === 'cleared') {
      this.clearances.add(data.size, data.sha256);
      return;
    }
    const settle = this.pending.get(data.id);
    if (!settle) return;
    settle('refused' in data ? { refused: true } : { body: data.body });
  }

  private waitForPort(): Promise<MessagePort | null> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waitingForPort.delete(wake);
        resolve(this.port);
      };
      const timer = setTimeout(wake, this.portTimeoutMs);
      this.waitingForPort.add(wake);
    });
  }

  private fallback(body: string): WireDecision {
    return this.failMode === 'open' ? { body } : { refused: true };
  }
}
