// Test automation: lets a test suite (Latchkey's own, or a team's) drive Latchkey without clicking
// its window. Reachable only by someone who already controls the browser:
//   - Chromium: the automation protocol evaluates `globalThis.latchkeyAutomation.call(...)` in the
//     service worker (Playwright: serviceWorker.evaluate). No web page can reach that global.
//   - Firefox: Marionette opens the extension's automation page (automation/automation.html, not web
//     accessible), whose script sends `automation/call` messages; only that page may send them.
// The automation page says plainly what it does, so a person who opens it knows.
// Only test builds have any of this (scripts/build.mjs): in release builds `./automation` is
// automation.release.ts, which has the same exports and none of the powers
// (docs/security/automation.md).
import { curves } from '../lazy/load.cjs';
import type Browser from 'webextension-polyfill';
import { browser } from '../browser.cjs';
import { fromBase64url, toBase64url } from '../core/base64url';
import { ed25519PublicKey } from '../core/ed25519';
import { ed25519PrivateKeyFromPkcs8, p256PrivateKeyFromPkcs8 } from '../core/pkcs8';
import type { StepAnswer } from '../messages/protocol';
import type { ExportedPasskey, PasskeySummary } from '../vault/vault';
import { assert, cancel, candidatesFor, save } from './authenticator';
import { settle, type Ceremony } from './ceremonies';
import { focusTab } from './ceremonyWindow';
import { readLastCeremony, type LastCeremony } from './lastCeremony';
import { endSession, readSession, rescheduleAutoLock, startSession } from './session';
import { updateSettings } from './settings';
import type { Settings } from '../messages/manage';
import { vault } from './vaultInstance';

export const AUTOMATION_PAGE = 'automation/automation.html';
const KEY = 'latchkey.automation';

/** How a ceremony is answered when no person clicks. */
export type ScriptedAnswer =
  | { kind: 'save' }
  | { kind: 'hand-over' }
  | { kind: 'cancel' }
  /** Sign in with the passkey of this user name (or credential id); the first match when neither is given. */
  | { kind: 'account'; userName?: string; credentialId?: string };

interface AutomationState {
  /** 'auto': approve every ceremony (save on create, first matching passkey on get). */
  mode: 'window' | 'auto';
  /** Answers for the next ceremonies, used before `mode`. */
  queue: ScriptedAnswer[];
  /** The UV flag automation reports, like a virtual authenticator's isUserVerified. */
  userVerified: boolean;
}

const INITIAL: AutomationState = { mode: 'window', queue: [], userVerified: true };

// Kept in memory after the first read (only this background writes it), in storage.session so a
// restarted worker keeps the test's choices.
let cachedState: AutomationState | undefined;

async function readState(): Promise<AutomationState> {
  cachedState ??= ((await browser.storage.session.get(KEY))[KEY] as AutomationState | undefined) ?? { ...INITIAL, queue: [] };
  return { ...cachedState, queue: [...cachedState.queue] };
}
async function writeState(s: AutomationState): Promise<void> {
  cachedState = s;
  await browser.storage.session.set({ [KEY]: s });
}

/** Reads the stored state into memory ahead of the first ceremony (a worker that just started). */
export function prefetchAutomationState(): void {
  readState().catch(() => {});
}

/** The answer for a new ceremony, if automation is on (taking it off the queue). */
export async function takeScriptedAnswer(op: 'create' | 'get'): Promise<{ answer: ScriptedAnswer; userVerified: boolean } | null> {
  const s = await readState();
  const queued = s.queue.shift();
  if (queued) { await writeState(s); return { answer: queued, userVerified: s.userVerified }; }
  if (s.mode === 'auto') return { answer: op === 'create' ? { kind: 'save' } : { kind: 'account' }, userVerified: s.userVerified };
  return null;
}

