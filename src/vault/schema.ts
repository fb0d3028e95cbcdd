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
  /** AES-256-GCM under the vault key, AAD = passkeyAad(credentialId, rpId). */
  wrappedPrivateKey: { iv: Uint8Array; ciphertext: Uint8Array };
}

/** What leaves the vault for listing: never the wrapped key, even though it is encrypted. */
export type PasskeySummary = Omit<PasskeyRecord, 'wrappedPrivateKey'>;

/** What a caller supplies to add a passkey; the vault sets signCount and wraps the private key. */
export type NewPasskey = Omit<PasskeyRecord, 'wrappedPrivateKey' | 'signCount' | 'lastUsedAt' | 'label'> & {
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
export type ExportedPasskey = PasskeySummary & { privateKey: string };

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
}

/**
 * Steps are typed against an untyped database on purpose: step k runs on the schema as it was at
 * version k, not on today's VaultSchema, and must keep compiling when VaultSchema changes.
 */
export type UpgradeStep = (
  db: IDBPDatabase<unknown>,
  tx: IDBPTransaction<unknown, string[], 'versionchange'>,
) => void;

export const upgrades: readonly UpgradeStep[] = [
  // 0 -> 1: first release.
  (db) => {
    db.createObjectStore('meta', { keyPath: 'id' });
    const passkeys = db.createObjectStore('passkeys', { keyPath: 'credentialId' });
    // Not unique: one site has many passkeys. Used by listByRpId (the lookup on every ceremony).
    passkeys.createIndex('rpId', 'rpId', { unique: false });
  },
  // 1 -> 2: passkeys get a `label` (the name the person gave it), null for every existing row.
  (_db, tx) => {
    // Raw callbacks, not idb's async iteration: an exception thrown in a request's success handler
    // aborts the transaction (IndexedDB "fire a success event"), so a bug here rolls the whole
    // upgrade back. A floating async loop would instead swallow it and commit a half-walked store.
    const store = unwrap(tx.objectStore('passkeys'));
    const walk = store.openCursor();
    walk.onsuccess = () => {
      const cursor = walk.result;
      if (!cursor) return;
      const row = cursor.value as Record<string, unknown>;
      if (row.label === undefined) cursor.update({ ...row, label: null });
      cursor.continue();
    };
  },
];

/** The version this code writes; a database above it is refused rather than touched. */
export const DB_VERSION = upgrades.length;
