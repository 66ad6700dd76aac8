// The content script on ChatGPT (isolated world, document_start). It stays thin: find the composer and
// the send control (through the site adapter), collect text, ask the service worker, render. Three
// guards share one state:
//   typing — incremental scans, highlights, pill, card;   send — Enter / click on send, per policy;
//   wire   — decides the bodies the page-world request guard hands over.
// The wire channel is handed over first thing, before any page script runs.

import { Approvals } from './approvals';
import { BackgroundClient } from './background-client';
import { Card } from './card';
import { ChatGptAdapter } from './chatgpt-adapter';
import { createHighlights } from './highlights';
import { Reporter } from './reporter';
import { SendGuard } from './send-guard';
import { StatusPill } from './status-pill';
import { TypingGuard } from './typing-guard';
import { UiHost } from './ui-host';
import { checkFile } from './file-transfer';
import { UploadCard } from './upload-card';
import { UploadGuard } from './upload-guard';
import { WireGuard } from './wire-guard';

const HEALTH_CHECK_MS = 1_000;

const client = new BackgroundClient();
const approvals = new Approvals();
const adapter = new ChatGptAdapter();
const reporter = new Reporter(client);
const ui = new UiHost();
const anchor = () => {
  const el = adapter.composer()?.element;
  return el?.closest('form') ?? el ?? null;
};
const card = new Card(ui, anchor);

const typing: TypingGuard = new TypingGuard({
  client,
  approvals,
  painter: createHighlights(),
  pill: new StatusPill(ui, anchor, () => typing.openCard()),
  card,
  reporter,
  onScanned: () => wire.syncFailMode(),
});

const wire: WireGuard = new WireGuard({
  client,
  approvals,
  reporter,
  failMode: () => typing.policyFailMode,
  onRefusedSend: (text) => restore(text),
});
wire.connect();

new SendGuard({ adapter, client, approvals, typing, card, reporter }).install(document);
// A rule update reached the worker: what is in the composer is scanned again with the new rules.
client.onRulesChanged(() => typing.rescanAll());

// Files leave when they are attached, not on send: picker, drop and paste are checked as they happen.
const uploadCard = new UploadCard(ui, anchor);
const uploads = new UploadGuard({
  card: uploadCard,
  reporter,
  clear: (size, sha256) => wire.clearUpload(size, sha256),
  composer: () => adapter.composer()?.element ?? null,
  fileInput: () =>
    adapter.composer()?.element.closest('form')?.querySelector<HTMLInputElement>('input[type="file"]') ??
    document.querySelector<HTMLInputElement>('input[type="file"]'),
  failMode: () => typing.policyFailMode,
});
uploads.install(document);

/** A refused send: the site may already have cleared the composer, so put the user's text back. */
function restore(text: string): void {
  const composer = adapter.composer();
  if (composer && composer.read().trim() === '') composer.replaceAll(text);
  card.show(
    {
      mode: 'notice',
      items: [],
      notice:
        'PromptWarden stopped this message: it contains data your organisation does not allow to be shared. ' +
        'Your text is back in the message box — mask the highlighted items and send again.',
    },
    { mask() {}, ignore() {}, maskAll() {}, close: () => card.hide() },
  );
  typing.rescan();
}

function check(): void {
  const composer = adapter.composer();
  if (composer !== typing.attached) typing.attach(composer);
  reporter.siteHealth(adapter.health(wire.connected));
}

// The app renders the composer after load, and replaces it on navigation between chats.
setInterval(check, HEALTH_CHECK_MS);
document.addEventListener('DOMContentLoaded', check);
addEventListener('load', check);
let pending = false;
new MutationObserver(() => {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    if (adapter.composer() !== typing.attached) check();
  });
}).observe(document, { childList: true, subtree: true });
reporter.startHeartbeat();

// For end-to-end tests and the benchmark, which reach this isolated world through the DevTools
// protocol. The page's own scripts run in another world and cannot see it.
Object.assign(globalThis, {
  __promptwarden: { typing, card, adapter, wire, approvals, client, uploads, uploadCard, checkFile },
});