/** Runs a ceremony with a scripted answer, as the window's buttons would (same checks, same outcomes). */
export async function answerScripted(c: Ceremony, scripted: { answer: ScriptedAnswer; userVerified: boolean }): Promise<StepAnswer> {
  const { answer, userVerified } = scripted;
  if (answer.kind === 'cancel') return cancel(c);
  if (answer.kind === 'hand-over') {
    await focusTab(c.tabId, c.windowId);
    settle(c, { status: 'handover' });
    return { next: 'done' };
  }
  const session = await readSession();
  if (!session) {
    settle(c, { status: 'error', name: 'NotAllowedError', message: 'Latchkey automation: the vault is locked; call setPin or skipPin first.' });
    return { next: 'error', message: 'locked' };
  }
  const key = { vaultKey: session.vaultKey, uv: userVerified };
  if (answer.kind === 'save') {
    if (c.request.op !== 'create') return cancel(c);
    return save(c, key);
  }
  if (c.request.op !== 'get') return cancel(c);
  const candidates = await candidatesFor(c);
  const chosen = candidates.find((p) =>
    (answer.credentialId === undefined || p.credentialId === answer.credentialId) &&
    (answer.userName === undefined || p.userName === answer.userName));
  if (!chosen) {
    settle(c, { status: 'error', name: 'NotAllowedError', message: 'Latchkey automation: no passkey matches the scripted account.' });
    return { next: 'error', message: 'no match' };
  }
  return assert(c, chosen.credentialId, key);
}

// ---- the calls ---------------------------------------------------------------------------------

export interface ImportPasskey {
  rpId: string;
  /** base64url */
  credentialId: string;
  /** base64url, 1 to 64 bytes */
  userHandle: string;
  userName: string;
  userDisplayName?: string;
  /**
   * The private key, base64url. ES256 (the default): PKCS#8 DER (as the DevTools virtual
   * authenticator gives it) or the raw 32-byte P-256 scalar. EdDSA (`alg: -8`): PKCS#8 DER with the
   * OID 1.3.101.112 (RFC 8410, as Node's or OpenSSL's export gives it) or the raw 32-byte seed.
   */
  privateKey: string;
  /** The key's COSE algorithm: -7 (ES256, the default) or -8 (EdDSA with Ed25519). */
  alg?: -7 | -8;
  /** The key's signature counter so far (the relying party rejects a counter that goes back). */
  signCount?: number;
}

async function privateScalar(privateKey: string, alg: -7 | -8): Promise<Uint8Array> {
  const bytes = fromBase64url(privateKey);
  if (bytes.length === 32) return bytes;
  return alg === -8 ? ed25519PrivateKeyFromPkcs8(bytes) : p256PrivateKeyFromPkcs8(bytes);
}

async function unlockedKey(): Promise<Uint8Array> {
  const s = await readSession();
  if (!s) throw new Error('the vault is locked; call setPin or skipPin first');
  return s.vaultKey;
}

