// One sync: pull what changed on the server (root -> buckets -> records, following tags), write it
// to the vault, read this device's own edits from the vault, push them (records -> buckets -> root,
// every PUT conditional). The state is written after each step that changed something, so a worker
// stopped anywhere starts again from there (docs/SYNC.md "Resuming"). No extension APIs: the vault,
// the server and the state come in as interfaces, and the tests run it in Node.
import type { ExportedPasskey, PasskeySummary } from '../vault/vault';
import { SyncIntegrityError, openFile, recordName, sealFile, tagOf, type SyncKeys } from './crypto';
import {
  applyLocalEdits, applyLocalSites, checkRecord, maxCounter, mergeRecords, recordFromPasskey, sameRecord, sitesOf,
  tombstone, vaultChangesFor, type PasskeySyncRecord, type SettingsSyncRecord, type Stamp, type SyncRecord,
} from './record';
import type { BucketState, MetaState, RecordState, SyncStore } from './state';
import type { GetResult, PutResult } from './webdav';

/** The vault as sync uses it: only the Vault's public methods stand behind it (background/sync.ts). */
export interface SyncVault {
  list(): Promise<PasskeySummary[]>;
  /** The private key of one passkey, base64url (to upload it, encrypted). */
  privateKey(credentialId: string): Promise<string>;
  importPasskeys(items: ExportedPasskey[]): Promise<void>;
  rename(credentialId: string, label: string | null): Promise<void>;
  delete(credentialId: string): Promise<void>;
  recordLastUsed(uses: { credentialId: string; at: number }[]): Promise<void>;
  updateUserDetails(rpId: string, userHandle: string, name: string, displayName: string): Promise<void>;
  hide(rpId: string, credentialId: string, at: number): Promise<void>;
  unhide(credentialId: string): Promise<void>;
  /** Counts one use (the counter goes up by one when it counts); `at` is never moved backwards. */
  markUsed(credentialId: string, at: number): Promise<void>;
  handoverSites(): Promise<string[]>;
  setHandoverSites(sites: string[]): Promise<void>;
}

export interface SyncDav {
  get(path: string, ifNoneMatch?: string | null): Promise<GetResult>;
  put(path: string, body: Uint8Array, cond: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<PutResult>;
}

export interface SyncProgress { phase: 'download' | 'upload'; done: number; total: number }

export interface SyncOutcome {
  /** Records read from the server and merged. */
  downloaded: number;
  /** Records written to the server. */
  uploaded: number;
  /** Changes written to this device's vault. */
  applied: number;
}

export class SyncConflictError extends Error {
  override name = 'SyncConflictError';
  constructor() { super('Another device kept changing the sync data at the same time. Latchkey will try again shortly; nothing was lost.'); }
}

export class SyncDataGoneError extends Error {
  override name = 'SyncDataGoneError';
  constructor() {
    super('The sync data on the server is gone (its index file is missing), so nothing was uploaded over it. ' +
      'Your passkeys on this device are unchanged. To start again, turn sync off, then on (or join) again.');
  }
}

export class SyncRollbackError extends Error {
  override name = 'SyncRollbackError';
  constructor() { super('The sync server returned older sync data than this device has already seen, and it was refused. Your passkeys on this device are unchanged.'); }
}

/** PUTs and GETs in flight at once: browsers open 6 HTTP/1.1 connections per server. */
const CONCURRENCY = 6;
const SETTINGS = 'settings';
const ROOT = 'root';
const bucketOf = (name: string) => name.slice(0, 2);
const bucketPath = (b: string) => `b/${b}`;
const recordPath = (name: string) => `r/${name}`;

interface RootFile { v: 1; gen: number; buckets: Record<string, string> }
interface BucketFile { v: 1; entries: Record<string, string> }
interface RecordFile { v: 1; record: SyncRecord; privateKey?: string }

export interface SyncEngineOptions {
  dav: SyncDav;
  keys: SyncKeys;
  store: SyncStore;
  vault: SyncVault;
  deviceId: string;
  onProgress?: (p: SyncProgress) => void;
  /** PUTs in flight at once (a first sync uploads every passkey). */
  concurrency?: number;
  /** The first wait after a conflict, doubled each time (default 250 ms). */
  backoffMs?: number;
  /** Stops after this many record PUTs (tests: a worker killed between two PUTs). */
  stopAfterPuts?: number;
}

export class SyncEngine {
  #o: SyncEngineOptions;
  #meta!: MetaState;
  #buckets!: Map<string, BucketState>;
  #records!: Map<string, RecordState>;
  /** Private keys read from the server in this run, for the passkeys to import. */
  #keysFromServer = new Map<string, string>();
  /** The vault as #captureLocal read it: a passkey that changed since is not written over (the run starts again). */
  #snapshot = new Map<string, string>();
  #names = new Map<string, string>(); // credential id -> record name
  #outcome: SyncOutcome = { downloaded: 0, uploaded: 0, applied: 0 };
  #puts = 0;

