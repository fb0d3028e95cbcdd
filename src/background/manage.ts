// The manage page's requests (options/). Only Latchkey's own manage page may send them; each
// answers { ok, value } or { ok: false, error } with a message a person understands.
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import type { ManageAnswer, ManageAnswers, ManagedPasskey, ManageRequest, Settings } from '../messages/manage';
import type { PasskeySummary } from '../vault/vault';
import { endSession, readSession, rescheduleAutoLock, startSession, touchSession } from './session';
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
    return {
      vault: { initialized: await v.isInitialized(), unlocked, retryAfterMs: (await v.unlockState()).retryAfterMs },
      settings: await readSettings(),
      // Names and sites are not secret (DESIGN), but the list shows only once unlocked, so a
      // passer-by at the computer learns nothing from the manage page.
      passkeys: unlocked ? (await v.listAll()).map(toManaged) : [],
    };
  },
  async 'manage/unlock'(m) {
    await startSession(await (await vault()).unlock(m.pin), Date.now());
    return null;
  },
  async 'manage/lock'() { await endSession(); return null; },
  async 'manage/change-pin'(m) {
    await (await vault()).changePin(m.oldPin, m.newPin);
    // The PIN was just proved: keep the session, as fresh user verification.
    const s = await readSession();
    if (s) await startSession(s.vaultKey, Date.now());
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