const calls = {
  /** Sets the PIN on first use, or unlocks with it. */
  async setPin(a: { pin: string }): Promise<void> {
    const v = await vault();
    const key = (await v.isInitialized()) ? await v.unlock(a.pin) : await v.initialize(a.pin);
    await startSession(key, Date.now());
  },
  /** No PIN for tests: the vault gets a random one, known only to this browser session. */
  async skipPin(): Promise<void> {
    const v = await vault();
    if (await v.isInitialized()) {
      if (await readSession()) return;
      throw new Error('this profile already has a PIN: use setPin');
    }
    const pin = toBase64url(crypto.getRandomValues(new Uint8Array(24)));
    await startSession(await v.initialize(pin), Date.now());
  },
  async lock(): Promise<void> { await endSession(); },
  async setMode(a: { mode: 'window' | 'auto'; userVerified?: boolean }): Promise<void> {
    if (a.mode !== 'window' && a.mode !== 'auto') throw new Error('mode must be "window" or "auto"');
    const s = await readState();
    await writeState({ ...s, mode: a.mode, userVerified: a.userVerified ?? s.userVerified });
  },
  async queueAnswers(a: { answers: ScriptedAnswer[] }): Promise<void> {
    const s = await readState();
    for (const x of a.answers) if (!['save', 'hand-over', 'cancel', 'account'].includes(x?.kind)) throw new Error(`unknown answer ${JSON.stringify(x)}`);
    await writeState({ ...s, queue: [...s.queue, ...a.answers] });
  },
  async addPasskey(a: ImportPasskey): Promise<PasskeySummary> {
    const key = await unlockedKey();
    const alg = a.alg ?? -7;
    if (alg !== -7 && alg !== -8) throw new Error(`alg must be -7 (ES256) or -8 (EdDSA), got ${String(alg)}`);
    const d = await privateScalar(a.privateKey, alg);
    const publicKey = alg === -8 ? ed25519PublicKey(d) : curves().p256.getPublicKey(d, false);
    const saved = await (await vault()).addPasskey(key, {
      credentialId: a.credentialId, rpId: a.rpId, userHandle: a.userHandle, userName: a.userName,
      userDisplayName: a.userDisplayName ?? a.userName, alg, publicKey: toBase64url(publicKey),
      backupEligible: false, backupState: false, createdAt: Date.now(),
      ...(a.signCount ? { signCount: a.signCount } : {}),
    }, d);
    d.fill(0);
    return saved;
  },
  async listPasskeys(a: { rpId?: string } = {}): Promise<PasskeySummary[]> {
    const v = await vault();
    return a.rpId ? v.listByRpId(a.rpId) : v.listAll();
  },
  async deletePasskey(a: { credentialId: string }): Promise<void> { await (await vault()).deletePasskey(a.credentialId); },
  /** Many passkeys at once, in one transaction (as a Latchkey backup holds them); nothing is overwritten. */
  async importPasskeys(a: { items: ExportedPasskey[] }): Promise<{ added: number; unchanged: number; conflicts: number }> {
    const r = await (await vault()).importPasskeys(await unlockedKey(), a.items);
    return { added: r.added.length, unchanged: r.unchanged.length, conflicts: r.conflicts.length };
  },
  async clearPasskeys(): Promise<number> { return (await vault()).deleteAllPasskeys(); },
  async lastCeremony(): Promise<LastCeremony | null> { return readLastCeremony(); },
  /** The person's settings (auto-lock, UV grace, sites that use the browser), e.g. a short auto-lock for a test. */
  async updateSettings(a: Partial<Settings>): Promise<Settings> {
    const next = await updateSettings(a);
    await rescheduleAutoLock();
    return next;
  },
  async isUnlocked(): Promise<boolean> { return (await readSession()) !== null; },
  /** Back to a person answering in the window; the queue is emptied. Passkeys and PIN stay. */
  async reset(): Promise<void> { await writeState({ ...INITIAL, queue: [] }); },
};

export type AutomationCalls = typeof calls;
export type AutomationCallName = keyof AutomationCalls;

export async function callAutomation(name: string, args: unknown): Promise<unknown> {
  if (!Object.hasOwn(calls, name)) throw new Error(`unknown automation call "${name}"`);
  const fn = calls[name as AutomationCallName] as (a: unknown) => Promise<unknown>;
  return fn(args ?? {});
}

/** Automation calls from the automation page (Firefox's route; the page sends `automation/call`). */
export async function onAutomationMessage(raw: unknown): Promise<unknown> {
  const m = raw as { type?: unknown; name?: unknown; args?: unknown } | null;
  if (m?.type !== 'automation/call' || typeof m.name !== 'string') return { ok: false, error: 'not an automation call' };
  try {
    return { ok: true, value: await callAutomation(m.name, m.args) };
  } catch (e) {
    const err = e as Error;
    return { ok: false, error: err?.message ? `${err.name}: ${err.message}` : String(err?.name ?? e) };
  }
}

export function isFromAutomationPage(sender: Browser.Runtime.MessageSender): boolean {
  return sender.id === browser.runtime.id && sender.url === browser.runtime.getURL(AUTOMATION_PAGE);
}

/** Installs the service-worker global that the automation protocol calls (Chromium). */
export function exposeAutomationGlobal(): void {
  (globalThis as { latchkeyAutomation?: unknown }).latchkeyAutomation = Object.freeze({ call: callAutomation });
}

