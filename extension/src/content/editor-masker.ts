// Masks findings in the composer itself: asks the engine for replacements, writes them through the
// editor, then reads the composer back and compares with what the engine produced. Only a verified
// rewrite counts; anything else is reported, and the user's text stays where it is.

import type { Action, Span } from '../shared/findings';
import type { BackgroundClient } from './background-client';
import type { Composer } from './composer';

export type MaskOutcome = { ok: true; count: number } | { ok: false; reason: string };

export async function maskInEditor(
  composer: Composer,
  client: BackgroundClient,
  select: { spans?: Span[]; actions?: Action[] },
): Promise<MaskOutcome> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const text = composer.read();
    const reply = await client.ask({ type: 'mask', text, ...select });
    if (!reply.ok) return { ok: false, reason: `the engine could not mask: ${reply.error.message}` };
    if (reply.replacements.length === 0) return { ok: true, count: 0 };
    // The user typed while the engine worked: the replacements are for another text. Try once more.
    if (composer.read() !== text) continue;
    const applied = composer.replace(reply.replacements.map((r) => ({ start: r.start, end: r.end, text: r.replacement })));
    if (applied && composer.read() === reply.text) return { ok: true, count: reply.replacements.length };
    return { ok: false, reason: 'the message box did not accept the rewrite' };
  }
  return { ok: false, reason: 'the message kept changing' };
}
