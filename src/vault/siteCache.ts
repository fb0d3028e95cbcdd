// Each site's passkeys in memory once read (VaultOpenOpts.cacheSites), for the one Vault that writes
// the database (the background's): a ceremony lists its site, then signs, with no IndexedDB read.
// Every write to the passkeys store drops it (and bumps the generation, so a read that overlapped a
// write is not kept).
import type { PasskeyRecord } from './schema.js';

/** How many sites' passkeys the cache keeps (a few KB each; most people use a handful of sites). */
const CACHED_SITES = 64;

export class SiteCache {
  /** Records by RP ID, or null when caching is off. */
  #sites: Map<string, PasskeyRecord[]> | null;
  /** Bumped before and after every write: a read that started at another generation is not kept. */
  generation = 0;
  /**
   * True when the passkeys store is known to hold nothing but what the cache holds (set when
   * deleteAllPasskeys committed with no other write in between): a site not cached then has no
   * passkeys, and is read from memory as empty. Cleared by every invalidation and eviction.
   */
  emptyBeyondCache = false;

  constructor(enabled: boolean) {
    this.#sites = enabled ? new Map() : null;
  }

  get enabled(): boolean {
    return this.#sites !== null;
  }

  /** Called before and after every write to the passkeys store: nothing read before it is kept. */
  invalidate(): void {
    this.generation++;
    this.#sites?.clear();
    this.emptyBeyondCache = false;
  }

  /** Caches a site's rows, evicting the oldest site when full (which ends emptyBeyondCache). */
  cacheSite(rpId: string, rows: PasskeyRecord[]): void {
    if (!this.#sites) return;
    if (this.#sites.size >= CACHED_SITES) {
      this.#sites.delete(this.#sites.keys().next().value!);
      this.emptyBeyondCache = false;
    }
    this.#sites.set(rpId, rows);
  }

  site(rpId: string): PasskeyRecord[] | undefined {
    return this.#sites?.get(rpId);
  }

  record(credentialId: string): PasskeyRecord | undefined {
    if (!this.#sites) return undefined;
    for (const rows of this.#sites.values()) for (const r of rows) if (r.credentialId === credentialId) return r;
    return undefined;
  }

  /** A site's rows from memory, or from `read` (kept only if no write started meanwhile). */
  async siteRecords(rpId: string, read: () => Promise<PasskeyRecord[]>): Promise<PasskeyRecord[]> {
    const cached = this.site(rpId);
    if (cached) return cached;
    if (this.emptyBeyondCache) {
      // Everything was deleted since the last read of the store, and this site got nothing since.
      const none: PasskeyRecord[] = [];
      this.cacheSite(rpId, none);
      return none;
    }
    const generation = this.generation;
    const rows = await read();
    // Kept only if no write started meanwhile (its result might be missing from `rows`).
    if (generation === this.generation) this.cacheSite(rpId, rows);
    return rows;
  }
}