  constructor(o: SyncEngineOptions) { this.#o = o; }

  /** Runs until the server and the vault agree, starting over after a conflict (up to 6 times). */
  async run(): Promise<SyncOutcome> {
    ({ meta: this.#meta, buckets: this.#buckets, records: this.#records } = await this.#o.store.load());
    for (let attempt = 0; ; attempt++) {
      try {
        // Left over from a run that stopped after its download: written first, so it is not read as local edits.
        await this.#applyToVault();
        // This device's edits are read before anything from the server is written to the vault.
        await this.#captureLocal();
        await this.#pull();
        await this.#applyToVault();
        await this.#push();
        return this.#outcome;
      } catch (e) {
        if (!(e instanceof SyncConflictError) || attempt >= 5) throw e;
        // Another device is writing: let it finish (and a just-written file's weak ETag turn strong).
        await sleep((this.#o.backoffMs ?? 250) * 2 ** attempt * (0.75 + Math.random() / 2));
      }
    }
  }

  #name(credentialId: string): string {
    let n = this.#names.get(credentialId);
    if (!n) { n = recordName(this.#o.keys, 'passkey', credentialId); this.#names.set(credentialId, n); }
    return n;
  }

  #settingsName(): string { return recordName(this.#o.keys, 'setting', SETTINGS); }

  #stamp = (): Stamp => ({ c: ++this.#meta.clock, d: this.#o.deviceId });

  // ---- pull ------------------------------------------------------------------------------------

  async #pull(): Promise<void> {
    const got = await this.#o.dav.get(ROOT, this.#meta.rootEtag);
    if (got.status === 304) return;
    if (got.status === 404) {
      // A server that never had a root is new; one that had it and lost it is refused (nothing is uploaded over it).
      if (this.#meta.rootTag !== null) throw new SyncDataGoneError();
      return;
    }
    const { value, tag } = openFile<RootFile>(this.#o.keys, ROOT, got.bytes);
    if (value.v !== 1 || typeof value.gen !== 'number' || typeof value.buckets !== 'object') throw new SyncIntegrityError(ROOT);
    if (value.gen < this.#meta.rootGen) throw new SyncRollbackError();
    const changed = Object.entries(value.buckets).filter(([b, t]) => this.#buckets.get(b)?.tag !== t);
    let done = 0;
    const first = this.#meta.rootTag === null;
    await pool(changed, this.#o.concurrency ?? CONCURRENCY, async ([b, listedTag]) => {
      await this.#pullBucket(b, listedTag, first);
      if (first) this.#o.onProgress?.({ phase: 'download', done: ++done, total: changed.length });
    });
    this.#meta = { ...this.#meta, rootGen: value.gen, rootTag: tag, rootEtag: got.etag, rootBuckets: { ...value.buckets } };
    await this.#o.store.write({ meta: this.#meta });
  }

  async #pullBucket(b: string, listedTag: string, _first: boolean): Promise<void> {
    const got = await this.#o.dav.get(bucketPath(b));
    if (got.status !== 200) return; // listed but gone: the next writer repairs the root
    const { value, tag } = openFile<BucketFile>(this.#o.keys, bucketPath(b), got.bytes);
    if (value.v !== 1 || typeof value.entries !== 'object') throw new SyncIntegrityError(bucketPath(b));
    if (tag !== listedTag) this.#meta.rootFix[b] = tag; // the root is behind this bucket
    const changed = Object.entries(value.entries).filter(([name, t]) => this.#records.get(name)?.tag !== t);
    const updated: RecordState[] = [];
    for (const [name, listed] of changed) {
      const r = await this.#pullRecord(name);
      if (r) { if (r.tag !== listed) r.bucketDirty = true; updated.push(r); }
    }
    const bucket: BucketState = { id: b, tag, etag: got.etag, entries: { ...value.entries } };
    this.#buckets.set(b, bucket);
    await this.#o.store.write({ records: updated, buckets: [bucket], meta: this.#meta });
  }

  /** Reads r/<name> and merges it into the state (not yet written: the caller writes it). */
  async #pullRecord(name: string): Promise<RecordState | null> {
    const got = await this.#o.dav.get(recordPath(name));
    if (got.status !== 200) return null;
    const opened = openFile<RecordFile>(this.#o.keys, recordPath(name), got.bytes);
    const remote = checkRecord(opened.value.record);
    const expected = remote.kind === 'settings' ? this.#settingsName() : this.#name(remote.id);
    if (expected !== name) throw new SyncIntegrityError(recordPath(name)); // a record filed under another's name
    if (remote.kind === 'passkey' && typeof opened.value.privateKey === 'string') this.#keysFromServer.set(remote.id, opened.value.privateKey);
    this.#meta.clock = Math.max(this.#meta.clock, maxCounter(remote));
    this.#outcome.downloaded++;
    const prev = this.#records.get(name);
    const merged = prev ? mergeRecords(prev.record, remote) : remote;
    const next: RecordState = {
      name, record: merged, tag: opened.tag, etag: got.etag,
      dirty: (prev?.dirty ?? false) || !sameRecord(merged, remote),
      pendingTag: prev?.pendingTag ?? null, bucketDirty: prev?.bucketDirty ?? false,
      unapplied: (prev?.unapplied ?? false) || !sameRecord(merged, prev?.record),
    };
    this.#records.set(name, next);
    return next;
  }

  // ---- the vault -------------------------------------------------------------------------------

  async #applyToVault(): Promise<void> {
    const pending = [...this.#records.values()].filter((r) => r.unapplied);
    if (pending.length === 0) return;
    const local = new Map((await this.#o.vault.list()).map((p) => [p.credentialId, p]));
    const imports: ExportedPasskey[] = [];
    const done: RecordState[] = [];
    const used: { credentialId: string; at: number }[] = [];
    for (const st of pending) {
      const r = st.record;
      if (r.kind === 'settings') {
        const sites = sitesOf(r);
        const mine = await this.#o.vault.handoverSites();
        if (sites.join() !== [...mine].sort().join()) { await this.#o.vault.setHandoverSites(sites); this.#outcome.applied++; }
        done.push(st);
        continue;
      }
      const p = local.get(r.id);
      const seen = this.#snapshot.get(r.id);
      if (seen !== undefined && seen !== JSON.stringify(p ?? null)) throw new SyncConflictError(); // edited meanwhile
      for (const c of vaultChangesFor(r, p)) {
        this.#outcome.applied++;
        switch (c.op) {
          case 'delete': await this.#o.vault.delete(r.id).catch(ignoreNotFound); break;
          case 'import': imports.push(await this.#exported(st)); break;
          case 'rename': await this.#o.vault.rename(r.id, c.label); break;
          case 'user': await this.#o.vault.updateUserDetails(p!.rpId, p!.userHandle, c.name, c.displayName); break;
          case 'hide': await this.#o.vault.hide(p!.rpId, r.id, c.at); break;
          case 'unhide': await this.#o.vault.unhide(r.id); break;
          case 'last-used': used.push({ credentialId: r.id, at: c.at }); break;
          case 'count':
            // The vault's only way to raise a counter is to count uses, one at a time (§6.1.1: never backwards).
            for (let n = c.from; n < c.to; n++) await this.#o.vault.markUsed(r.id, p!.lastUsedAt ?? p!.createdAt);
            break;
        }
      }
      done.push(st);
    }
    // Imports first, then "last used" (a passkey just imported carries its date already).
    if (imports.length) await this.#o.vault.importPasskeys(imports);
    if (used.length) await this.#o.vault.recordLastUsed(used);
    for (const st of done) st.unapplied = false;
    await this.#o.store.write({ records: done, meta: this.#meta });
    if (this.#snapshot.size > 0) {
      // What this run wrote to the vault is what a later check in this run compares with.
      const now = new Map((await this.#o.vault.list()).map((p) => [p.credentialId, JSON.stringify(p)]));
      for (const st of done) if (st.record.kind === 'passkey') this.#snapshot.set(st.record.id, now.get(st.record.id) ?? 'null');
    }
    this.#keysFromServer.clear();
  }

  async #exported(st: RecordState): Promise<ExportedPasskey> {
    const r = st.record as PasskeySyncRecord;
    let privateKey = this.#keysFromServer.get(r.id);
    if (!privateKey) {
      // Stopped between the download and the import: read the record again for its key.
      const again = await this.#o.dav.get(recordPath(st.name));
      if (again.status !== 200) throw new SyncIntegrityError(recordPath(st.name));
      privateKey = openFile<RecordFile>(this.#o.keys, recordPath(st.name), again.bytes).value.privateKey;
      if (!privateKey) throw new SyncIntegrityError(recordPath(st.name));
    }
    const f = r.fixed!;
    return {
      credentialId: r.id, rpId: f.rpId, userHandle: f.userHandle, userName: r.user?.v.name ?? '', userDisplayName: r.user?.v.displayName ?? '',
      alg: f.alg, publicKey: f.publicKey, backupEligible: f.backupEligible, backupState: f.backupState,
      signCount: r.signCount, createdAt: f.createdAt, lastUsedAt: r.lastUsedAt, label: r.label?.v ?? null,
      hidden: r.hidden?.v ?? null, privateKey,
    };
  }

  /** This device's own edits: the vault now, against each record as last merged and applied. */
  async #captureLocal(): Promise<void> {
    const changed: RecordState[] = [];
    const seen = new Set<string>();
    const fresh = (name: string, record: SyncRecord): RecordState => ({
      name, record, tag: null, etag: null, dirty: true, pendingTag: null, bucketDirty: false, unapplied: false,
    });
    const listed = await this.#o.vault.list();
    this.#snapshot = new Map(listed.map((p) => [p.credentialId, JSON.stringify(p)]));
    for (const st of this.#records.values()) {
      if (st.record.kind === 'passkey' && !this.#snapshot.has(st.record.id)) this.#snapshot.set(st.record.id, 'null');
    }
    for (const p of listed) {
      const name = this.#name(p.credentialId);
      seen.add(name);
      const st = this.#records.get(name);
      if (!st) { changed.push(fresh(name, recordFromPasskey(p, this.#stamp()))); continue; }
      if (st.unapplied || st.record.kind !== 'passkey') continue;
      let next: PasskeySyncRecord;
      if (st.record.deleted) next = recordFromPasskey(p, this.#stamp(), st.record.inc + 1); // imported again
      else next = applyLocalEdits(st.record, p, this.#stamp);
      if (next !== st.record) changed.push({ ...st, record: next, dirty: true });
    }
    for (const st of this.#records.values()) {
      const r = st.record;
      if (r.kind === 'passkey' && !r.deleted && !st.unapplied && !seen.has(st.name)) {
        changed.push({ ...st, record: tombstone(r.id, r.inc, this.#stamp()), dirty: true });
      }
    }
    const sName = this.#settingsName();
    const sPrev = this.#records.get(sName);
    const sites = await this.#o.vault.handoverSites();
    if (!sPrev?.unapplied) {
      const base: SettingsSyncRecord = (sPrev?.record as SettingsSyncRecord | undefined) ?? { kind: 'settings', id: 'settings', sites: {} };
      const next = applyLocalSites(base, sites, this.#stamp);
      if (next !== base || (!sPrev && sites.length)) changed.push(sPrev ? { ...sPrev, record: next, dirty: true } : fresh(sName, next));
    }
    if (changed.length === 0) return;
    for (const st of changed) this.#records.set(st.name, st);
    await this.#o.store.write({ records: changed, meta: this.#meta });
  }

  // ---- push ------------------------------------------------------------------------------------

  async #push(): Promise<void> {
    const dirty = [...this.#records.values()].filter((r) => r.dirty);
    let done = 0;
    await pool(dirty, this.#o.concurrency ?? CONCURRENCY, async (st) => {
      await this.#pushRecord(st);
      this.#o.onProgress?.({ phase: 'upload', done: ++done, total: dirty.length });
    });
    const byBucket = new Map<string, RecordState[]>();
    for (const st of this.#records.values()) {
      if (st.bucketDirty) byBucket.set(bucketOf(st.name), [...(byBucket.get(bucketOf(st.name)) ?? []), st]);
    }
    await pool([...byBucket], this.#o.concurrency ?? CONCURRENCY, ([b, list]) => this.#pushBucket(b, list));
    if (Object.keys(this.#meta.rootFix).length > 0) await this.#pushRoot();
  }

  async #pushRecord(st: RecordState): Promise<void> {
    // Written before, but the server gave no ETag then (Apache's PUT answers none): read it first
    // (its tag says whose it is), rather than sending the whole file for a certain 412.
    if (st.etag === null && st.tag !== null && st.pendingTag === null) {
      const got = await this.#o.dav.get(recordPath(st.name));
      if (got.status === 200) {
        if (tagOf(got.bytes) === st.tag) {
          st.etag = got.etag;
          if (got.weak) await sleep(WEAK_ETAG_MS);
        } else {
          // Someone else's write since: the conflict path below merges it.
          st.pendingTag = null;
        }
      }
    }
    for (let tries = 0; ; tries++) {
      const r = st.record;
      const body: RecordFile = { v: 1, record: r };
      if (r.kind === 'passkey' && !r.deleted) body.privateKey = await this.#o.vault.privateKey(r.id);
      const sealed = sealFile(this.#o.keys, recordPath(st.name), body);
      // The planned tag is stored first: if this PUT lands but the worker stops before the answer is
      // stored, the 412 of the next try shows this very tag, and it is adopted (no second copy, nothing lost).
      st.pendingTag = sealed.tag;
      await this.#o.store.write({ records: [st] });
      if (this.#o.stopAfterPuts !== undefined && this.#puts >= this.#o.stopAfterPuts) throw new Error('stopped (test)');
      this.#puts++;
      const res = await this.#o.dav.put(recordPath(st.name), sealed.bytes, st.etag ? { ifMatch: st.etag } : { ifNoneMatch: '*' });
      if (res.status === 'ok') {
        Object.assign(st, { tag: sealed.tag, etag: res.etag, dirty: false, pendingTag: null, bucketDirty: true });
        this.#outcome.uploaded++;
        await this.#o.store.write({ records: [st], meta: this.#meta });
        return;
      }
      if (tries >= 5) throw new SyncConflictError();
      // Someone wrote it first (or this device did, before a stop): read it and merge.
      const got = await this.#o.dav.get(recordPath(st.name));
      if (got.status !== 200) { Object.assign(st, { etag: null }); continue; }
      if (got.weak) await sleep(WEAK_ETAG_MS);
      if (tagOf(got.bytes) === st.pendingTag) {
        openFile(this.#o.keys, recordPath(st.name), got.bytes); // authenticates it
        Object.assign(st, { tag: st.pendingTag, etag: got.etag, dirty: false, pendingTag: null, bucketDirty: true });
        this.#outcome.uploaded++;
        await this.#o.store.write({ records: [st] });
        return;
      }
      const opened = openFile<RecordFile>(this.#o.keys, recordPath(st.name), got.bytes);
      const remote = checkRecord(opened.value.record);
      if (remote.kind === 'passkey' && opened.value.privateKey) this.#keysFromServer.set(remote.id, opened.value.privateKey);
      this.#meta.clock = Math.max(this.#meta.clock, maxCounter(remote));
      const merged = mergeRecords(st.record, remote);
      Object.assign(st, {
        record: merged, tag: opened.tag, etag: got.etag, bucketDirty: true,
        unapplied: st.unapplied || !sameRecord(merged, st.record), dirty: !sameRecord(merged, remote),
      });
      await this.#o.store.write({ records: [st], meta: this.#meta });
      if (st.unapplied) await this.#applyToVault();
      if (!st.dirty) return;
    }
  }

  async #pushBucket(b: string, list: RecordState[]): Promise<void> {
    let base = this.#buckets.get(b) ?? { id: b, tag: null, etag: null, entries: {} };
    if (base.etag === null && base.tag !== null) {
      // As for records: known, but without an ETag. Read it; if it is still ours, its ETag is usable.
      const got = await this.#o.dav.get(bucketPath(b));
      if (got.status === 200 && tagOf(got.bytes) === base.tag) {
        base = { ...base, etag: got.etag };
        if (got.weak) await sleep(WEAK_ETAG_MS);
      }
    }
    for (let tries = 0; ; tries++) {
      const entries = { ...base.entries };
      for (const st of list) if (st.tag) entries[st.name] = st.tag;
      const sealed = sealFile(this.#o.keys, bucketPath(b), { v: 1, entries } satisfies BucketFile);
      const res = await this.#o.dav.put(bucketPath(b), sealed.bytes, base.etag ? { ifMatch: base.etag } : { ifNoneMatch: '*' });
      if (res.status === 'ok') {
        const bucket: BucketState = { id: b, tag: sealed.tag, etag: res.etag, entries };
        this.#buckets.set(b, bucket);
        for (const st of list) st.bucketDirty = false;
        this.#meta.rootFix[b] = sealed.tag;
        await this.#o.store.write({ records: list, buckets: [bucket], meta: this.#meta });
        return;
      }
      if (tries >= 5) throw new SyncConflictError();
      const got = await this.#o.dav.get(bucketPath(b));
      if (got.status !== 200) { base = { id: b, tag: null, etag: null, entries: {} }; continue; }
      if (got.weak) await sleep(WEAK_ETAG_MS);
      const { value, tag } = openFile<BucketFile>(this.#o.keys, bucketPath(b), got.bytes);
      base = { id: b, tag, etag: got.etag, entries: { ...value.entries } };
      // An entry another device wrote for one of these records: whose write is the file's now?
      for (const st of list) {
        const theirs = base.entries[st.name];
        if (theirs && theirs !== st.tag) {
          const r = await this.#pullRecord(st.name);
          if (r?.dirty) { await this.#o.store.write({ records: [r], meta: this.#meta }); throw new SyncConflictError(); }
        }
      }
    }
  }

  async #pushRoot(): Promise<void> {
    const buckets = { ...this.#meta.rootBuckets, ...this.#meta.rootFix };
    const gen = this.#meta.rootGen + 1;
    const sealed = sealFile(this.#o.keys, ROOT, { v: 1, gen, buckets } satisfies RootFile);
    const res = await this.#o.dav.put(ROOT, sealed.bytes, this.#meta.rootEtag ? { ifMatch: this.#meta.rootEtag } : { ifNoneMatch: '*' });
    if (res.status === 'conflict') throw new SyncConflictError(); // the next round reads the other root first
    this.#meta = { ...this.#meta, rootGen: gen, rootTag: sealed.tag, rootEtag: res.etag, rootBuckets: buckets, rootFix: {} };
    await this.#o.store.write({ meta: this.#meta });
  }
}

/** A weak ETag (webdav.ts GetResult) becomes strong once its file is a second old. */
const WEAK_ETAG_MS = 1100;

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function ignoreNotFound(e: unknown): void {
  if ((e as { name?: string } | null)?.name !== 'PasskeyNotFoundError') throw e;
}

/** Runs `fn` over `items`, at most `n` at a time; the first failure stops new starts and is thrown. */
async function pool<T>(items: readonly T[], n: number, fn: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown = null;
  const worker = async () => {
    while (failed === null && next < items.length) {
      const x = items[next++]!;
      try { await fn(x); } catch (e) { failed ??= e; }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  if (failed !== null) throw failed;
}
