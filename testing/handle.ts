// The `latchkey` handle tests get, the same in Chromium and Firefox: each method is one automation
// call to Latchkey's background (src/background/automation.ts) through whatever route the browser
// offers. Only someone who controls the browser can make these calls; a web page cannot. Only
// Latchkey's test build answers them: the release build has no automation at all.
import type { ImportPasskey, LastCeremony, PasskeySummary, ScriptedAnswer, Settings } from './types.js';

export type { ImportPasskey, LastCeremony, PasskeySummary, ScriptedAnswer, Settings };

export type AutomationTransport = (name: string, args?: unknown) => Promise<unknown>;

export interface LatchkeyHandle {
  /** Chooses the PIN on first use, or unlocks with it. */
  setPin(pin: string): Promise<void>;
  /** No PIN: the vault gets a random one for this browser session, and stays unlocked. */
  skipPin(): Promise<void>;
  /** Locks the vault ("Lock now"). */
  lock(): Promise<void>;
  /** Approves every ceremony with no window: save on create, the first matching passkey on get. */
  approveAll(o?: { userVerified?: boolean }): Promise<void>;
  /** Back to the person answering in Latchkey's window (the default); the answer queue is emptied. */
  useWindow(): Promise<void>;
  /** What the next ceremonies answer, in order, with no window: save, hand over, cancel, or an account. */
  answerNext(...answers: ScriptedAnswer[]): Promise<void>;
  /** Adds a passkey from a known private key (PKCS#8 or raw, base64url): P-256, or Ed25519 with `alg: -8`. */
  addPasskey(p: ImportPasskey): Promise<PasskeySummary>;
  listPasskeys(rpId?: string): Promise<PasskeySummary[]>;
  deletePasskey(credentialId: string): Promise<void>;
  /** Removes every passkey; the PIN stays. Returns how many were removed. */
  clearPasskeys(): Promise<number>;
  /** The last ceremony: operation, site, user, outcome, UV, and whether a window or automation answered. */
  lastCeremony(): Promise<LastCeremony | null>;
  /** Changes the person's settings, e.g. `{ autoLockMinutes: 0.05 }` for a 3-second auto-lock in a test. */
  updateSettings(s: Partial<Settings>): Promise<Settings>;
  /** Whether the vault is unlocked now. */
  isUnlocked(): Promise<boolean>;
}

export function createLatchkeyHandle(call: AutomationTransport): LatchkeyHandle {
  return {
    setPin: async (pin) => { await call('setPin', { pin }); },
    skipPin: async () => { await call('skipPin'); },
    lock: async () => { await call('lock'); },
    approveAll: async (o = {}) => { await call('setMode', { mode: 'auto', ...(o.userVerified === undefined ? {} : { userVerified: o.userVerified }) }); },
    useWindow: async () => { await call('reset'); },
    answerNext: async (...answers) => { await call('queueAnswers', { answers }); },
    addPasskey: async (p) => (await call('addPasskey', p)) as PasskeySummary,
    listPasskeys: async (rpId) => (await call('listPasskeys', rpId ? { rpId } : {})) as PasskeySummary[],
    deletePasskey: async (credentialId) => { await call('deletePasskey', { credentialId }); },
    clearPasskeys: async () => (await call('clearPasskeys')) as number,
    lastCeremony: async () => (await call('lastCeremony')) as LastCeremony | null,
    updateSettings: async (settings) => (await call('updateSettings', settings)) as Settings,
    isUnlocked: async () => (await call('isUnlocked')) as boolean,
  };
}
