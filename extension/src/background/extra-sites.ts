// The extra sites an administrator lists (`extraSites`: match patterns of ChatGPT-compatible
// deployments on other hosts) get the same two content scripts as chatgpt.com, registered at run time
// with `chrome.scripting.registerContentScripts`.
//
// The design decision to know: the manifest asks for no host beyond chatgpt.com up front; the others
// are `optional_host_permissions`. A browser runs a registered script only where the extension holds
// the host permission, so the scripts are registered only when the permission is there (a user grants
// it on the options page; see docs/admin.md for the policy that grants it without asking). Nothing is
// injected anywhere the policy does not name.

import { matchesPattern } from './managed-policy';

/** Ids of the registered scripts (also how they are found and replaced). */
export const SCRIPT_IDS = ['extra-sites.page-guard', 'extra-sites.content'] as const;

export interface ScriptingApi {
  getRegisteredContentScripts(filter: { ids: string[] }): Promise<{ id: string }[]>;
  unregisterContentScripts(filter: { ids: string[] }): Promise<void>;
  registerContentScripts(scripts: chrome.scripting.RegisteredContentScript[]): Promise<void>;
}

export interface PermissionsApi {
  contains(permissions: { origins: string[] }): Promise<boolean>;
}

/** The registrations for `patterns` (the same scripts as the manifest's chatgpt.com entries). */
export function registrations(patterns: string[]): chrome.scripting.RegisteredContentScript[] {
  return [
    { id: SCRIPT_IDS[0], matches: patterns, js: ['page-guard.js'], runAt: 'document_start', world: 'MAIN', persistAcrossSessions: true },
    { id: SCRIPT_IDS[1], matches: patterns, js: ['content.js'], css: ['content.css'], runAt: 'document_start', persistAcrossSessions: true },
  ];
}

export class ExtraSites {
  private patterns: string[] = [];
  private granted = false;

  constructor(
    private readonly scripting: ScriptingApi,
    private readonly permissions: PermissionsApi,
  ) {}

  /** Whether `url` is on one of the extra sites (and the scripts may run there). */
  includes(url: string): boolean {
    return this.granted && this.patterns.some((p) => matchesPattern(p, url));
  }

  status(): { patterns: string[]; granted: boolean } {
    return { patterns: [...this.patterns], granted: this.granted };
  }

  private queue: Promise<void> = Promise.resolve();

  /**
   * Makes the registrations match `patterns` (call on start, on policy change, on a permission grant).
   * Calls run one after the other: two overlapping registrations would collide on the script ids.
   */
  sync(patterns: string[]): Promise<void> {
    this.queue = this.queue.then(() => this.syncNow(patterns)).catch(() => {});
    return this.queue;
  }

  private async syncNow(patterns: string[]): Promise<void> {
    this.patterns = [...patterns];
    this.granted = patterns.length > 0 && (await this.permissions.contains({ origins: patterns }).catch(() => false));
    const existing = (await this.scripting.getRegisteredContentScripts({ ids: [...SCRIPT_IDS] }).catch(() => [])).map((s) => s.id);
    if (existing.length) await this.scripting.unregisterContentScripts({ ids: existing });
    if (this.granted) await this.scripting.registerContentScripts(registrations(patterns));
  }
}
