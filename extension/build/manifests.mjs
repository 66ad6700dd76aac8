// One manifest source (the repository's manifest.json, written for Chrome) → the manifest of each
// browser. Firefox gets background scripts instead of a service worker, a gecko id and its data
// collection declaration, and no Chrome-only keys.

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
  m.background = { scripts: [worker], type: m.background.type ?? 'module' };
  m.browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: '128.0', // content scripts in the MAIN world
      data_collection_permissions: { required: ['none'] },
    },
  };
  return m;
}
