// The vault: passkeys in IndexedDB, private keys sealed under a vault key, the vault key wrapped
// under a KEK derived from the PIN (see docs/DESIGN.md "Keys and storage").
//
// IndexedDB transactions commit as soon as no request is pending, so no transaction here awaits
// WebCrypto or Argon2: the slow work happens first, then each write is one short transaction
// (a crash leaves the old state or the new one). Runs in the background and in Node; no extension APIs.
import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { toBase64url } from '../core/base64url.js';
import {
  KEY_CHECK_AAD, VAULT_KEY_AAD, VAULT_KEY_BYTES, importVaultKey, passkeyAad, randomBytes, seal, unseal,
  type Sealed,
} from './aead.js';
import { checkExportedPasskey } from './checkExportedPasskey.js';
import { checkNewPasskey } from './checkNewPasskey.js';
import { checkPinPolicy } from './checkPinPolicy.js';
import { openVaultDb, DEFAULT_DB_NAME } from './db.js';
import {
  DuplicatePasskeyError, PasskeyNotFoundError, TooSoonError, VaultError, VaultInputError, VaultKeyError,
  VaultQuotaError, VaultStateError, WrongPinError,
} from './errors.js';
import { DEFAULT_KDF, SALT_BYTES, checkKdfParams, deriveKek, type KdfParams } from './kdf.js';
import { normalizeLabel } from './label.js';
import { NO_FAILURES, normalizeLockout, retryAfterMs, type LockoutState } from './lockout.js';
import type {
  ExportedPasskey, LockoutRecord, MetaRecord, NewPasskey, PasskeyRecord, PasskeySummary, VaultKeyRecord, VaultSchema,
} from './schema.js';

export type { KdfParams } from './kdf.js';
export { DEFAULT_KDF, deriveKek } from './kdf.js';
export { MAX_LABEL_CHARS } from './label.js';
export type { ExportedPasskey, HiddenMark, NewPasskey, PasskeyRecord, PasskeySummary } from './schema.js';
export { decryptBackup, encryptBackup } from './backup.js';
export { parseBitwardenExport } from './bitwarden.js';
export * from './errors.js';

/** What importPasskeys did with each item it was given, by credential id (each item lands in exactly one list). */
export interface ImportResult {
  /** Not in the vault before: now saved. */
  added: string[];
  /** Already saved, same site, account and key: left as it was. */
  unchanged: string[];
  /** Already saved but with a different site, account or key: the saved one was kept, the incoming one not saved. */
  conflicts: string[];
}

/** Both algorithms checkNewPasskey admits keep a 32-byte secret: ES256's P-256 scalar, EdDSA's Ed25519 seed. */
const PRIVATE_KEY_BYTES = 32;

export type VaultOpenOpts = {
  dbName?: string;
  kdf?: Omit<KdfParams, 'salt'>;
  /**
   * Keep each site's passkeys in memory once read (listByRpId, beginSigning), dropped at every write
   * this instance makes. Only for the one instance that writes the database (the background's,
   * vaultInstance.ts): another connection's writes would not be seen.
   */
  cacheSites?: boolean;
};

/** How many sites' passkeys the cache keeps (a few KB each; most people use a handful of sites). */
const CACHED_SITES = 64;

/** What a sign-in needs from the vault (beginSigning). */
export interface SigningUse {
  /** The counter to sign with (§6.1.1). */
  signCount: number;
  /** Names this sealed key: changes whenever the key is sealed anew (its random IV), so a cache can tell. */
  sealedKeyId: string;
  /** The private key, unsealed (32 bytes); the caller zeroes it after use. */
  unseal(): Promise<Uint8Array>;
  /**
   * Whether the use is already stored (a counter that counts). When false, only the "last used"
   * date is left to write, with recordLastUsed() (together with other uses).
   */
  stored: boolean;
}

export class Vault {
  #db: IDBPDatabase<VaultSchema>;
  #kdf: Omit<KdfParams, 'salt'>;
  #closed = false;
  /** Records by RP ID (opts.cacheSites), or null. Every write clears it and bumps #generation. */
  #sites: Map<string, PasskeyRecord[]> | null;
  #generation = 0;
  /**
   * True when the passkeys store is known to hold nothing but what #sites holds (set when
   * deleteAllPasskeys committed with no other write in between): a site not in #sites then has no
   * passkeys, and is read from memory as empty. Cleared by every invalidation and eviction.
   */
  #emptyBeyondCache = false;

  private constructor(db: IDBPDatabase<VaultSchema>, kdf: Omit<KdfParams, 'salt'>, cacheSites: boolean) {
    this.#db = db;
    this.#kdf = kdf;
    this.#sites = cacheSites ? new Map() : null;
  }

