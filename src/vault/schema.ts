// The vault's IndexedDB schema and its upgrade ladder. DB version N is reached by running
// upgrades[oldVersion] .. upgrades[N-1] in the one versionchange transaction IndexedDB gives us,
// so a failing step aborts the whole upgrade and the data stays at the old version.
import { unwrap, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { KdfParams } from './kdf.js';
import type { LockoutState } from './lockout.js';
import type { Sealed } from './aead.js';

/** One row of the "passkeys" store (keyPath credentialId). */
export interface PasskeyRecord {
  credentialId: string;   // base64url
  rpId: string;
  userHandle: string;     // base64url
  userName: string;
  userDisplayName: string;
  alg: number;            // COSE algorithm identifier: -7 (ES256) or -8 (EdDSA, Ed25519)
  publicKey: string;      // base64url: 65-byte uncompressed P-256 point (-7) or 32-byte Ed25519 key (-8)
  backupEligible: boolean;
  backupState: boolean;
  signCount: number;
  createdAt: number;
  lastUsedAt: number | null;
  /** The name the person gave this passkey (trimmed, 1..64 characters), or null for none. Since version 2. */
  label: string | null;
  /**
   * Set when the relying party signalled that it no longer accepts this passkey (WebAuthn L3 §5.1.10,
   * signalUnknownCredential / signalAllAcceptedCredentials): kept, but not offered in sign-ins, until
   * the site lists it again or the person shows it again on the manage page. null: not hidden. Since version 3.
   */
  hidden: HiddenMark | null;
  /** AES-256-GCM under the vault key, AAD = passkeyAad(credentialId, rpId). */
  wrappedPrivateKey: { iv: Uint8Array; ciphertext: Uint8Array };
}

/** Why and when a passkey was hidden (see PasskeyRecord.hidden). */
export interface HiddenMark {
  /** ms since epoch */
  at: number;
  /** Which signal hid it: 'unknown' (signalUnknownCredential) or 'not-accepted' (signalAllAcceptedCredentials). */
  by: 'unknown' | 'not-accepted';
}

/** What leaves the vault for listing: never the wrapped key, even though it is encrypted. */
export type PasskeySummary = Omit<PasskeyRecord, 'wrappedPrivateKey'>;

/** What a caller supplies to add a passkey; the vault sets signCount and wraps the private key. */
export type NewPasskey = Omit<PasskeyRecord, 'wrappedPrivateKey' | 'signCount' | 'lastUsedAt' | 'label' | 'hidden'> & {
  lastUsedAt?: null;
  /** Trimmed by the vault; empty means none. */
  label?: string | null;
  /** Only for imported passkeys: a relying party that has seen a non-zero counter needs it to keep rising (§6.1.1). */
  signCount?: number;
};

/**
 * One passkey as it leaves the vault for a backup or comes in from one (or from another manager):
 * every summary field plus the raw 32-byte secret (P-256 scalar, or Ed25519 seed for alg -8) as
 * base64url. Plaintext: it exists only between unwrapping and sealing (exportPasskeys -> encryptBackup, decryptBackup -> importPasskeys).
 */
export type ExportedPasskey = Omit<PasskeySummary, 'hidden'> & { hidden?: HiddenMark | null; privateKey: string };

/** meta/"vaultKey": the vault key wrapped under the PIN's KEK, with everything needed to re-derive it. */
export interface VaultKeyRecord extends Sealed {
  id: 'vaultKey';
  kdf: KdfParams;
  /** seal(vaultKey, empty, KEY_CHECK_AAD): proves a raw vault key belongs to this vault. */
  keyCheck: Sealed;
  createdAt: number;
}

/** meta/"lockout": wrong-PIN counter, kept in the database so a restart does not reset it. */
export interface LockoutRecord extends LockoutState {
  id: 'lockout';
}

export type MetaRecord = VaultKeyRecord | LockoutRecord;

export interface VaultSchema extends DBSchema {
  meta: { key: MetaRecord['id']; value: MetaRecord };
  passkeys: { key: string; value: PasskeyRecord; indexes: { rpId: string } };
  /**
   * Since version 4: every passkey's summary (its row without the wrapped private key), written in
   * the same transaction as its row (rows.ts), so lists read small records and never the keys.
   * Keyed by [rpId, credentialId] so the store itself is in site order: a page of the list is one
   * range read, with no lookup per row through an index (an RP ID never changes for a passkey).
   */
  summaries: { key: [string, string]; value: PasskeySummary; indexes: { credentialId: string } };
}

/**
 * Steps are typed against an untyped database on purpose: step k runs on the schema as it was at
 * version k, not on today's VaultSchema, and must keep compiling when VaultSchema changes.
 */
export type UpgradeStep = (
  db: IDBPDatabase<unknown>,
  tx: IDBPTransaction<unknown, string[], 'versionchange'>,
  // biome-ignore lint/suspicious/noConfusingVoidType: a step is usually a block of statements that returns nothing
) => void | AfterStep;

/**
 * Returned by a step whose requests must finish before the next step reads the same rows: it calls
 * `next` (synchronously, from its last request's success handler, while the transaction is active)
 * once it is done. Without this, two walks of "passkeys" in one upgrade (1 -> 2 -> 3) interleave,
 * and the later step writes back rows it read before the earlier step's update: a field is lost.
 */
export type AfterStep = (next: () => void) => void;

/**
 * Walks every row of "passkeys" and writes back `fix(row)` where it returns a new row. Raw callbacks,
 * not idb's async iteration: an exception thrown in a request's success handler aborts the
 * transaction (IndexedDB "fire a success event"), so a bug here rolls the whole upgrade back. A
 * floating async loop would instead swallow it and commit a half-walked store.
 */
function walkPasskeys(
  tx: IDBPTransaction<unknown, string[], 'versionchange'>,
  fix: (row: Record<string, unknown>) => Record<string, unknown> | null,
): AfterStep {
  let then: (() => void) | null = null;
  let finished = false;
  const walk = unwrap(tx.objectStore('passkeys')).openCursor();
  walk.onsuccess = () => {
    const cursor = walk.result;
    if (!cursor) {
      finished = true;
      then?.();
      return;
    }
    const next = fix(cursor.value as Record<string, unknown>);
    if (next) cursor.update(next);
    cursor.continue();
  };
  return (next) => { if (finished) next(); else then = next; };
}

export const upgrades: readonly UpgradeStep[] = [
  // 0 -> 1: first release.
  (db) => {
    db.createObjectStore('meta', { keyPath: 'id' });
    const passkeys = db.createObjectStore('passkeys', { keyPath: 'credentialId' });
    // Not unique: one site has many passkeys. Used by listByRpId (the lookup on every ceremony).
    passkeys.createIndex('rpId', 'rpId', { unique: false });
  },
  // 1 -> 2: passkeys get a `label` (the name the person gave it), null for every existing row.
  (_db, tx) => walkPasskeys(tx, (row) => (row.label === undefined ? { ...row, label: null } : null)),
  // 2 -> 3: passkeys get a `hidden` mark (the Signal API, WebAuthn L3 §5.1.10), null for every
  // existing row.
  (_db, tx) => walkPasskeys(tx, (row) => (row.hidden === undefined ? { ...row, hidden: null } : null)),
  // 3 -> 4: a "summaries" store beside "passkeys" (the manage page's list without the wrapped keys,
  // read in pages of whole sites), filled from every existing row in this same upgrade transaction.
  (db, tx) => {
    const summaries = db.createObjectStore('summaries', { keyPath: ['rpId', 'credentialId'] });
    summaries.createIndex('credentialId', 'credentialId', { unique: true });
    return copySummaries(tx);
  },
];

/**
 * Puts each row of "passkeys" without its wrappedPrivateKey into "summaries". Raw callbacks as in
 * walkPasskeys: an exception in a success handler (a failed put included) aborts the whole upgrade.
 */
function copySummaries(tx: IDBPTransaction<unknown, string[], 'versionchange'>): AfterStep {
  let then: (() => void) | null = null;
  let finished = false;
  const target = unwrap(tx.objectStore('summaries'));
  const walk = unwrap(tx.objectStore('passkeys')).openCursor();
  walk.onsuccess = () => {
    const cursor = walk.result;
    if (!cursor) {
      finished = true;
      then?.();
      return;
    }
    const { wrappedPrivateKey: _key, ...summary } = cursor.value as Record<string, unknown>;
    target.put(summary);
    cursor.continue();
  };
  return (next) => { if (finished) next(); else then = next; };
}

/** The version this code writes; a database above it is refused rather than touched. */
export const DB_VERSION = upgrades.length;
