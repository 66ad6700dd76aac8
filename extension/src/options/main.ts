// The options page: the policy in effect and the user's own settings. A setting the administrator's
// policy decides (or every setting, when it locks them) is shown read-only with who manages it; the
// service worker enforces the same lock, so this page only mirrors it.

import { CATEGORIES, type Category, type Confidence } from '../shared/findings';
import { type AdminStatus, isReply } from '../shared/messages';
import { adminRows, managedBy } from '../popup/admin-view';

const NAMES: Record<Category, string> = {
  secret: 'Secrets and private keys',
  gov_id: 'Government identifiers',
  financial: 'Financial data',
  health: 'Health data',
  pii: 'Contact and personal data',
  confidential: 'Confidentiality markers',
};
const ACTIONS: Record<string, string> = {
  allow: 'Highlight only',
  warn: 'Warn before sending',
  justify: 'Send only with a reason',
  mask: 'Mask on send',
  block: 'Block (offer to mask)',
};
const CONFIDENCES: Record<Confidence, string> = { low: 'Low', medium: 'Medium', high: 'High' };
/** chrome.storage.local key the service worker reads (background/managed-policy.ts). */
const USER_SETTINGS_KEY = 'settings.user';

interface UserSettings {
  category?: Partial<Record<Category, string>>;
  minConfidence?: Confidence;
}

const $ = (id: string) => document.getElementById(id) as HTMLElement;

function select(options: Record<string, string>, value: string, locked: boolean, label: string): HTMLSelectElement {
  const s = document.createElement('select');
  s.setAttribute('aria-label', label);
  for (const [v, text] of Object.entries(options)) {
    const o = document.createElement('option');
    o.value = v;
    o.textContent = text;
    s.append(o);
  }
  s.value = value;
  s.disabled = locked;
  return s;
}

async function save(change: (s: UserSettings) => void): Promise<void> {
  const stored = (await chrome.storage.local.get(USER_SETTINGS_KEY))[USER_SETTINGS_KEY] as UserSettings | undefined;
  const settings: UserSettings = { ...stored, category: { ...stored?.category } };
  change(settings);
  await chrome.storage.local.set({ [USER_SETTINGS_KEY]: settings });
  $('saved').textContent = 'Saved. It applies to the next message you type.';
}

async function main(): Promise<void> {
  const reply: unknown = await chrome.runtime.sendMessage({ type: 'status' });
  const policy = isReply('status', reply) && reply.ok ? reply.engine.policy : null;
  const admin: AdminStatus | undefined = isReply('status', reply) && reply.ok ? reply.admin : undefined;
  if (!policy) {
    const error = $('error');
    error.hidden = false;
    error.textContent = 'The engine is not running, so the policy cannot be shown. Open the toolbar popup for details.';
    return;
  }
  const locked = new Set(admin?.lockedSettings ?? []);
  const lockNote = admin ? `Set by ${managedBy(admin)}` : '';
  $('managed').textContent = admin?.managed
    ? `Managed by ${managedBy(admin)}. ${admin.lockSettings ? 'Your organisation has locked these settings.' : 'Settings marked "Set by" are decided by your organisation; you may change the others.'}`
    : 'No organisation manages PromptWarden here: these are your own settings.';

  const rows = CATEGORIES.map((c) => {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = NAMES[c];
    const cell = document.createElement('td');
    const isLocked = locked.has(`category.${c}`);
    const s = select(ACTIONS, policy.categories[c] ?? 'allow', isLocked, NAMES[c]);
    s.dataset.setting = `category.${c}`;
    s.addEventListener('change', () => void save((u) => ((u.category ??= {})[c] = s.value)));
    cell.append(s);
    if (isLocked) {
      const note = document.createElement('span');
      note.className = 'lock';
      note.textContent = lockNote;
      cell.append(note);
    }
    tr.append(name, cell);
    return tr;
  });
  $('categories').replaceChildren(...rows);

  const conf = $('min-confidence') as HTMLSelectElement;
  conf.replaceWith(select(CONFIDENCES, policy.min_confidence, locked.has('minConfidence'), 'Minimum confidence'));
  const confSelect = document.querySelector('.field select') as HTMLSelectElement;
  confSelect.id = 'min-confidence';
  confSelect.dataset.setting = 'minConfidence';
  confSelect.addEventListener('change', () => void save((u) => (u.minConfidence = confSelect.value as Confidence)));
  if (locked.has('minConfidence')) {
    $('min-confidence-lock').hidden = false;
    $('min-confidence-lock').textContent = lockNote;
  }

  const settings: [string, string][] = [
    ['If a check cannot run', policy.fail_mode === 'open' ? 'the message is sent (fail open)' : 'the message is not sent (fail closed)'],
    ['Masked values look like', policy.mask_style === 'placeholder' ? '[EMAIL_ADDRESS_1]' : policy.mask_style],
    ['Rule overrides', Object.keys(policy.rules).length ? Object.entries(policy.rules).map(([r, a]) => `${r}: ${a}`).join(', ') : 'none'],
    ['Letting a warning through', admin?.userOverrideAllowed === false ? 'not allowed: warned values are masked' : 'allowed (Send anyway)'],
  ];
  $('settings').replaceChildren(...settings.flatMap(([k, v]) => pair(k, v)));

  if (admin) {
    $('admin').replaceChildren(...adminRows(admin, Date.now()).flatMap((r) => pair(r.label, r.value, r.tone)));
    if (admin.extraSites.patterns.length && !admin.extraSites.granted) {
      $('sites').hidden = false;
      $('grant').addEventListener('click', () => {
        // Must run in the click: the browser asks the user.
        void chrome.permissions.request({ origins: admin.extraSites.patterns }).then((ok) => {
          $('saved').textContent = ok ? 'Allowed. Reload the pages of those sites.' : 'Not allowed.';
        });
      });
    }
  }
}

function pair(label: string, value: string, tone?: string): HTMLElement[] {
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value;
  if (tone) dd.className = tone;
  return [dt, dd];
}

void main();