  /** Called before and after every write to the passkeys store: nothing read before it is kept. */
  #invalidate(): void {
    this.#generation++;
    this.#sites?.clear();
    this.#emptyBeyondCache = false;
  }

  /** Caches a site's rows, evicting the oldest site when full (which ends #emptyBeyondCache). */
  #cacheSite(rpId: string, rows: PasskeyRecord[]): void {
    if (!this.#sites) return;
    if (this.#sites.size >= CACHED_SITES) {
      this.#sites.delete(this.#sites.keys().next().value!);
      this.#emptyBeyondCache = false;
    }
    this.#sites.set(rpId, rows);
  }

  /**
   * A readwrite transaction on the passkeys store that clears the site cache now and again when it
   * ends (committed or aborted), so no read that overlapped it is kept.
   */
  #passkeysWriteTx() {
    const tx = this.#conn().transaction('passkeys', 'readwrite');
    this.#invalidate();
    const again = () => this.#invalidate();
    tx.done.then(again, again);
    return tx;
  }

  async #siteRecords(rpId: string): Promise<PasskeyRecord[]> {
    const cached = this.#sites?.get(rpId);
    if (cached) return cached;
    if (this.#emptyBeyondCache) {
      // Everything was deleted since the last read of the store, and this site got nothing since.
      const none: PasskeyRecord[] = [];
      this.#cacheSite(rpId, none);
      return none;
    }
    const generation = this.#generation;
    const rows = await this.#conn().getAllFromIndex('passkeys', 'rpId', rpId);
    // Kept only if no write started meanwhile (its result might be missing from `rows`).
    if (generation === this.#generation) this.#cacheSite(rpId, rows);
    return rows;
  }

  /** The sealedKeyId (see SigningUse) of a passkey whose site is in the cache; undefined otherwise. */
  cachedSealedKeyId(credentialId: string): string | undefined {
    const r = this.#cachedRecord(credentialId);
    return r && toBase64url(r.wrappedPrivateKey.iv);
  }

  #cachedRecord(credentialId: string): PasskeyRecord | undefined {
    if (!this.#sites) return undefined;
    for (const rows of this.#sites.values()) for (const r of rows) if (r.credentialId === credentialId) return r;
    return undefined;
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
    let vault: Vault | undefined;
    const db = await openVaultDb({ name: dbName, onClosed: () => { if (vault) vault.#closed = true; } });
    vault = new Vault(db, ownKdf, o.cacheSites === true);
    return vault;
  }

  async isInitialized(): Promise<boolean> {
    return (await this.#conn().getKey('meta', 'vaultKey')) !== undefined;
  }

  /** Sets the first PIN and creates the vault key, which it returns (32 bytes). */
  async initialize(pin: string): Promise<Uint8Array> {
    checkPinPolicy(pin);
    const db = this.#conn();
    // Checked first only to skip a pointless Argon2 run; the add() below is what guarantees it.
    if (await this.isInitialized()) throw alreadyInitialized();
    const vaultKey = randomBytes(VAULT_KEY_BYTES);
    const record = await wrapVaultKey(pin, vaultKey, this.#kdf, await checkValue(vaultKey), Date.now());
    const tx = db.transaction('meta', 'readwrite');
    try {
      await commit(tx, [tx.store.add(record), tx.store.put(lockoutRecord(NO_FAILURES))]);
    } catch (e) {
      vaultKey.fill(0);
      if (isDomError(e, 'ConstraintError')) throw alreadyInitialized();
      throw e;
    }
    return vaultKey;
  }

  /**
   * Checks the PIN and returns the raw vault key.
   * @throws WrongPinError (counted; carries the wait before the next try), TooSoonError (not checked).
   */
  async unlock(pin: string, now: number = Date.now()): Promise<Uint8Array> {
    const { vaultKey } = await this.#verifyPin(pin, now);
    await this.#writeLockout(NO_FAILURES);
    return vaultKey;
  }

  /** Re-wraps the vault key under the new PIN (new salt, current KDF parameters); passkeys are untouched. */
  async changePin(oldPin: string, newPin: string): Promise<void> {
    checkPinPolicy(newPin); // before the old PIN, so a bad new PIN never costs an attempt
    const { vaultKey, record: old } = await this.#verifyPin(oldPin, Date.now());
    try {
      const next = await wrapVaultKey(newPin, vaultKey, this.#kdf, old.keyCheck, old.createdAt);
      const tx = this.#conn().transaction('meta', 'readwrite');
      const current = await tx.store.get('vaultKey');
      // The old PIN was right either way, so the wrong-PIN count is reset in this same transaction.
      const changed = current?.id !== 'vaultKey' || !equalBytes(current.iv, old.iv);
      const writes = changed ? [] : [tx.store.put(next)];
      await commit(tx, [...writes, tx.store.put(lockoutRecord(NO_FAILURES))]);
      if (changed) throw new VaultStateError('concurrent-change', 'The PIN was changed somewhere else at the same time. Please try again.');
    } catch (e) {
      if (!(e instanceof VaultStateError)) await this.#writeLockout(NO_FAILURES).catch(() => {});
      throw e;
    } finally {
      vaultKey.fill(0);
    }
  }

  /** Consecutive wrong PINs and the wait before the next try (0 when a PIN may be tried now). */
  async unlockState(now: number = Date.now()): Promise<{ attempts: number; retryAfterMs: number }> {
    const state = normalizeLockout(await this.#conn().get('meta', 'lockout'));
    return { attempts: state.failures, retryAfterMs: retryAfterMs(state, now) };
  }

  /** Seals the private key and stores the passkey in one transaction; refuses an existing credentialId. */
  async addPasskey(vaultKey: Uint8Array, p: NewPasskey, privateKey: Uint8Array): Promise<PasskeySummary> {
    checkNewPasskey(p);
    const label = normalizeLabel(p.label);
    // ES256 (-7): a raw 32-byte P-256 secret, as src/core/es256.ts uses; EdDSA (-8): the 32-byte
    // Ed25519 seed of src/core/ed25519.ts.
    if (!(privateKey instanceof Uint8Array) || privateKey.length !== PRIVATE_KEY_BYTES) {
      const got = privateKey instanceof Uint8Array ? `length=${privateKey.length}` : typeof privateKey;
      throw new VaultInputError(`"privateKey" expected Uint8Array of length ${PRIVATE_KEY_BYTES}, got ${got}`);
    }
    const key = await this.#checkedVaultKey(vaultKey);
    const record: PasskeyRecord = {
      // Field by field, so nothing the caller added by mistake is persisted.
      credentialId: p.credentialId, rpId: p.rpId, userHandle: p.userHandle, userName: p.userName,
      userDisplayName: p.userDisplayName, alg: p.alg, publicKey: p.publicKey,
      backupEligible: p.backupEligible, backupState: p.backupState,
      // DESIGN.md: sign counter 0 (synced-passkey behaviour); an imported passkey keeps its count.
      signCount: p.signCount ?? 0,
      createdAt: p.createdAt, lastUsedAt: null, label, hidden: null,
      wrappedPrivateKey: await seal(key, privateKey, passkeyAad(p.credentialId, p.rpId)),
    };
    const tx = this.#conn().transaction('passkeys', 'readwrite');
    // A read in flight now is not kept (it may miss this passkey); the cached site gets it once stored.
    this.#generation++;
    try {
      const added = tx.store.add(record);
      // A create's answer waits for this commit (the passkey must be stored before the relying party
      // gets it). commit() right after the one write saves a round trip between the browser's IndexedDB
      // backend and this worker: without it the commit waits until the add's success event has run here
      // and no new request came (create 12 % faster in Chromium, bench/RESULTS.md, sixth round).
      tx.commit();
      await commit(tx, [added]);
    } catch (e) {
      this.#invalidate();
      if (isDomError(e, 'ConstraintError')) throw new DuplicatePasskeyError(p.credentialId);
      throw e;
    }
    this.#generation++;
    const site = this.#sites?.get(record.rpId);
    if (site) site.push(record);
    else if (this.#emptyBeyondCache) this.#cacheSite(record.rpId, [record]); // the site had none
    return toSummary(record);
  }

  /** Passkeys for one RP ID (index lookup), most recently used (or created, if never used) first. */
  async listByRpId(rpId: string): Promise<PasskeySummary[]> {
    if (typeof rpId !== 'string') throw new VaultInputError('"rpId" must be a string');
    return (await this.#siteRecords(rpId)).map(toSummary).sort(byRecency);
  }

  async listAll(): Promise<PasskeySummary[]> {
    return (await this.#conn().getAll('passkeys')).map(toSummary).sort(byRecency);
  }

  async get(credentialId: string): Promise<PasskeySummary | undefined> {
    const r = await this.#conn().get('passkeys', checkId(credentialId));
    return r && toSummary(r);
  }

  /** @throws VaultKeyError if the vault key is wrong or the record was altered (including a swapped wrapped key). */
  async unwrapPrivateKey(vaultKey: Uint8Array, credentialId: string): Promise<Uint8Array> {
    const r = await this.#conn().get('passkeys', checkId(credentialId));
    if (!r) throw new PasskeyNotFoundError(credentialId);
    const key = await importVaultKey(vaultKey);
    return unseal(key, r.wrappedPrivateKey, passkeyAad(r.credentialId, r.rpId), 'private key of this passkey');
  }

  /**
   * What a sign-in needs: counts the use (as markUsed, in the same transaction that reads the
   * wrapped key) and returns the private key, unwrapped afterwards, with the counter to sign with.
   */
  async useForSigning(vaultKey: Uint8Array, credentialId: string, at: number): Promise<{ privateKey: Uint8Array; signCount: number }> {
    const key = await importVaultKey(vaultKey);
    const r = await this.#recordUse(credentialId, at);
    const privateKey = await unseal(key, r.wrappedPrivateKey, passkeyAad(r.credentialId, r.rpId), 'private key of this passkey');
    return { privateKey, signCount: r.signCount };
  }

  /**
   * What a sign-in needs, counting the use. A counter that counts (an imported passkey's, §6.1.1) is
   * stored before this returns: it is signed, and must never be signed twice. Latchkey's own passkeys
   * keep the counter at 0 and only lastUsedAt changes, so when the site's passkeys are in the cache
   * (opts.cacheSites; the ceremony listed them just before) nothing waits for IndexedDB: the cached
   * date moves at once, and the caller stores it later with recordLastUsed (`stored` is false). If
   * that fails, only the "last used" date is missing.
   */
  async beginSigning(vaultKey: Uint8Array, credentialId: string, at: number): Promise<SigningUse> {
    checkId(credentialId);
    if (!(vaultKey instanceof Uint8Array) || vaultKey.length !== VAULT_KEY_BYTES) await importVaultKey(vaultKey); // throws the usual input error
    const cached = this.#cachedRecord(credentialId);
    let r: PasskeyRecord;
    if (cached && cached.signCount === 0) {
      r = cached;
      cached.lastUsedAt = Math.max(cached.lastUsedAt ?? -Infinity, at); // the site's order follows at once
    } else {
      r = await this.#recordUse(credentialId, at);
    }
    const sealed = r.wrappedPrivateKey;
    const aad = passkeyAad(r.credentialId, r.rpId);
    return {
      signCount: r.signCount,
      stored: !(cached && cached.signCount === 0),
      sealedKeyId: toBase64url(sealed.iv),
      unseal: async () => unseal(await importVaultKey(vaultKey), sealed, aad, 'private key of this passkey'),
    };
  }

  /**
   * Records a use, before signing, and returns the signature counter to sign with: 0 for Latchkey's
   * own passkeys (DESIGN.md), one more than before for an imported passkey whose counter was
   * already counting (§6.1.1: once non-zero it must increase). Never moves lastUsedAt backwards.
   */
  async markUsed(credentialId: string, at: number): Promise<number> {
    return (await this.#recordUse(credentialId, at)).signCount;
  }

  /**
   * The "last used" dates of several sign-ins, in one readwrite transaction (the background writes a
   * burst's uses together, after answering: see beginSigning). Dates only move forward; counters are
   * not touched (a counter that counts is stored before signing). Passkeys deleted meanwhile are skipped.
   */
  async recordLastUsed(uses: ReadonlyArray<{ credentialId: string; at: number }>): Promise<void> {
    for (const u of uses) {
      checkId(u.credentialId);
      if (typeof u.at !== 'number' || !Number.isFinite(u.at)) throw new VaultInputError('"at" must be a finite number (ms since epoch)');
    }
    if (uses.length === 0) return;
    const tx = this.#conn().transaction('passkeys', 'readwrite');
    const writes: Promise<unknown>[] = [];
    const rows = await Promise.all(uses.map((u) => tx.store.get(u.credentialId)));
    rows.forEach((r, i) => {
      if (!r) return;
      const at = Math.max(r.lastUsedAt ?? -Infinity, uses[i]!.at);
      if (r.lastUsedAt === at) return;
      r.lastUsedAt = at;
      writes.push(tx.store.put(r));
      const cached = this.#cachedRecord(r.credentialId);
      if (cached) cached.lastUsedAt = Math.max(cached.lastUsedAt ?? -Infinity, at);
    });
    await commit(tx, writes);
  }

  /** One readwrite transaction: lastUsedAt forward, the counter up when it counts; the updated row. */
  async #recordUse(credentialId: string, at: number): Promise<PasskeyRecord> {
    checkId(credentialId);
    if (typeof at !== 'number' || !Number.isFinite(at)) throw new VaultInputError('"at" must be a finite number (ms since epoch)');
    const tx = this.#conn().transaction('passkeys', 'readwrite');
    const r = await tx.store.get(credentialId);
    if (!r) {
      await tx.done;
      throw new PasskeyNotFoundError(credentialId);
    }
    r.lastUsedAt = Math.max(r.lastUsedAt ?? -Infinity, at);
    if (r.signCount > 0) r.signCount = (r.signCount + 1) % 2 ** 32 || 1;
    await commit(tx, [tx.store.put(r)]);
    // The cached copy follows (the same row, as just stored); nothing else in it changed.
    const cached = this.#cachedRecord(credentialId);
    if (cached) { cached.lastUsedAt = r.lastUsedAt; cached.signCount = r.signCount; }
    return r;
  }

  /**
   * Sets or clears the name the person gave a passkey (one transaction). Trimmed; empty means none.
   * @throws VaultInputError when longer than MAX_LABEL_CHARS (64), PasskeyNotFoundError.
   */
  async renamePasskey(credentialId: string, label: string | null): Promise<PasskeySummary> {
    checkId(credentialId);
    const next = normalizeLabel(label);
    const tx = this.#conn().transaction('passkeys', 'readwrite');
    this.#invalidate();
    try {
      const r = await tx.store.get(credentialId);
      if (!r) {
        await tx.done;
        throw new PasskeyNotFoundError(credentialId);
      }
      r.label = next;
      await commit(tx, [tx.store.put(r)]);
      return toSummary(r);
    } finally {
      this.#invalidate();
    }
  }

  // ---- The Signal API's authenticator actions (WebAuthn L3 §5.1.10, #sctn-signal-methods) -------
  // Each is one readwrite transaction that reads and writes only through IndexedDB requests (no
  // other await inside), so it commits whole or not at all. None needs the vault key: names, ids
  // and the hidden mark are stored in the clear; only private keys are sealed. Callers never learn
  // from the page's side whether anything matched; the return values are for tests and logs.

  /**
   * §5.1.10.2 unknownCredentialId action: the passkey with this RP ID and credential id is hidden
   * from future sign-ins ("remove ... or employ an authenticator-specific procedure to hide it").
   * Latchkey hides rather than deletes: the caller need not be signed in, so a mistaken signal
   * (a site's lookup failing, a wrong id) must not cost the person a key for good; the site can list
   * it again (signalAllAcceptedCredentials) or the person can show it again on the manage page.
   * @returns true when a passkey was hidden now (false: none matched, or already hidden).
   */
  async hideUnknownCredential(rpId: string, credentialId: string, at: number): Promise<boolean> {
    checkRpId(rpId);
    checkId(credentialId);
    checkTime(at);
    const tx = this.#passkeysWriteTx();
    const r = await tx.store.get(credentialId);
    // "If the credential's rpId equals options.rpId and its id equals ... credentialId".
    if (!r || r.rpId !== rpId || r.hidden) {
      await tx.done;
      return false;
    }
    r.hidden = { at, by: 'unknown' };
    await commit(tx, [tx.store.put(r)]);
    return true;
  }

  /**
   * §5.1.10.3 allAcceptedCredentialIds action, for every passkey of this RP ID and user handle:
   * one not in `acceptedIds` is hidden (the spec's "hide ... for a period of time instead of
   * permanently removing": a site that left a valid id out by mistake can list it again), and a
   * hidden one that is in `acceptedIds` is shown again ("reverse the action"). Ids are compared as
   * canonical base64url strings, which is how the vault stores them.
   * @returns the credential ids hidden now and shown again now.
   */
  async applyAcceptedCredentials(rpId: string, userHandle: string, acceptedIds: readonly string[], at: number): Promise<{ hidden: string[]; shown: string[] }> {
    checkRpId(rpId);
    checkHandle(userHandle);
    if (!Array.isArray(acceptedIds) || acceptedIds.some((id) => typeof id !== 'string')) throw new VaultInputError('"acceptedIds" must be an array of strings');
    checkTime(at);
    const accepted = new Set(acceptedIds);
    const tx = this.#passkeysWriteTx();
    const mine = (await tx.store.index('rpId').getAll(rpId)).filter((r) => r.userHandle === userHandle);
    const out = { hidden: [] as string[], shown: [] as string[] };
    const writes: Promise<unknown>[] = [];
    for (const r of mine) {
      if (!accepted.has(r.credentialId)) {
        if (r.hidden) continue; // keep the first mark: when and why it was hidden first
        r.hidden = { at, by: 'not-accepted' };
        out.hidden.push(r.credentialId);
      } else if (r.hidden) {
        r.hidden = null;
        out.shown.push(r.credentialId);
      } else {
        continue;
      }
      writes.push(tx.store.put(r));
    }
    await commit(tx, writes);
    return out;
  }

  /**
   * §5.1.10.4 currentUserDetails action: every passkey of this RP ID and user handle (hidden ones
   * too, so they are right if shown again) takes the site's current user name and display name
   * ("update the credential's otherUI"). The person's own label is theirs and stays.
   * @returns how many passkeys changed.
   */
  async updateUserDetails(rpId: string, userHandle: string, name: string, displayName: string): Promise<number> {
    checkRpId(rpId);
    checkHandle(userHandle);
    if (typeof name !== 'string' || typeof displayName !== 'string') throw new VaultInputError('"name" and "displayName" must be strings');
    const tx = this.#passkeysWriteTx();
    const mine = (await tx.store.index('rpId').getAll(rpId)).filter((r) => r.userHandle === userHandle);
    const writes: Promise<unknown>[] = [];
    for (const r of mine) {
      if (r.userName === name && r.userDisplayName === displayName) continue;
      r.userName = name;
      r.userDisplayName = displayName;
      writes.push(tx.store.put(r));
    }
    await commit(tx, writes);
    return writes.length;
  }

  /**
   * The person shows a hidden passkey again (manage page): it is offered in sign-ins once more.
   * One transaction. @throws PasskeyNotFoundError.
   */
  async unhidePasskey(credentialId: string): Promise<PasskeySummary> {
    checkId(credentialId);
    const tx = this.#passkeysWriteTx();
    const r = await tx.store.get(credentialId);
    if (!r) {
      await tx.done;
      throw new PasskeyNotFoundError(credentialId);
    }
    if (r.hidden) {
      r.hidden = null;
      await commit(tx, [tx.store.put(r)]);
    } else {
      await tx.done;
    }
    return toSummary(r);
  }

  /**
   * Every passkey with its private key in the clear (base64url of the 32-byte secret), most recent
   * first: the input of encryptBackup, and nothing else. All or nothing: a passkey that cannot be
   * decrypted fails the whole export rather than leaving it out of a backup unnoticed.
   */
  async exportPasskeys(vaultKey: Uint8Array): Promise<ExportedPasskey[]> {
    const key = await this.#checkedVaultKey(vaultKey);
    const rows = (await this.#conn().getAll('passkeys')).sort(byRecency);
    const out: ExportedPasskey[] = [];
    for (const r of rows) {
      let secret: Uint8Array;
      try {
        secret = await unseal(key, r.wrappedPrivateKey, passkeyAad(r.credentialId, r.rpId), 'private key of this passkey');
      } catch (cause) {
        throw new VaultKeyError(
          `The passkey for ${r.userName || r.userDisplayName || 'an account'} at ${r.rpId} could not be decrypted, ` +
          'so no backup was made. The stored data may be damaged.', { cause });
      }
      out.push({ ...toSummary(r), privateKey: toBase64url(secret) });
      secret.fill(0);
    }
    return out;
  }

  /**
   * Adds passkeys from a backup or another manager, in one transaction. Every item is checked
   * first (including that its private key belongs to its public key); one bad item refuses the
   * whole import with a VaultInputError naming it, and nothing is written. A credential id already
   * saved is never overwritten: identical (same RP ID, user handle and public key) counts as
   * unchanged, anything else as a conflict. signCount, createdAt, lastUsedAt and label are kept.
   * @throws VaultInputError, VaultKeyError (wrong or stale vault key), VaultQuotaError; on any
   *   failure the vault is exactly as before.
   */
  async importPasskeys(vaultKey: Uint8Array, items: ExportedPasskey[]): Promise<ImportResult> {
    if (!Array.isArray(items)) throw new VaultInputError('"items" must be an array');
    const checked = items.map((item, i) => {
      try {
        return checkExportedPasskey(item);
      } catch (e) {
        if (e instanceof VaultInputError) throw new VaultInputError(`Passkey ${i + 1} of ${items.length}: ${e.message}`);
        throw e;
      }
    });
    let records: PasskeyRecord[];
    try {
      const key = await this.#checkedVaultKey(vaultKey);
      // Sealed before the transaction opens: it would commit while WebCrypto runs.
      records = await Promise.all(checked.map(async ({ passkey: p, privateKey }) => {
        const { privateKey: _plain, ...summary } = p;
        return { ...summary, hidden: summary.hidden ?? null, wrappedPrivateKey: await seal(key, privateKey, passkeyAad(p.credentialId, p.rpId)) };
      }));
    } finally {
      for (const { privateKey } of checked) privateKey.fill(0);
    }

    const tx = this.#conn().transaction('passkeys', 'readwrite');
    this.#invalidate();
    try {
      return await this.#importInto(tx, records);
    } finally {
      this.#invalidate();
    }
  }

  async #importInto(tx: IDBPTransaction<VaultSchema, ['passkeys'], 'readwrite'>, records: PasskeyRecord[]): Promise<ImportResult> {
    const result: ImportResult = { added: [], unchanged: [], conflicts: [] };
    // All reads are issued at once and awaited together, then all writes are issued without an
    // await in between, so the transaction stays active and no write promise is left unwatched.
    const existing = await Promise.all(records.map((r) => tx.store.get(r.credentialId)));
    const seen = new Map<string, PasskeyRecord>(); // the same id twice in one import
    const writes: Promise<unknown>[] = [];
    records.forEach((r, i) => {
      const saved = seen.get(r.credentialId) ?? existing[i];
      if (saved === undefined) {
        writes.push(tx.store.add(r));
        seen.set(r.credentialId, r);
        result.added.push(r.credentialId);
      } else if (saved.rpId === r.rpId && saved.userHandle === r.userHandle && saved.publicKey === r.publicKey) {
        result.unchanged.push(r.credentialId);
      } else {
        result.conflicts.push(r.credentialId);
      }
    });
    await commit(tx, writes);
    return result;
  }

  /** Removes one passkey (one transaction). @throws PasskeyNotFoundError when there is none. */
  async deletePasskey(credentialId: string): Promise<void> {
    const tx = this.#conn().transaction('passkeys', 'readwrite');
    this.#invalidate();
    try {
      const r = await tx.store.get(checkId(credentialId));
      if (!r) {
        await tx.done;
        throw new PasskeyNotFoundError(credentialId);
      }
      await commit(tx, [tx.store.delete(credentialId)]);
    } finally {
      this.#invalidate();
    }
  }

  /** Removes every passkey, keeping the PIN and vault key (one transaction). Returns how many went. */
  async deleteAllPasskeys(): Promise<number> {
    const tx = this.#conn().transaction('passkeys', 'readwrite');
    this.#invalidate();
    const started = this.#generation;
    let cleared = false;
    try {
      const n = await tx.store.count();
      await commit(tx, [tx.store.clear()]);
      // No other write began or ended meanwhile (each bumps the generation): the store is empty now.
      cleared = this.#generation === started;
      return n;
    } finally {
      this.#invalidate();
      // Test suites clear between tests; the next ceremony's lookup then needs no IndexedDB read.
      if (cleared) this.#emptyBeyondCache = this.#sites !== null;
    }
  }

  /** True once closed, by close() or because a newer version of the database took over. */
  get isClosed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
    this.#db.close();
  }

  #conn(): IDBPDatabase<VaultSchema> {
    if (this.#closed) throw new VaultStateError('db-closed', 'The vault is closed (Latchkey may have been updated). Please try again.');
    return this.#db;
  }

  /**
   * Counts the attempt *before* running Argon2 and un-counts it only once the PIN proved right.
   * Parallel calls therefore cannot slip extra guesses past the delay, and killing the worker
   * mid-derivation leaves the guess counted.
   */
  async #verifyPin(pin: string, now: number): Promise<{ vaultKey: Uint8Array; record: VaultKeyRecord }> {
    if (typeof pin !== 'string') throw new VaultInputError('"pin" must be a string');
    if (typeof now !== 'number' || !Number.isFinite(now)) throw new VaultInputError('"now" must be a finite number');
    const tx = this.#conn().transaction('meta', 'readwrite');
    const [stored, lockout] = await Promise.all([tx.store.get('vaultKey'), tx.store.get('lockout')]);
    const before = normalizeLockout(lockout);
    const wait = retryAfterMs(before, now);
    if (stored === undefined || wait > 0) {
      await tx.done;
      if (stored === undefined) throw new VaultStateError('not-initialized', 'No PIN has been set up yet.');
      throw new TooSoonError(wait);
    }
    const record = asVaultKeyRecord(stored);
    const reserved: LockoutState = { failures: before.failures + 1, lastFailureAt: now };
    await commit(tx, [tx.store.put(lockoutRecord(reserved))]);

    let kek: CryptoKey;
    try {
      kek = await deriveKek(pin, record.kdf);
    } catch (e) {
      // Not a wrong PIN (e.g. out of memory): give the attempt back if nothing happened since.
      await this.#refund(reserved, before).catch(() => {});
      throw e;
    }
    try {
      return { vaultKey: await unseal(kek, record, VAULT_KEY_AAD, 'vault key'), record };
    } catch (e) {
      if (e instanceof VaultKeyError) throw new WrongPinError(reserved.failures, retryAfterMs(reserved, now));
      throw e;
    }
  }

  async #refund(reserved: LockoutState, before: LockoutState): Promise<void> {
    const tx = this.#conn().transaction('meta', 'readwrite');
    const cur = normalizeLockout(await tx.store.get('lockout'));
    const writes = cur.failures === reserved.failures && cur.lastFailureAt === reserved.lastFailureAt
      ? [tx.store.put(lockoutRecord(before))] : [];
    await commit(tx, writes);
  }

  async #writeLockout(state: LockoutState): Promise<void> {
    const tx = this.#conn().transaction('meta', 'readwrite');
    await commit(tx, [tx.store.put(lockoutRecord(state))]);
  }

  /** Imports the raw vault key and proves it is this vault's (see KEY_CHECK_AAD). */
  /**
   * The last raw key that passed the check. An open database's vault key never changes (initialize
   * refuses a second time; changePin re-wraps the same key), so the check holds for this instance.
   */
  #checked: { raw: Uint8Array; key: CryptoKey } | null = null;

  async #checkedVaultKey(vaultKey: Uint8Array): Promise<CryptoKey> {
    const cached = this.#checked;
    if (cached && cached.raw.length === vaultKey.length && cached.raw.every((b, i) => b === vaultKey[i])) return cached.key;
    const key = await importVaultKey(vaultKey);
    const stored = await this.#conn().get('meta', 'vaultKey');
    if (stored === undefined) throw new VaultStateError('not-initialized', 'No PIN has been set up yet.');
    const record = asVaultKeyRecord(stored);
    await unseal(key, record.keyCheck, KEY_CHECK_AAD, 'key check').catch((cause: unknown) => {
      throw new VaultKeyError('This vault key does not belong to this vault (it may be out of date). Unlock again.', { cause });
    });
    this.#checked = { raw: vaultKey.slice(), key };
    return key;
  }
}

async function wrapVaultKey(
  pin: string, vaultKey: Uint8Array, kdf: Omit<KdfParams, 'salt'>, keyCheck: Sealed, createdAt: number,
): Promise<VaultKeyRecord> {
  const params: KdfParams = { ...kdf, salt: randomBytes(SALT_BYTES) };
  const kek = await deriveKek(pin, params);
  const { iv, ciphertext } = await seal(kek, vaultKey, VAULT_KEY_AAD);
  return { id: 'vaultKey', kdf: params, iv, ciphertext, keyCheck, createdAt };
}

async function checkValue(vaultKey: Uint8Array): Promise<Sealed> {
  return seal(await importVaultKey(vaultKey), new Uint8Array(0), KEY_CHECK_AAD);
}

function asVaultKeyRecord(v: MetaRecord): VaultKeyRecord {
  if (v.id !== 'vaultKey' || !v.kdf || !(v.kdf.salt instanceof Uint8Array) || !v.keyCheck) {
    throw new VaultKeyError('The stored vault key is damaged and cannot be read.');
  }
  try {
    checkKdfParams(v.kdf);
  } catch (cause) {
    throw new VaultKeyError('The stored PIN settings are damaged or from an unknown version.', { cause });
  }
  return v;
}

function lockoutRecord(s: LockoutState): LockoutRecord {
  return { id: 'lockout', failures: s.failures, lastFailureAt: s.lastFailureAt };
}

function toSummary(r: PasskeyRecord): PasskeySummary {
  const { wrappedPrivateKey: _omitted, ...summary } = r;
  return { ...summary, label: summary.label ?? null, hidden: summary.hidden ?? null };
}

/**
 * Waits for a transaction's writes and its commit. A full disk shows up as the transaction
 * aborting with QuotaExceededError (browsers may report it only at commit, after every put
 * "succeeded"); the requests still pending then fail with a bare AbortError, so the transaction's
 * own error is what tells. Either way IndexedDB has rolled the whole transaction back.
 */
async function commit(tx: { done: Promise<void>; error: DOMException | null }, writes: Promise<unknown>[]): Promise<void> {
  try {
    await Promise.all([...writes, tx.done]);
  } catch (e) {
    // Once the transaction has aborted, its error names the cause; a pending request only says AbortError.
    const reason = tx.error ?? e;
    if (isDomError(e, 'QuotaExceededError') || isDomError(reason, 'QuotaExceededError')) throw new VaultQuotaError({ cause: reason });
    throw reason;
  }
}

/** Newest activity first: last use, or creation for a passkey never used; ties are stable by id. */
function byRecency(a: PasskeySummary, b: PasskeySummary): number {
  return (b.lastUsedAt ?? b.createdAt) - (a.lastUsedAt ?? a.createdAt)
    || b.createdAt - a.createdAt
    || (a.credentialId < b.credentialId ? -1 : a.credentialId > b.credentialId ? 1 : 0);
}

function checkId(credentialId: unknown): string {
  if (typeof credentialId !== 'string' || credentialId.length === 0) throw new VaultInputError('"credentialId" must be a non-empty string');
  return credentialId;
}

function checkRpId(rpId: unknown): string {
  if (typeof rpId !== 'string' || rpId.length === 0) throw new VaultInputError('"rpId" must be a non-empty string');
  return rpId;
}

function checkHandle(userHandle: unknown): string {
  if (typeof userHandle !== 'string') throw new VaultInputError('"userHandle" must be a string');
  return userHandle;
}

function checkTime(at: unknown): number {
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new VaultInputError('"at" must be a finite number (ms since epoch)');
  return at;
}

function equalBytes(a: unknown, b: Uint8Array): boolean {
  return a instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
}

function isDomError(e: unknown, name: string): boolean {
  return !(e instanceof VaultError) && (e as { name?: unknown } | null)?.name === name;
}

function alreadyInitialized(): VaultStateError {
  return new VaultStateError('already-initialized', 'A PIN is already set up. Unlock with it or change it instead.');
}
