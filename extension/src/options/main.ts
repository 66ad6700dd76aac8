// The options page: the policy in effect, read-only (administrators set it; there is nothing for the
// user to change yet).

import { CATEGORIES, type Category } from '../shared/findings';
import { isReply } from '../shared/messages';

const NAMES: Record<Category, string> = {
  secret: 'Secrets and private keys',
  gov_id: 'Government identifiers',
  financial: 'Financial data',
  health: 'Health data',
  pii: 'Contact and personal data',
  confidential: 'Confidentiality markers',
};
const ACTIONS = { allow: 'Highlight only', warn: 'Warn before sending', mask: 'Mask on send', block: 'Block (offer to mask)' };

async function main(): Promise<void> {
  const reply: unknown = await chrome.runtime.sendMessage({ type: 'status' });
  const policy = isReply('status', reply) && reply.ok ? reply.engine.policy : null;
  if (!policy) {
    const error = document.getElementById('error') as HTMLElement;
    error.hidden = false;
    error.textContent = 'The engine is not running, so the policy cannot be shown. Open the toolbar popup for details.';
    return;
  }
  const rows = CATEGORIES.map((c) => {
    const tr = document.createElement('tr');
    const name = document.createElement('td');
    name.textContent = NAMES[c];
    const action = document.createElement('td');
    action.textContent = ACTIONS[policy.categories[c] ?? 'allow'];
    tr.append(name, action);
    return tr;
  });
  (document.getElementById('categories') as HTMLElement).replaceChildren(...rows);
  const settings: [string, string][] = [
    ['Findings below', `${policy.min_confidence} confidence are highlighted only`],
    ['If a check cannot run', policy.fail_mode === 'open' ? 'the message is sent (fail open)' : 'the message is not sent (fail closed)'],
    ['Masked values look like', policy.mask_style === 'placeholder' ? '[EMAIL_ADDRESS_1]' : policy.mask_style],
    ['Rule overrides', Object.keys(policy.rules).length ? Object.entries(policy.rules).map(([r, a]) => `${r}: ${a}`).join(', ') : 'none'],
  ];
  (document.getElementById('settings') as HTMLElement).replaceChildren(
    ...settings.flatMap(([k, v]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = v;
      return [dt, dd];
    }),
  );
}

void main();
