// The person's settings (auto-lock delay, user-verification grace period, sites that always use
// the browser), in storage.local: not secret, kept across restarts. Read through a cache that
// follows storage changes, so the hot path (every ceremony) does not wait on storage.
import { browser } from '../browser.cjs';
import { DEFAULT_SETTINGS, type Settings } from '../messages/manage';

const KEY = 'latchkey.settings';
let cache: Promise<Settings> | null = null;

browser.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && KEY in changes) cache = null;
});

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

export function readSettings(): Promise<Settings> {
  cache ??= browser.storage.local.get(KEY).then((r) => normalizeSettings(r[KEY]));
  return cache;
}

let writing: Promise<unknown> = Promise.resolve();
const changeListeners: ((s: Settings) => void)[] = [];

/** Called after each change this background makes (proxy.ts attaches or detaches on `interceptAll`). */
export function onSettingsChange(f: (s: Settings) => void): void { changeListeners.push(f); }

/** Changes run one after another, so two quick changes cannot overwrite each other. */
export function updateSettings(patch: Partial<Settings>): Promise<Settings> {
  const run = writing.then(async () => {
    const next = normalizeSettings({ ...(await readSettings()), ...patch });
    await browser.storage.local.set({ [KEY]: next });
    cache = Promise.resolve(next);
    for (const f of changeListeners) f(next);
    return next;
  });
  writing = run.catch(() => {});
  return run;
}
