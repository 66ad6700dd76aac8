// How a finding is explained to the person who typed it: a short name, what kind of data it is, why it
// matters, what will happen on send, and a preview that never shows the whole value on screen.

import type { Action, Category, Finding } from '../shared/findings';

export const CATEGORY_LABELS: Record<Category, string> = {
  secret: 'Secret',
  pii: 'Personal data',
  financial: 'Financial',
  gov_id: 'Government ID',
  health: 'Health',
  confidential: 'Confidential',
};

export const WHY: Record<Category, string> = {
  secret: 'Anyone who sees a credential can act as you or your service. What you send to an AI service may be stored and read by others.',
  pii: 'Contact details identify a real person. Share them only when the task needs them.',
  financial: 'Card and bank details can be used for fraud, and are regulated data.',
  gov_id: 'Government identifiers enable identity theft, and are regulated data.',
  health: 'Health information is sensitive and protected by law in most places.',
  confidential: 'This is marked as confidential and may not leave your organisation.',
};

export const ACTION_LABELS: Record<Action, string> = {
  block: 'Blocked',
  mask: 'Masked on send',
  warn: 'Check before sending',
  justify: 'Needs a reason to send',
  allow: 'Possible match',
};

/** "AWS access key id (long-term AKIA…)" → "AWS access key id". */
export function findingTitle(f: Pick<Finding, 'description' | 'entity'>): string {
  const short = f.description.replace(/\s*\(.*$/, '').trim();
  if (short) return short;
  const words = f.entity.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The value with its middle hidden: enough to recognise it, not enough to copy it. */
export function preview(value: string): string {
  const flat = value.replace(/\s+/g, ' ');
  const chars = Array.from(flat);
  if (chars.length <= 6) return '•'.repeat(chars.length);
  const keep = chars.length >= 16 ? 4 : 2;
  const hidden = Math.min(chars.length - 2 * keep, 12);
  return `${chars.slice(0, keep).join('')}${'•'.repeat(hidden)}${chars.slice(-keep).join('')}`;
}
