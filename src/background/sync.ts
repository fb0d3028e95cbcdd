// Sync in the background: runs on change (syncSoon), at start, on an alarm, and when Latchkey is
// unlocked; one run at a time. It reads and writes passkeys only through the Vault's public methods,
// keeps its own state in its own database (src/sync/state.ts), and talks only to the one origin the
// person configured, for which it holds the optional host permission (docs/SYNC.md).
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import { originPattern, type SyncAnswers, type SyncRequest, type SyncStatus } from '../messages/sync';
import { deriveSyncKeys, fromHex, openLocal, randomBytes, ROOT_KEY_BYTES, sealLocal, toHex, unwrapRootKey, wrapRootKey } from '../sync/crypto';
import { SyncEngine, type SyncVault } from '../sync/engine';
import { SyncStore, type ConfigState } from '../sync/state';
import { syncVaultOf } from '../sync/vaultAdapter';
import { SyncHttpError, WebDav, checkFolderUrl } from '../sync/webdav';
import { PAIRING_SECRET_BYTES, decodePairingWords, encodePairingWords } from '../sync/words';
import { ACTION_PAGE, MANAGE_PAGE } from './manage';
import { readSession } from './session';
import { readSettings, updateSettings } from './settings';
import { vault } from './vaultInstance';

const STATUS_KEY = 'latchkey.sync.status';
const ALARM = 'latchkey-sync';
/** How often a device looks for other devices' changes when nothing happens here. */
const ALARM_MINUTES = 5;
const SOON_MS = 1500;

interface Secrets { appPassword: string; rootKey: string; pairingSecret: string }

const OFF: SyncStatus = { enabled: false, folderUrl: null, userName: null, state: 'off', lastSyncAt: null, message: 'Sync is off.', progress: null };

let storeOpening: Promise<SyncStore> | null = null;
function store(): Promise<SyncStore> {
  storeOpening ??= SyncStore.open();
  storeOpening.catch(() => { storeOpening = null; });
  return storeOpening;
}

async function readStatus(): Promise<SyncStatus> {
  const got = (await browser.storage.local.get(STATUS_KEY))[STATUS_KEY] as SyncStatus | undefined;
  return got ?? OFF;
}

let statusWrite: Promise<unknown> = Promise.resolve();
function writeStatus(s: SyncStatus): Promise<void> {
  const run = statusWrite.then(() => browser.storage.local.set({ [STATUS_KEY]: s }));
  statusWrite = run.catch(() => {});
  return run;
}

function messageOf(e: unknown): string {
  return (e as Error | null)?.message ?? String(e);
}

async function unlockedKey(): Promise<Uint8Array> {
  const s = await readSession();
  if (!s) throw new Error('Latchkey is locked. Unlock it with your PIN first.');
  return s.vaultKey;
}

/** The Vault's public methods, as the engine wants them. */
function vaultFor(vaultKey: Uint8Array): SyncVault {
  return syncVaultOf(vault, vaultKey, {
    get: async () => (await readSettings()).handoverSites,
    set: async (sites) => { await updateSettings({ handoverSites: sites }); },
  });
}

function davFor(c: { folderUrl: string; userName: string }, appPassword: string): WebDav {
  return new WebDav({ folderUrl: c.folderUrl, userName: c.userName, appPassword });
}

async function hasPermission(folderUrl: string): Promise<boolean> {
  return browser.permissions.contains({ origins: [originPattern(folderUrl)] });
}

function base(c: ConfigState, prev: SyncStatus): SyncStatus {
  return { ...prev, enabled: true, folderUrl: c.folderUrl, userName: c.userName };
}

let enabledCache: Promise<boolean> | null = null;
/**
 * Whether sync is on (cached; follows enable, join and disable): a passkey created now is
 * backup eligible (§6.1.3, for good) and backed up within seconds.
 */
export function isSyncOn(): Promise<boolean> {
  enabledCache ??= store().then((s) => s.getConfig()).then((c) => c !== undefined, () => false);
  return enabledCache;
}

// ---- runs ------------------------------------------------------------------------------------

let running: Promise<SyncStatus> | null = null;
let again = false;

/** Runs a sync now, or once more right after the one running. */
export function syncNow(): Promise<SyncStatus> {
  if (running) { again = true; return running; }
  running = (async () => {
    let s: SyncStatus;
    do { again = false; s = await runOnce(); } while (again);
    return s;
  })().finally(() => { running = null; });
  return running;
}

let soon: ReturnType<typeof setTimeout> | null = null;
/** Something changed in the vault: sync a moment later (a burst of changes makes one run). */
export function syncSoon(): void {
  if (soon) return;
  soon = setTimeout(() => { soon = null; void syncNow().catch(() => {}); }, SOON_MS);
}

