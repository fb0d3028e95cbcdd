// The vault: passkeys in IndexedDB, private keys sealed under a vault key, the vault key wrapped
// under a KEK derived from the PIN (see docs/DESIGN.md "Keys and storage").
//
// This class is the vault's one public surface; each method hands over to the module that does
// the work: db.ts + schema.ts (open and migrate), keyWrap.ts (PIN, KEK, vault key, wrong-PIN count),
// records.ts (add, read, rename, delete), signing.ts (sign-in use), signalActions.ts (Signal API),
// summaries.ts (lists, from the summaries store that rows.ts keeps beside the records), transfer.ts (backup and import), siteCache.ts (each site's passkeys in memory).
//
// IndexedDB transactions commit as soon as no request is pending, so no transaction here awaits
// WebCrypto or Argon2: the slow work happens first, then each write is one short transaction
// (a crash leaves the old state or the new one). Runs in the background and in Node; no extension APIs.
import { VaultContext } from './context.js';
import { openVaultDb, DEFAULT_DB_NAME } from './db.js';
import { DEFAULT_KDF, checkKdfParams, type KdfParams } from './kdf.js';
import { realmClock, type MonotonicClock } from './lockout.js';
import * as keyWrap from './keyWrap.js';
import * as records from './records.js';
import type { ExportedPasskey, NewPasskey, PasskeySummary } from './schema.js';
import * as signals from './signalActions.js';
import * as signing from './signing.js';
import type { SigningUse } from './signing.js';
import * as summaries from './summaries.js';
import type { SummaryPage } from './summaries.js';
import * as transfer from './transfer.js';
import type { ImportResult } from './transfer.js';

export type { KdfParams } from './kdf.js';
export { DEFAULT_KDF, deriveKek } from './kdf.js';
export type { ExportedPasskey, HiddenMark, NewPasskey, PasskeyRecord, PasskeySummary } from './schema.js';
export { MAX_LABEL_CHARS } from './label.js';
export { MIN_BACKUP_PASSPHRASE_CHARS, decryptBackup, encryptBackup, type EncryptBackupOpts } from './backup.js';
export { parseBitwardenExport, type BitwardenImport } from './bitwarden.js';
export * from './errors.js';
export type { ImportResult } from './transfer.js';
export type { SigningUse } from './signing.js';
export type { SummaryPage } from './summaries.js';
export type { MonotonicClock } from './lockout.js';

export type VaultOpenOpts = {
  dbName?: string;
  kdf?: Omit<KdfParams, 'salt'>;
  /**
   * Keep each site's passkeys in memory once read (listByRpId, beginSigning), dropped at every write
   * this instance makes. Only for the one instance that writes the database (the background's,
   * vaultInstance.ts): another connection's writes would not be seen.
   */
  cacheSites?: boolean;
  /**
   * The monotonic clock the wrong-PIN waits also count by (see lockout.ts); default performance.now()
   * of this worker. Tests that pass `now` to unlock give a clock that moves with it.
   */
  clock?: MonotonicClock;
};

export class Vault {
  readonly #ctx: VaultContext;

  private constructor(ctx: VaultContext) {
    this.#ctx = ctx;
  }

  /**
   * Opens (creating or upgrading) the vault database.
   * @param o.dbName IndexedDB name, default 'latchkey'.
   * @param o.kdf Argon2id cost for the next wrap (initialize / changePin); default DEFAULT_KDF.
   *   Existing vaults keep the parameters stored with them until the PIN is changed.
   * @throws VaultVersionError when the database was written by a newer Latchkey.
   */
  static async open(o: VaultOpenOpts = {}): Promise<Vault> {
    const { dbName = DEFAULT_DB_NAME, kdf = DEFAULT_KDF } = o;
    checkKdfParams(kdf);
    const ownKdf = { algorithm: kdf.algorithm, memoryKiB: kdf.memoryKiB, iterations: kdf.iterations, parallelism: kdf.parallelism };
    let ctx: VaultContext | undefined;
    const db = await openVaultDb({ name: dbName, onClosed: () => { if (ctx) ctx.closed = true; } });
    ctx = new VaultContext(db, ownKdf, o.cacheSites === true, o.clock ?? realmClock);
    return new Vault(ctx);
  }

  // ---- PIN and vault key (keyWrap.ts) ----

