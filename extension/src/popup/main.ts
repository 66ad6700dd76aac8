// The toolbar popup: engine status (version, rules, last error) and, for the current tab, site health
// and what the guards did. Read-only; it asks the service worker once when opened.

import { GUARDED_HOSTS } from '../shared/chatgpt-endpoints';
import { isReply } from '../shared/messages';
import { adminRows } from './admin-view';
import { type Row, popupView } from './status-view';

function fill(list: HTMLElement, rows: Row[]): void {
  list.replaceChildren(
    ...rows.flatMap((row) => {
      const dt = document.createElement('dt');
      dt.textContent = row.label;
      const dd = document.createElement('dd');
      dd.textContent = row.value;
      if (row.tone) dd.className = row.tone;
      return [dt, dd];
    }),
  );
}

async function main(): Promise<void> {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  let guarded = false;
  try {
    guarded = !!tab?.url && GUARDED_HOSTS.includes(new URL(tab.url).hostname);
  } catch {
    guarded = false;
  }
  const reply: unknown = await chrome.runtime.sendMessage(tab?.id === undefined ? { type: 'status' } : { type: 'status', tabId: tab.id });
  const $ = (id: string) => document.getElementById(id) as HTMLElement;
  if (!isReply('status', reply) || !reply.ok) {
    fill($('engine'), [{ label: 'Engine', value: reply && !isReply('status', reply) ? 'No answer' : 'Error', tone: 'error' }]);
    return;
  }
  $('version').textContent = `v${reply.extensionVersion}`;
  const view = popupView(reply.engine, reply.tab, guarded, Date.now());
  fill($('engine'), view.engine);
  fill($('admin'), reply.admin ? adminRows(reply.admin, Date.now()) : []);
  fill($('tab'), view.tab ?? []);
  fill($('counts'), view.counts);
  $('tab-note').hidden = view.tabNote === null;
  $('tab-note').textContent = view.tabNote ?? '';
}

void main();
