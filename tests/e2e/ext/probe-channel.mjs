// The Firefox e2e build's probe channel: one extra content script, only in target/e2e/firefox (never
// in dist/), that lets WebDriver call the named probes of tests/e2e/probes.mjs inside the content
// script's world. Firefox offers no DevTools-protocol handle on a content script's sandbox, so the e2e
// build exports two functions to the page (exportFunction, Firefox's API for exactly this):
//   __promptwardenProbe(name, argJson)  → JSON {value} | {error} | {pending: id} (async probes)
//   __promptwardenProbeResult(id)       → the same, once the probe settles
// Results cross as JSON strings so no object of this world is handed to the page.
import { contentProbes } from '../probes.mjs';

const MAX_PENDING = 64;
const pending = new Map();
let next = 1;

const reply = (x) => JSON.stringify(x);
const failure = (e) => reply({ error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });

function probe(name, argJson) {
  try {
    const fn = Object.hasOwn(contentProbes, name) ? contentProbes[name] : null;
    if (!fn) return reply({ error: `no content probe named "${name}"` });
    const pw = globalThis.__promptwarden;
    if (!pw) return reply({ error: 'the content script has not started' });
    const value = fn(pw, JSON.parse(String(argJson)));
    if (!value || typeof value.then !== 'function') return reply({ value: value ?? null });
    const id = next++;
    pending.set(id, null);
    value.then(
      (v) => pending.set(id, reply({ value: v ?? null })),
      (e) => pending.set(id, failure(e)),
    );
    while (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value);
    return reply({ pending: id });
  } catch (e) {
    return failure(e);
  }
}

function result(id) {
  const r = pending.get(Number(id));
  if (r === undefined) return reply({ error: `no pending probe ${id}` });
  if (r === null) return reply({ pending: Number(id) });
  pending.delete(Number(id));
  return r;
}

// eslint-disable-next-line no-undef -- Firefox content-script API
exportFunction(probe, window, { defineAs: '__promptwardenProbe' });
// eslint-disable-next-line no-undef
exportFunction(result, window, { defineAs: '__promptwardenProbeResult' });
