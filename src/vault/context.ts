// What the vault's parts share: the open database, the site cache, the KDF settings for the next
// wrap, and the vault key last proved to be this vault's. One per Vault; never exported from vault.ts.
import type { IDBPDatabase } from 'idb';
import { VaultStateError } from './errors.js';
import type { KdfParams } from './kdf.js';
import type { MonotonicClock } from './lockout.js';
import type { VaultSchema } from './schema.js';
import { ROW_STORES, type RowTx } from './rows.js';
import { SiteCache } from './siteCache.js';

export class VaultContext {
  readonly #db: IDBPDatabase<VaultSchema>;
  readonly kdf: Omit<KdfParams, 'salt'>;
  readonly cache: SiteCache;
  /** The monotonic clock of the wrong-PIN waits (lockout.ts): performance.now(), or a test's. */
  readonly clock: MonotonicClock;
  closed = false;
  /**
   * The last raw key that passed the key check (keyWrap.ts checkedVaultKey), until the vault key is
   * rotated (changePin clears it, so the old key is checked against the store again, and refused).
   */
  checkedKey: { raw: Uint8Array; key: CryptoKey } | null = null;
  /**
   * Bumped when a PIN change is about to replace the vault key (keyWrap.ts writeRotation). A write
   * that checked its vault key at another epoch is refused before its transaction opens, so nothing
   * is ever sealed under a key that no longer opens the vault.
   */
  keyEpoch = 0;

  constructor(db: IDBPDatabase<VaultSchema>, kdf: Omit<KdfParams, 'salt'>, cacheSites: boolean, clock: MonotonicClock) {
    this.#db = db;
    this.kdf = kdf;
    this.cache = new SiteCache(cacheSites);
    this.clock = clock;
  }

  conn(): IDBPDatabase<VaultSchema> {
    if (this.closed) throw new VaultStateError('db-closed', 'The vault is closed (Latchkey may have been updated). Please try again.');
    return this.#db;
  }

  close(): void {
    this.closed = true;
    this.#db.close();
  }

  /**
   * A readwrite transaction on the passkeys (and summaries) stores that clears the site cache now and again when it
   * ends (committed or aborted), so no read that overlapped it is kept.
   */
  passkeysWriteTx(): RowTx {
    const tx = this.conn().transaction(ROW_STORES, 'readwrite');
    this.cache.invalidate();
    const again = () => this.cache.invalidate();
    tx.done.then(again, again);
    return tx;
  }
}
