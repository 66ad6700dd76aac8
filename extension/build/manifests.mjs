// One manifest source (the repository's manifest.json, written for Chrome) → the manifest of each
// browser. Firefox gets background scripts (an event page) instead of a service worker, a gecko id and
// its data collection declaration, the blocking webRequest permissions of its network veto (Firefox
// keeps blocking webRequest in MV3; Chrome does not), and no Chrome-only keys.

export const GECKO_ID = 'promptwarden@promptwarden.dev';

export function chromeManifest(source) {
  return structuredClone(source);
}

export function firefoxManifest(source) {
  const m = structuredClone(source);
  delete m.key; // the Chrome id; Firefox uses the gecko id
  delete m.minimum_chrome_version;
  const worker = m.background?.service_worker;
  if (!worker) throw new Error('manifest.json: background.service_worker is missing');
  // Firefox runs background scripts as ES modules with "type": "module" (since 112).
  m.background = { scripts: [worker], type: m.background.type ?? 'module' };
  // The network veto (extension/src/background/network-veto.ts) reads request bodies and cancels.
  m.permissions = [...new Set([...(m.permissions ?? []), 'webRequest', 'webRequestBlocking'])];
  m.browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      // ESR 140: the data collection declaration (140); content scripts in the MAIN world (128).
      strict_min_version: '140.0',
      data_collection_permissions: { required: ['none'] },
    },
    // Firefox for Android reads the data collection declaration from 142.
    gecko_android: { strict_min_version: '142.0' },
  };
  return m;
}

/** The end-to-end tests' content script: the probe channel (tests/e2e/ext/probe-channel.mjs). */
export const E2E_PROBE_SCRIPT = 'e2e-probe.js';

/**
 * The Firefox e2e build's manifest (target/e2e/firefox, never shipped): the Firefox manifest with the
 * probe channel as one more isolated-world content script, after content.js so it shares its world.
 */
export function firefoxE2eManifest(firefox) {
  const m = structuredClone(firefox);
  const content = m.content_scripts.find((cs) => cs.world !== 'MAIN' && cs.js?.includes('content.js'));
  if (!content) throw new Error('the Firefox manifest has no isolated-world content.js');
  content.js = [...content.js, E2E_PROBE_SCRIPT];
  m.name = `${m.name} (e2e test build)`;
  return m;
}