async function runOnce(): Promise<SyncStatus> {
  const st = await store();
  const c = await st.getConfig();
  if (!c) return OFF;
  const prev = await readStatus();
  const session = await readSession();
  if (!session) {
    const s = { ...base(c, prev), state: 'locked' as const, progress: null, message: 'Sync waits until Latchkey is unlocked.' };
    await writeStatus(s);
    return s;
  }
  if (!(await hasPermission(c.folderUrl))) {
    const s = { ...base(c, prev), state: 'error' as const, progress: null,
      message: `Latchkey may no longer reach ${new URL(c.folderUrl).origin} (the permission was removed). Turn sync off and on again to allow it.` };
    await writeStatus(s);
    return s;
  }
  let secrets: Secrets;
  try {
    secrets = openLocal<Secrets>(session.vaultKey, c.sealed);
  } catch {
    const s = { ...base(c, prev), state: 'error' as const, progress: null, message: 'The sync settings on this device cannot be read. Turn sync off, then join again with the pairing words.' };
    await writeStatus(s);
    return s;
  }
  const syncing = { ...base(c, prev), state: 'syncing' as const, message: 'Syncing…', progress: null };
  await writeStatus(syncing);
  let lastProgress = 0;
  try {
    const outcome = await new SyncEngine({
      dav: davFor(c, secrets.appPassword), keys: deriveSyncKeys(fromHex(secrets.rootKey)), store: st,
      vault: vaultFor(session.vaultKey), deviceId: c.deviceId,
      onProgress: (p) => {
        // At most a few status writes a second: the page polls it.
        const now = Date.now();
        if (now - lastProgress < 250 && p.done !== p.total) return;
        lastProgress = now;
        const verb = p.phase === 'upload' ? 'Uploading' : 'Downloading';
        void writeStatus({ ...syncing, progress: p, message: `Syncing… ${verb} ${p.done} of ${p.total}.` });
      },
    }).run();
    const at = Date.now();
    const done: SyncStatus = {
      ...base(c, prev), state: 'synced', lastSyncAt: at, progress: null,
      message: `Synced at ${new Date(at).toLocaleTimeString()}.` +
        (outcome.applied ? ` ${outcome.applied} change${outcome.applied === 1 ? '' : 's'} from other devices.` : ''),
    };
    await writeStatus(done);
    return done;
  } catch (e) {
    const failed: SyncStatus = { ...base(c, prev), state: 'error', progress: null, message: messageOf(e) };
    await writeStatus(failed);
    return failed;
  }
}

// ---- turning it on -----------------------------------------------------------------------------

async function configure(f: { folderUrl: string; userName: string; appPassword: string }, rootKey: Uint8Array, pairingSecret: Uint8Array, vaultKey: Uint8Array): Promise<void> {
  const config: ConfigState = {
    id: 'config', folderUrl: checkFolderUrl(f.folderUrl).href, userName: f.userName,
    deviceId: toHex(randomBytes(8)), enabledAt: Date.now(),
    sealed: sealLocal(vaultKey, { appPassword: f.appPassword, rootKey: toHex(rootKey), pairingSecret: toHex(pairingSecret) } satisfies Secrets),
  };
  await (await store()).setConfig(config);
  enabledCache = Promise.resolve(true);
  await browser.alarms.create(ALARM, { periodInMinutes: ALARM_MINUTES });
}

function checkFields(m: { folderUrl: unknown; userName: unknown; appPassword: unknown }): { folderUrl: string; userName: string; appPassword: string } {
  if (typeof m.folderUrl !== 'string' || typeof m.userName !== 'string' || typeof m.appPassword !== 'string') throw new Error('Fill in the server address, user name and app password.');
  if (!m.userName.trim() || !m.appPassword) throw new Error('Fill in the user name and the app password.');
  const folderUrl = checkFolderUrl(m.folderUrl).href;
  return { folderUrl, userName: m.userName.trim(), appPassword: m.appPassword };
}

async function requirePermission(folderUrl: string): Promise<void> {
  if (!(await hasPermission(folderUrl))) {
    throw new Error(`Latchkey needs your permission to reach ${new URL(folderUrl).origin}. Turn sync on again and allow it.`);
  }
}

