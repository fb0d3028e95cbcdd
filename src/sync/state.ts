// Sync's own state, in its own IndexedDB database ("latchkey-sync"): the vault's schema is untouched.
// What the engine knows of the server (the root, buckets and records as last read or written, their
// tags and ETags), what is still to upload or to write to the vault, the Lamport clock, and the
// configuration (its secrets sealed under a key derived from the vault key).
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { SyncRecord } from './record';

export const SYNC_DB_NAME = 'latchkey-sync';

export interface RecordState {
  /** The file name (HMAC of the credential id): r/<name>. */
  name: string;
  /** The record as last merged here. */
  record: SyncRecord;
  /** The tag of r/<name> as last read or written here; null: not on the server as far as known. */
  tag: string | null;
  etag: string | null;
  /** `record` holds something the server's copy lacks: to upload. */
  dirty: boolean;
  /** The tag of an upload under way: a PUT that reached the server but not this state is recognized by it. */
  pendingTag: string | null;
  /** The bucket's entry for this record is behind `tag`. */
  bucketDirty: boolean;
  /** `record` may differ from the vault: to write to the vault before local edits are read. */
  unapplied: boolean;
}

export interface BucketState { id: string; tag: string | null; etag: string | null; entries: Record<string, string> }

export interface MetaState {
  id: 'meta';
  /** The Lamport counter: above every stamp seen. */
  clock: number;
  rootGen: number;
  rootTag: string | null;
  rootEtag: string | null;
  rootBuckets: Record<string, string>;
  /** Buckets whose entry in the root is behind their file (another device stopped before its root write). */
  rootFix: Record<string, string>;
}

export interface ConfigState {
  id: 'config';
  folderUrl: string;
  userName: string;
  deviceId: string;
  /** { appPassword, rootKey (hex), pairingSecret (hex) } sealed under the vault key (crypto.sealLocal). */
  sealed: { nonce: string; ct: string };
  enabledAt: number;
}

interface SyncSchema extends DBSchema {
  config: { key: 'config'; value: ConfigState };
  meta: { key: 'meta'; value: MetaState };
  buckets: { key: string; value: BucketState };
  records: { key: string; value: RecordState };
}

export function emptyMeta(): MetaState {
  return { id: 'meta', clock: 0, rootGen: 0, rootTag: null, rootEtag: null, rootBuckets: {}, rootFix: {} };
}

export class SyncStore {
  #db: IDBPDatabase<SyncSchema>;
  private constructor(db: IDBPDatabase<SyncSchema>) { this.#db = db; }

  static async open(name = SYNC_DB_NAME): Promise<SyncStore> {
    const db = await openDB<SyncSchema>(name, 1, {
      upgrade(d) {
        d.createObjectStore('config', { keyPath: 'id' });
        d.createObjectStore('meta', { keyPath: 'id' });
        d.createObjectStore('buckets', { keyPath: 'id' });
        d.createObjectStore('records', { keyPath: 'name' });
      },
    });
    return new SyncStore(db);
  }

  getConfig(): Promise<ConfigState | undefined> { return this.#db.get('config', 'config'); }

  /** A new configuration starts from an empty state (another server, or this one joined afresh). */
  async setConfig(c: ConfigState): Promise<void> {
    const tx = this.#db.transaction(['config', 'meta', 'buckets', 'records'], 'readwrite');
    await Promise.all([
      tx.objectStore('meta').clear(), tx.objectStore('buckets').clear(), tx.objectStore('records').clear(),
      tx.objectStore('config').put(c), tx.objectStore('meta').put(emptyMeta()), tx.done,
    ]);
  }

  /** Sync off: configuration and state go; the vault's passkeys stay. */
  async clear(): Promise<void> {
    const tx = this.#db.transaction(['config', 'meta', 'buckets', 'records'], 'readwrite');
    await Promise.all([tx.objectStore('config').clear(), tx.objectStore('meta').clear(), tx.objectStore('buckets').clear(), tx.objectStore('records').clear(), tx.done]);
  }

  async load(): Promise<{ meta: MetaState; buckets: Map<string, BucketState>; records: Map<string, RecordState> }> {
    const tx = this.#db.transaction(['meta', 'buckets', 'records'], 'readonly');
    const [meta, buckets, records] = await Promise.all([
      tx.objectStore('meta').get('meta'), tx.objectStore('buckets').getAll(), tx.objectStore('records').getAll(),
    ]);
    return {
      meta: meta ?? emptyMeta(),
      buckets: new Map(buckets.map((b) => [b.id, b])),
      records: new Map(records.map((r) => [r.name, r])),
    };
  }

  /** One transaction: the writes of one step land together or not at all. */
  async write(w: { records?: RecordState[]; buckets?: BucketState[]; meta?: MetaState }): Promise<void> {
    const tx = this.#db.transaction(['meta', 'buckets', 'records'], 'readwrite');
    const ops: Promise<unknown>[] = [];
    for (const r of w.records ?? []) ops.push(tx.objectStore('records').put(structuredClone(r)));
    for (const b of w.buckets ?? []) ops.push(tx.objectStore('buckets').put(structuredClone(b)));
    if (w.meta) ops.push(tx.objectStore('meta').put(structuredClone(w.meta)));
    await Promise.all([...ops, tx.done]);
  }

  close(): void { this.#db.close(); }
}