  isInitialized(): Promise<boolean> { return keyWrap.isInitialized(this.#ctx); }

  /** Sets the first PIN and creates the vault key, which it returns (32 bytes). */
  initialize(pin: string): Promise<Uint8Array> { return keyWrap.initialize(this.#ctx, pin); }

  /**
   * Checks the PIN and returns the raw vault key.
   * @throws WrongPinError (counted; carries the wait before the next try), TooSoonError (not checked).
   */
  unlock(pin: string, now: number = Date.now()): Promise<Uint8Array> { return keyWrap.unlock(this.#ctx, pin, now); }

  /**
   * Changes the PIN and rotates the vault key: every passkey is sealed anew under a new vault key,
   * in one transaction with the new wrapped key (old state or new, never half). Resolves with the
   * new raw vault key (the unlocked session must hold it from now on; the old one stops working).
   */
  changePin(oldPin: string, newPin: string): Promise<Uint8Array> { return keyWrap.changePin(this.#ctx, oldPin, newPin); }

  /** Consecutive wrong PINs and the wait before the next try (0 when a PIN may be tried now). */
  unlockState(now: number = Date.now()): Promise<{ attempts: number; retryAfterMs: number }> { return keyWrap.unlockState(this.#ctx, now); }

  // ---- Passkey records (records.ts) ----

  /** Seals the private key and stores the passkey in one transaction; refuses an existing credentialId. */
  addPasskey(vaultKey: Uint8Array, p: NewPasskey, privateKey: Uint8Array): Promise<PasskeySummary> {
    return records.addPasskey(this.#ctx, vaultKey, p, privateKey);
  }

  /** @throws VaultKeyError if the vault key is wrong or the record was altered (including a swapped wrapped key). */
  unwrapPrivateKey(vaultKey: Uint8Array, credentialId: string): Promise<Uint8Array> {
    return records.unwrapPrivateKey(this.#ctx, vaultKey, credentialId);
  }

  /**
   * Sets or clears the name the person gave a passkey (one transaction). Trimmed; empty means none.
   * @throws VaultInputError when longer than MAX_LABEL_CHARS (64), PasskeyNotFoundError.
   */
  renamePasskey(credentialId: string, label: string | null): Promise<PasskeySummary> {
    return records.renamePasskey(this.#ctx, credentialId, label);
  }

  /** Removes one passkey (one transaction). @throws PasskeyNotFoundError when there is none. */
  deletePasskey(credentialId: string): Promise<void> { return records.deletePasskey(this.#ctx, credentialId); }

  /** Removes every passkey, keeping the PIN and vault key (one transaction). Returns how many went. */
  deleteAllPasskeys(): Promise<number> { return records.deleteAllPasskeys(this.#ctx); }

  /** The sealedKeyId (see SigningUse) of a passkey whose site is in the cache; undefined otherwise. */
  cachedSealedKeyId(credentialId: string): string | undefined { return records.cachedSealedKeyId(this.#ctx, credentialId); }

  // ---- Lists (summaries.ts) ----

  /** Passkeys for one RP ID (index lookup), most recently used (or created, if never used) first. */
  listByRpId(rpId: string): Promise<PasskeySummary[]> { return summaries.listByRpId(this.#ctx, rpId); }

  listAll(): Promise<PasskeySummary[]> { return summaries.listAll(this.#ctx); }

  get(credentialId: string): Promise<PasskeySummary | undefined> { return summaries.get(this.#ctx, credentialId); }

  /**
   * The list in pages of whole sites, in ascending RP ID: the sites after `after` (null: from the
   * start), at least `limit` passkeys unless the list ends; `next` asks for the following page.
   */
  listPage(after: string | null, limit: number): Promise<SummaryPage> { return summaries.listPage(this.#ctx, after, limit); }

  // ---- Sign-ins (signing.ts) ----

  /** Counts the use and returns the private key with the counter to sign with, in one step. */
  useForSigning(vaultKey: Uint8Array, credentialId: string, at: number): Promise<{ privateKey: Uint8Array; signCount: number }> {
    return signing.useForSigning(this.#ctx, vaultKey, credentialId, at);
  }

  /** What a sign-in needs, counting the use (see signing.ts beginSigning for when it is stored). */
  beginSigning(vaultKey: Uint8Array, credentialId: string, at: number): Promise<SigningUse> {
    return signing.beginSigning(this.#ctx, vaultKey, credentialId, at);
  }

  /**
   * Records a use, before signing, and returns the signature counter to sign with: 0 for Latchkey's
   * own passkeys (DESIGN.md), one more than before for an imported passkey whose counter was
   * already counting (§6.1.1: once non-zero it must increase). Never moves lastUsedAt backwards.
   */
  async markUsed(credentialId: string, at: number): Promise<number> {
    return (await signing.recordUse(this.#ctx, credentialId, at)).signCount;
  }

  /** The "last used" dates of several sign-ins, in one transaction; dates only move forward. */
  recordLastUsed(uses: ReadonlyArray<{ credentialId: string; at: number }>): Promise<void> {
    return signing.recordLastUsed(this.#ctx, uses);
  }

  // ---- The Signal API's actions, WebAuthn L3 §5.1.10 (signalActions.ts) ----

  /** §5.1.10.2: hides the passkey with this RP ID and id. @returns true when one was hidden now. */
  hideUnknownCredential(rpId: string, credentialId: string, at: number): Promise<boolean> {
    return signals.hideUnknownCredential(this.#ctx, rpId, credentialId, at);
  }

  /** §5.1.10.3: hides this user's passkeys the site no longer lists, shows listed ones again. */
  applyAcceptedCredentials(rpId: string, userHandle: string, acceptedIds: readonly string[], at: number): Promise<{ hidden: string[]; shown: string[] }> {
    return signals.applyAcceptedCredentials(this.#ctx, rpId, userHandle, acceptedIds, at);
  }

  /** §5.1.10.4: this user's passkeys take the site's current names. @returns how many changed. */
  updateUserDetails(rpId: string, userHandle: string, name: string, displayName: string): Promise<number> {
    return signals.updateUserDetails(this.#ctx, rpId, userHandle, name, displayName);
  }

  /** The person shows a hidden passkey again (manage page). @throws PasskeyNotFoundError. */
  unhidePasskey(credentialId: string): Promise<PasskeySummary> { return signals.unhidePasskey(this.#ctx, credentialId); }

  // ---- Backup and import (transfer.ts) ----

  /** Every passkey with its private key in the clear, for encryptBackup only; all or nothing. */
  exportPasskeys(vaultKey: Uint8Array): Promise<ExportedPasskey[]> { return transfer.exportPasskeys(this.#ctx, vaultKey); }

  /** Adds passkeys from a backup or another manager, in one transaction; never overwrites. */
  importPasskeys(vaultKey: Uint8Array, items: ExportedPasskey[]): Promise<ImportResult> {
    return transfer.importPasskeys(this.#ctx, vaultKey, items);
  }

  // ---- The connection ----

  /** True once closed, by close() or because a newer version of the database took over. */
  get isClosed(): boolean {
    return this.#ctx.closed;
  }

  close(): void {
    this.#ctx.close();
  }
}
