// Types of collector.mjs for the TypeScript unit tests that use it.
export interface CollectedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  raw: Buffer;
  status: number;
  at: number;
}
export interface Collected {
  format: 'ecs-jsonl' | 'splunk-hec';
  event: any;
  at: number;
}
export interface Collector {
  port: number;
  url: string;
  requests: CollectedRequest[];
  events: Collected[];
  readonly running: boolean;
  ids(): string[];
  fail(status: number | null): void;
  stop(): Promise<void>;
  start(): Promise<void>;
  waitFor(pred: (events: Collected[]) => boolean, options?: { timeout?: number }): Promise<Collected[]>;
  close(): Promise<void>;
}
export function startCollector(options?: { port?: number; token?: string }): Promise<Collector>;
export function parseJsonLines(text: string): any[];
export function parseHec(text: string): any[];
