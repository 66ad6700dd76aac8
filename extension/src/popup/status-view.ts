// What the popup shows, computed from the service worker's status: plain rows, so the rules for
// wording and states are tested without a DOM.

import type { EngineStatus, GuardEvent, TabStatus } from '../shared/messages';

export type Tone = 'ok' | 'warn' | 'error' | 'muted';

export interface Row {
  label: string;
  value: string;
  tone?: Tone;
}

export interface PopupView {
  engine: Row[];
  tab: Row[] | null;
  counts: Row[];
  tabNote: string | null;
}

const EVENT_LABELS: [GuardEvent, string][] = [
  ['masked', 'Masked in the message'],
  ['blocked', 'Sends stopped (blocked)'],
  ['warned', 'Warnings shown'],
  ['sent-anyway', 'Sent anyway'],
  ['ignored', 'Ignored once'],
  ['preflight-masked', 'Masked while typing (preflight)'],
  ['wire-masked', 'Masked in sent requests'],
  ['wire-refused', 'Requests refused'],
  ['upload-blocked', 'Uploads stopped'],
  ['upload-masked', 'Uploads replaced by a masked copy'],
  ['upload-warned', 'Upload warnings shown'],
  ['uploaded-anyway', 'Uploaded anyway'],
];

function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

export function popupView(engine: EngineStatus, tab: TabStatus | null, guardedTab: boolean, now: number): PopupView {
  const rows: Row[] = [
    engine.ready
      ? { label: 'Engine', value: `Ready · version ${engine.version ?? '?'}`, tone: 'ok' }
      : { label: 'Engine', value: 'Not running', tone: 'error' },
    { label: 'Rules', value: `${engine.ruleCount} active${engine.rulesSource ? ` (${engine.rulesSource})` : ''}` },
  ];
  if (engine.timings) {
    const t = engine.timings;
    rows.push({ label: 'Start-up', value: `${Math.round(t.wasmMs + t.rulesMs + t.compileMs)} ms`, tone: 'muted' });
  }
  if (engine.policy) rows.push({ label: 'If a check fails', value: engine.policy.fail_mode === 'open' ? 'send (fail open)' : 'do not send (fail closed)', tone: 'muted' });
  rows.push(
    engine.lastError
      ? { label: 'Last error', value: `${engine.lastError.kind}: ${engine.lastError.message} (${ago(engine.lastError.at, now)})`, tone: 'error' }
      : { label: 'Last error', value: 'None', tone: 'muted' },
  );
  if (engine.restarts) rows.push({ label: 'Restarts', value: `${engine.restarts} after an engine crash`, tone: 'warn' });

  if (!guardedTab) {
    return { engine: rows, tab: null, counts: [], tabNote: 'PromptWarden guards chatgpt.com and chat.openai.com. This tab is not one of them.' };
  }
  if (!tab) return { engine: rows, tab: null, counts: [], tabNote: 'Waiting for the page… reload it if this stays.' };
  const h = tab.health;
  const tabRows: Row[] = [
    h && h.problems.length === 0
      ? { label: 'Site health', value: 'All guards active', tone: 'ok' }
      : { label: 'Site health', value: h ? h.problems.join('; ') : 'Unknown', tone: 'warn' },
    { label: 'In the message now', value: tab.findings === 0 ? 'Nothing sensitive' : `${tab.findings} sensitive ${tab.findings === 1 ? 'item' : 'items'}`, tone: tab.findings ? 'warn' : 'ok' },
  ];
  const counts = EVENT_LABELS.map(([event, label]) => ({ label, value: String(tab.counts[event] ?? 0), tone: (tab.counts[event] ? undefined : 'muted') as Tone | undefined }));
  return { engine: rows, tab: tabRows, counts, tabNote: null };
}
