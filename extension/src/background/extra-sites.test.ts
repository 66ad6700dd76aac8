import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExtraSites, SCRIPT_IDS, type PermissionsApi, type ScriptingApi } from './extra-sites';

/** The browser's registry of dynamic content scripts, with its refusal of duplicate ids. */
function fakeBrowser(granted: boolean) {
  const registered = new Map<string, chrome.scripting.RegisteredContentScript>();
  const scripting: ScriptingApi = {
    async getRegisteredContentScripts({ ids }) {
      return ids.filter((id) => registered.has(id)).map((id) => ({ id }));
    },
    async unregisterContentScripts({ ids }) {
      for (const id of ids) registered.delete(id);
    },
    async registerContentScripts(scripts) {
      await new Promise((r) => setTimeout(r, 5)); // the browser answers later
      for (const s of scripts) {
        if (registered.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
        registered.set(s.id, s);
      }
    },
  };
  const permissions: PermissionsApi = { contains: async () => granted };
  return { scripting, permissions, registered };
}

test('registers both scripts for the listed sites when the browser allows them', async () => {
  const b = fakeBrowser(true);
  const sites = new ExtraSites(b.scripting, b.permissions);
  await sites.sync(['https://chat.acme.example/*']);
  assert.deepEqual([...b.registered.keys()].sort(), [...SCRIPT_IDS].sort());
  const page = b.registered.get(SCRIPT_IDS[0]);
  assert.equal(page?.world, 'MAIN');
  assert.equal(page?.runAt, 'document_start');
  assert.deepEqual(b.registered.get(SCRIPT_IDS[1])?.js, ['content.js']);
  assert.ok(sites.includes('https://chat.acme.example/c/1'));
  assert.ok(!sites.includes('https://other.example/'));
  // Overlapping syncs (policy change and permission grant at once) must not collide on the ids.
  await Promise.all([sites.sync(['https://a.example/*']), sites.sync(['https://b.example/*'])]);
  assert.deepEqual(b.registered.get(SCRIPT_IDS[1])?.matches, ['https://b.example/*']);
  await sites.sync([]);
  assert.equal(b.registered.size, 0, 'no sites: nothing registered');
});

test('nothing is injected where the browser has not allowed it', async () => {
  const b = fakeBrowser(false);
  const sites = new ExtraSites(b.scripting, b.permissions);
  await sites.sync(['https://chat.acme.example/*']);
  assert.equal(b.registered.size, 0);
  assert.equal(sites.includes('https://chat.acme.example/'), false);
  assert.deepEqual(sites.status(), { patterns: ['https://chat.acme.example/*'], granted: false });
});
