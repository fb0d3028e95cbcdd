// The manage page's protocol (options/ -> background). Only Latchkey's own manage page may send
// these (the background checks the sender's URL). Names, ids, dates and settings only: private keys
// never leave the background, and a backup leaves it only encrypted under the person's passphrase.

/** A passkey as the manage page sees it. */
export interface ManagedPasskey {
  credentialId: string;
  rpId: string;
  userName: string;
  userDisplayName: string;
  /** The name the person gave it, or null. */
  label: string | null;
  createdAt: number;
  lastUsedAt: number | null;
  /**
   * Set when the site's signal hid it (WebAuthn L3 §5.1.10): not offered in sign-ins until shown
   * again ('unknown': signalUnknownCredential; 'not-accepted': left out of signalAllAcceptedCredentials).
   */
  hidden: { at: number; by: 'unknown' | 'not-accepted' } | null;
}

export interface Settings {
  /** Lock after this many minutes without a ceremony or manage-page action; 0 = only on browser restart. */
  autoLockMinutes: number;
  /** User verification counts this many seconds after the PIN was entered (DESIGN: grace period). */
  uvGraceSeconds: number;
  /** RP IDs (sites) where Latchkey always hands the request to the browser, with no window. */
  handoverSites: string[];
  /**
   * Passkey upgrades (conditional create, §5.1.3): after a password sign-in, a site may ask for a
   * passkey without a window, and Latchkey saves it quietly (with Undo). Off: the browser decides.
   */
  passkeyUpgrades: boolean;
  /** RP IDs where upgrades are off (the notice's "Not for this site", or the manage page). */
  noUpgradeSites: string[];
  /**
   * Chrome: take every passkey request, also those that go past the page-script override (Chrome's
   * webAuthenticationProxy, src/background/proxy.ts). While on, the browser's own passkeys are not
   * offered under sign-in fields (its autofill needs the browser's own dialog). No effect in Firefox.
   */
  interceptAll: boolean;
}

export const DEFAULT_SETTINGS: Settings = { autoLockMinutes: 15, uvGraceSeconds: 120, handoverSites: [], passkeyUpgrades: true, noUpgradeSites: [], interceptAll: true };

export interface ManageState {
  vault: { initialized: boolean; unlocked: boolean; retryAfterMs: number };
  settings: Settings;
  /**
   * The first page of the list: whole sites in ascending RP ID, at least FIRST_PAGE passkeys (or
   * all of them). The rest comes with manage/list from `passkeysNext`, so the first rows show at once.
   */
  passkeys: ManagedPasskey[];
  /** Where manage/list goes on (the last RP ID sent), or null when `passkeys` is the whole list. */
  passkeysNext: string | null;
}

/** One page of the list (manage/list): whole sites in ascending RP ID. */
export interface PasskeyPage {
  passkeys: ManagedPasskey[];
  /** Ask again with this as `after`; null when the list is complete. */
  next: string | null;
}

/** Passkeys in manage/state: enough for the first screen (the page shows 50 at first). */
export const FIRST_PAGE = 100;
/** Passkeys per manage/list answer: big enough for few round trips, small enough to keep each message short. */
export const NEXT_PAGE = 5000;

export interface ImportReport {
  /** Credential ids added. */
  added: number;
  /** Already in Latchkey, identical: left as they were. */
  unchanged: number;
  /** Same credential id but different content: the one in Latchkey was kept, nothing overwritten. */
  conflicts: number;
  /** Entries of the file that could not be used, with the reason a person understands. */
  skipped: { name: string; reason: string }[];
}

/** Every answer: ok with a value, or a message a person understands. */
export type ManageAnswer<T> = { ok: true; value: T } | { ok: false; error: string; retryAfterMs?: number };

export type ManageRequest =
  | { type: 'manage/state' }
  /** The list after the site `after`, at least `limit` passkeys (whole sites). */
  | { type: 'manage/list'; after: string; limit: number }
  | { type: 'manage/unlock'; pin: string }
  | { type: 'manage/lock' }
  | { type: 'manage/change-pin'; oldPin: string; newPin: string }
  | { type: 'manage/rename'; credentialId: string; label: string }
  | { type: 'manage/delete'; credentialId: string }
  /** Show a hidden passkey again: offered in sign-ins once more. */
  | { type: 'manage/unhide'; credentialId: string }
  | { type: 'manage/settings'; settings: Partial<Settings> };
// Export and import: src/messages/exchange.ts.

export interface ManageAnswers {
  'manage/state': ManageState;
  'manage/list': PasskeyPage;
  'manage/unlock': null;
  'manage/lock': null;
  'manage/change-pin': null;
  'manage/rename': null;
  'manage/delete': null;
  'manage/unhide': null;
  'manage/settings': Settings;
}