async function enable(m: Extract<SyncRequest, { type: 'sync/enable' }>): Promise<{ words: string }> {
  const vaultKey = await unlockedKey();
  const f = checkFields(m);
  await requirePermission(f.folderUrl);
  const dav = davFor(f, f.appPassword);
  if (!(await dav.exists())) await dav.mkcol();
  const existing = await dav.get('key');
  if (existing.status === 200) {
    throw new Error('This folder already holds Latchkey sync data. On this device, choose "Join" and enter the pairing words from your first device, or use an empty folder.');
  }
  // The folders first, the key file last: a failure before it leaves the folder free for another try.
  await dav.mkcol('r');
  await dav.mkcol('b');
  const rootKey = randomBytes(ROOT_KEY_BYTES);
  const pairingSecret = randomBytes(PAIRING_SECRET_BYTES);
  const put = await dav.put('key', new TextEncoder().encode(JSON.stringify(wrapRootKey(rootKey, pairingSecret))), { ifNoneMatch: '*' });
  if (put.status === 'conflict') throw new Error('Another device turned sync on in this folder at the same moment. Use "Join" with its pairing words.');
  await configure(f, rootKey, pairingSecret, vaultKey);
  await writeStatus({ ...OFF, enabled: true, folderUrl: f.folderUrl, userName: f.userName, state: 'syncing', message: 'Syncing…' });
  void syncNow();
  return { words: encodePairingWords(pairingSecret) };
}

async function join(m: Extract<SyncRequest, { type: 'sync/join' }>): Promise<SyncStatus> {
  const vaultKey = await unlockedKey();
  const f = checkFields(m);
  const pairingSecret = decodePairingWords(m.words); // a typo is caught here, before the server
  await requirePermission(f.folderUrl);
  const dav = davFor(f, f.appPassword);
  const got = await dav.get('key');
  if (got.status !== 200) throw new Error('There is no Latchkey sync data in this folder yet. Turn sync on on your first device first, then join with its pairing words.');
  let file: unknown;
  try { file = JSON.parse(new TextDecoder().decode(got.bytes)); } catch { file = null; }
  const rootKey = unwrapRootKey(file, pairingSecret);
  await configure(f, rootKey, pairingSecret, vaultKey);
  await writeStatus({ ...OFF, enabled: true, folderUrl: f.folderUrl, userName: f.userName, state: 'syncing', message: 'Syncing…' });
  void syncNow();
  return readStatus();
}

async function pairingWords(): Promise<{ words: string }> {
  const vaultKey = await unlockedKey();
  const c = await (await store()).getConfig();
  if (!c) throw new Error('Sync is off.');
  return { words: encodePairingWords(fromHex(openLocal<Secrets>(vaultKey, c.sealed).pairingSecret)) };
}

async function disable(): Promise<SyncStatus> {
  await unlockedKey();
  const st = await store();
  const c = await st.getConfig();
  await st.clear();
  enabledCache = Promise.resolve(false);
  await browser.alarms.clear(ALARM);
  await writeStatus(OFF);
  // Least privilege: the server's origin goes too (the required host permissions stay what they are).
  if (c) await browser.permissions.remove({ origins: [originPattern(c.folderUrl)] }).catch(() => false);
  return OFF;
}

// ---- messages and listeners ------------------------------------------------------------------

function isFromPage(sender: Browser.Runtime.MessageSender, path: string): boolean {
  if (sender.id !== browser.runtime.id || !sender.url) return false;
  const page = browser.runtime.getURL(path);
  return sender.url === page || sender.url.startsWith(`${page}#`) || sender.url.startsWith(`${page}?`);
}

/** The manage page may do everything; the toolbar popup may only read the status. */
export function isAllowedSyncSender(sender: Browser.Runtime.MessageSender, m: SyncRequest): boolean {
  return isFromPage(sender, MANAGE_PAGE) || (m.type === 'sync/status' && isFromPage(sender, ACTION_PAGE));
}

const handlers: { [K in SyncRequest['type']]: (m: Extract<SyncRequest, { type: K }>) => Promise<SyncAnswers[K]> } = {
  'sync/status': () => readStatus(),
  'sync/enable': enable,
  'sync/join': join,
  'sync/now': async () => { await unlockedKey(); return syncNow(); },
  'sync/pairing': pairingWords,
  'sync/disable': disable,
};

export async function onSyncMessage(m: SyncRequest): Promise<{ ok: true; value: unknown } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await (handlers[m.type] as (x: SyncRequest) => Promise<unknown>)(m) };
  } catch (e) {
    if (e instanceof SyncHttpError || e instanceof Error) return { ok: false, error: e.message };
    return { ok: false, error: String(e) };
  }
}

/** Registered at start (MV3: listeners synchronously): the alarm, the unlock, and a first run. */
export function listenForSync(): void {
  browser.alarms.onAlarm.addListener((a) => { if (a.name === ALARM) void syncNow().catch(() => {}); });
  // Unlocked (the session appears in storage.session): catch up with what other devices did.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && changes['latchkey.session']?.newValue && !changes['latchkey.session'].oldValue) syncSoon();
  });
  // At start: only when sync is on (with it off, no request is ever made).
  void isSyncOn().then((on) => { if (on) syncSoon(); });
}
