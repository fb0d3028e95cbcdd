// The person's settings (auto-lock delay, user-verification grace period, sites that always use
// the browser). Not secret, but they decide how well the vault is guarded, so they live where only
// Latchkey's own pages can write: an IndexedDB database of the extension's origin, written by this
// background alone (the manage page and the ceremony window ask it by message).
//
// Why not storage.local, where they were: in both browsers storage.local is open to content
// scripts, which run in the web page's renderer process. A page that compromises its renderer (or a
// bug in the bridge) could turn auto-lock off, stretch the grace period to an hour, or add a site
// to "always use the browser". Chrome can close storage.session to content scripts
// (setAccessLevel, the default) but offers no such switch for storage.local; Firefox has none at
// all (e2e/settings.e2e.test.ts shows the write from a content script, and that it no longer takes
// effect). IndexedDB is per origin, and the browser process (Chrome's site isolation, Firefox's
// extension process) never lets a web page's renderer open the extension origin's databases.
//
// Read through a cache: only this module writes, so the cache is the truth once read, and the hot
// path (every ceremony) does not wait on storage.
import { openDB, type IDBPDatabase } from 'idb';
import { browser } from '../browser.cjs';
import { DEFAULT_SETTINGS, type Settings } from '../messages/manage';

/** Where the settings were kept before: read once, to move them, then removed and ignored. */
export const LEGACY_KEY = 'latchkey.settings';
export const SETTINGS_DB = 'latchkey-settings';
const STORE = 'settings';
const RECORD = 'current';

/** The place settings are kept; the background's is IndexedDB (tests pass another database name). */
export interface SettingsStore {
  read(): Promise<{ found: boolean; value: unknown }>;
  write(v: Settings): Promise<void>;
}

export function indexedDbStore(name = SETTINGS_DB): SettingsStore {
  let db: Promise<IDBPDatabase> | null = null;
  const open = () => {
    db ??= openDB(name, 1, {
      upgrade(d) { d.createObjectStore(STORE); },
      // An update of the extension may upgrade the database; a connection held open would block it.
      blocking() { void db?.then((x) => x.close()); db = null; },
      terminated() { db = null; },
    });
    return db;
  };
  return {
    async read() {
      const d = await open();
      const key = await d.getKey(STORE, RECORD);
      return { found: key !== undefined, value: key === undefined ? undefined : await d.get(STORE, RECORD) };
    },
    async write(v) { await (await open()).put(STORE, v, RECORD); },
  };
}

/** The old home (storage.local), for the one-time move. */
export interface LegacyStore {
  read(): Promise<unknown>;
  remove(): Promise<void>;
}

const legacyLocal: LegacyStore = {
  async read() { return (await browser.storage.local.get(LEGACY_KEY))[LEGACY_KEY]; },
  async remove() { await browser.storage.local.remove(LEGACY_KEY); },
};

/** Anything stored is re-checked: a bad value falls back to the default for that field. */
export function normalizeSettings(v: unknown): Settings {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Partial<Record<keyof Settings, unknown>>;
  const num = (x: unknown, d: number, max: number) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= max ? x : d);
  const siteList = (x: unknown, d: string[]) => (Array.isArray(x)
    ? [...new Set(x.filter((s): s is string => typeof s === 'string' && isSiteName(s)).map((s) => s.toLowerCase()))].sort()
    : d);
  return {
    autoLockMinutes: num(o.autoLockMinutes, DEFAULT_SETTINGS.autoLockMinutes, 24 * 60),
    uvGraceSeconds: num(o.uvGraceSeconds, DEFAULT_SETTINGS.uvGraceSeconds, 3600),
    handoverSites: siteList(o.handoverSites, DEFAULT_SETTINGS.handoverSites),
    passkeyUpgrades: typeof o.passkeyUpgrades === 'boolean' ? o.passkeyUpgrades : DEFAULT_SETTINGS.passkeyUpgrades,
    noUpgradeSites: siteList(o.noUpgradeSites, DEFAULT_SETTINGS.noUpgradeSites),
    interceptAll: typeof o.interceptAll === 'boolean' ? o.interceptAll : DEFAULT_SETTINGS.interceptAll,
  };
}

/** A host name as an RP ID: labels of letters, digits and hyphens (IDNs in their A-label form). */
export function isSiteName(s: string): boolean {
  return s.length <= 253 && /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(s);
}

/**
 * The settings, kept in `store`. The first read after an update from a release that kept them in
 * storage.local moves them (they were the person's; nothing is lost), writes the record, and
 * removes the old key. From then on the record exists, and storage.local is never read again: a
 * later write there, from wherever, changes nothing.
 */
export function settingsKeeper(store: SettingsStore, legacy: LegacyStore) {
  let cache: Promise<Settings> | null = null;
  let writing: Promise<unknown> = Promise.resolve();

  async function load(): Promise<Settings> {
    const got = await store.read();
    if (got.found) return normalizeSettings(got.value);
    const moved = normalizeSettings(await legacy.read());
    await store.write(moved);
    await legacy.remove().catch(() => { /* ignored from now on anyway */ });
    return moved;
  }

  function read(): Promise<Settings> {
    if (cache) return cache;
    const p = load();
    cache = p;
    p.catch(() => { if (cache === p) cache = null; }); // a failed read is tried again next time
    return p;
  }

  /** Changes run one after another, so two quick changes cannot overwrite each other. */
  function update(patch: Partial<Settings>): Promise<Settings> {
    const run = writing.then(async () => {
      const next = normalizeSettings({ ...(await read()), ...patch });
      await store.write(next);
      cache = Promise.resolve(next);
      return next;
    });
    writing = run.catch(() => {});
    return run;
  }

  return { read, update };
}

const keeper = settingsKeeper(indexedDbStore(), legacyLocal);

export function readSettings(): Promise<Settings> {
  return keeper.read();
}

const changeListeners: ((s: Settings) => void)[] = [];

/** Called after each change this background makes (proxy.ts attaches or detaches on `interceptAll`). */
export function onSettingsChange(f: (s: Settings) => void): void { changeListeners.push(f); }

export async function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const next = await keeper.update(patch);
  for (const f of changeListeners) f(next);
  return next;
}
