// The manage page's requests (options/). Only Latchkey's own manage page may send them; each
// answers { ok, value } or { ok: false, error } with a message a person understands.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import { FIRST_PAGE, type ManageAnswer, type ManageAnswers, type ManagedPasskey, type ManageRequest, type Settings } from '../messages/manage';
import type { PasskeySummary } from '../vault/vault';
import { endSession, readSession, replaceSessionKey, rescheduleAutoLock, startSession, touchSession } from './session';
import { readSettings, updateSettings } from './settings';
import { isExchangeRequest } from '../messages/exchange';
import { onExchangeMessage } from './exchange';
import { vault } from './vaultInstance';

export const MANAGE_PAGE = 'options/options.html';

export const ACTION_PAGE = 'action/action.html';

function isFromPage(sender: Browser.Runtime.MessageSender, path: string): boolean {
  if (sender.id !== browser.runtime.id || !sender.url) return false;
  const page = browser.runtime.getURL(path);
  return sender.url === page || sender.url.startsWith(`${page}#`) || sender.url.startsWith(`${page}?`);
}

export function isFromManagePage(sender: Browser.Runtime.MessageSender): boolean {
  return isFromPage(sender, MANAGE_PAGE);
}

/** The toolbar popup may only read the lock state and lock. */
export function isAllowedFromActionPopup(sender: Browser.Runtime.MessageSender, msg: unknown): boolean {
  const type = (msg as { type?: unknown } | null)?.type;
  return isFromPage(sender, ACTION_PAGE) && (type === 'manage/state' || type === 'manage/lock');
}

function toManaged(p: PasskeySummary): ManagedPasskey {
  return {
    credentialId: p.credentialId, rpId: p.rpId, userName: p.userName, userDisplayName: p.userDisplayName,
    label: p.label ?? null, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt,
    hidden: p.hidden ? { at: p.hidden.at, by: p.hidden.by } : null,
  };
}

async function unlockedKey(): Promise<Uint8Array> {
  const s = await readSession();
  if (!s) throw new Error('Latchkey is locked. Unlock it with your PIN first.');
  await touchSession();
  return s.vaultKey;
}

const handlers: { [K in ManageRequest['type']]: (m: Extract<ManageRequest, { type: K }>) => Promise<ManageAnswers[K]> } = {
  async 'manage/state'() {
    const v = await vault();
    const unlocked = (await readSession()) !== null;
    // Names and sites are not secret (DESIGN), but the list shows only once unlocked, so a
    // passer-by at the computer learns nothing from the manage page. Only the first page comes
    // here (10,000 passkeys are a 2 MB message); the page asks for the rest with manage/list.
    const [initialized, lockout, settings, page] = await Promise.all([
      v.isInitialized(), v.unlockState(), readSettings(), unlocked ? v.listPage(null, FIRST_PAGE) : null,
    ]);
    return {
      vault: { initialized, unlocked, retryAfterMs: lockout.retryAfterMs },
      settings,
      passkeys: page ? page.passkeys.map(toManaged) : [],
      passkeysNext: page ? page.next : null,
    };
  },
  async 'manage/list'(m) {
    if (typeof m.after !== 'string' || !Number.isSafeInteger(m.limit) || m.limit < 1 || m.limit > 10_000) throw new Error('Bad list request.');
    if (!(await readSession())) throw new Error('Latchkey is locked. Unlock it with your PIN first.');
    const page = await (await vault()).listPage(m.after, m.limit);
    return { passkeys: page.passkeys.map(toManaged), next: page.next };
  },
  async 'manage/unlock'(m) {
    await startSession(await (await vault()).unlock(m.pin), Date.now());
    return null;
  },
  async 'manage/lock'() { await endSession(); return null; },
  async 'manage/change-pin'(m) {
    // The vault key is rotated with the PIN (an old copy of the profile and the old PIN open nothing
    // saved later): the session must hold the new key, with the PIN just proved as fresh verification.
    const newKey = await (await vault()).changePin(m.oldPin, m.newPin);
    try {
      await replaceSessionKey(newKey, Date.now());
    } finally {
      newKey.fill(0);
    }
    return null;
  },
  async 'manage/rename'(m) {
    await unlockedKey();
    await (await vault()).renamePasskey(m.credentialId, m.label);
    return null;
  },
  async 'manage/delete'(m) {
    await unlockedKey();
    await (await vault()).deletePasskey(m.credentialId);
    return null;
  },
  async 'manage/unhide'(m) {
    await unlockedKey();
    await (await vault()).unhidePasskey(m.credentialId);
    return null;
  },
  async 'manage/settings'(m) {
    // Once a PIN exists, settings change only while unlocked (a passer-by cannot turn auto-lock off).
    if ((await (await vault()).isInitialized()) && !(await readSession())) throw new Error('Latchkey is locked. Unlock it with your PIN first.');
    const next: Settings = await updateSettings(m.settings);
    await rescheduleAutoLock();
    return next;
  },
  // Export and import: src/background/exchange.ts (exchange/*), where an export asks for the PIN again.
};

export async function onManageMessage(raw: unknown): Promise<ManageAnswer<unknown>> {
  // Moving passkeys between managers: src/background/exchange.ts, same answers.
  if (isExchangeRequest(raw)) {
    try { return { ok: true, value: await onExchangeMessage(raw) }; } catch (e) { return answerError(e); }
  }
  const m = raw as ManageRequest | null;
  if (!m || typeof m !== 'object' || typeof m.type !== 'string' || !Object.hasOwn(handlers, m.type)) {
    return { ok: false, error: 'Unknown request.' };
  }
  try {
    const handler = handlers[m.type] as (x: ManageRequest) => Promise<unknown>;
    return { ok: true, value: await handler(m) };
  } catch (e) {
    return answerError(e);
  }
}

function answerError(e: unknown): ManageAnswer<unknown> {
  const err = e as { message?: string; retryAfterMs?: number };
  return { ok: false, error: err?.message ?? String(e), ...(err?.retryAfterMs ? { retryAfterMs: err.retryAfterMs } : {}) };
}
