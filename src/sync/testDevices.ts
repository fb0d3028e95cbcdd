// Test helpers for the engine: an in-memory WebDAV server with real ETag semantics (If-Match,
// If-None-Match, 412), and an in-memory vault with the Vault's rules for what sync may change.
// The end-to-end suites use a real Apache httpd and the real Vault instead (e2e/sync*.e2e.test.ts).
import type { ExportedPasskey, PasskeySummary } from '../vault/vault';
import type { SyncDav, SyncVault } from './engine';
import type { GetResult, PutResult } from './webdav';

export class MemoryDav implements SyncDav {
  /** Answer PUTs without an ETag, as Apache's mod_dav does. */
  constructor(readonly o: { etagOnPut?: boolean } = {}) {}
  files = new Map<string, { bytes: Uint8Array; etag: string }>();
  log: { method: string; path: string; bytes: number; status?: number }[] = [];
  #n = 0;
  async get(path: string, ifNoneMatch?: string | null): Promise<GetResult> {
    const f = this.files.get(path);
    this.log.push({ method: 'GET', path, bytes: f?.bytes.length ?? 0 });
    if (!f) return { status: 404 };
    if (ifNoneMatch && ifNoneMatch === f.etag) return { status: 304 };
    return { status: 200, bytes: f.bytes.slice(), etag: f.etag };
  }
  async put(path: string, body: Uint8Array, cond: { ifMatch: string } | { ifNoneMatch: '*' }): Promise<PutResult> {
    this.log.push({ method: 'PUT', path, bytes: body.length });
    const f = this.files.get(path);
    if ('ifMatch' in cond ? f?.etag !== cond.ifMatch : f !== undefined) { this.log.at(-1)!.status = 412; return { status: 'conflict' }; }
    const etag = `"${++this.#n}"`;
    this.files.set(path, { bytes: body.slice(), etag });
    return { status: 'ok', etag: this.o.etagOnPut === false ? null : etag };
  }
  records(): string[] { return [...this.files.keys()].filter((k) => k.startsWith('r/')); }
}

export function passkey(i: number, o: Partial<PasskeySummary> = {}): ExportedPasskey {
  return {
    credentialId: `cred-${i}`, rpId: 'example.com', userHandle: `u${i}`, userName: `user${i}@example.com`, userDisplayName: `User ${i}`,
    alg: -7, publicKey: `pk-${i}`, backupEligible: false, backupState: false, signCount: 0, createdAt: 1000 + i,
    lastUsedAt: null, label: null, hidden: null, privateKey: `sk-${i}`, ...o,
  };
}

export class MemoryVault implements SyncVault {
  items = new Map<string, ExportedPasskey>();
  sites: string[] = [];
  constructor(list: ExportedPasskey[] = []) { for (const p of list) this.items.set(p.credentialId, { ...p }); }
  async list(): Promise<PasskeySummary[]> {
    return [...this.items.values()].map(({ privateKey: _k, ...s }) => ({ ...s, hidden: s.hidden ?? null }));
  }
  async privateKey(id: string): Promise<string> { return this.#get(id).privateKey; }
  async importPasskeys(items: ExportedPasskey[]): Promise<void> {
    for (const p of items) if (!this.items.has(p.credentialId)) this.items.set(p.credentialId, { ...p });
  }
  async rename(id: string, label: string | null): Promise<void> { this.#get(id).label = label; }
  async delete(id: string): Promise<void> {
    if (!this.items.delete(id)) throw Object.assign(new Error('not found'), { name: 'PasskeyNotFoundError' });
  }
  async recordLastUsed(uses: { credentialId: string; at: number }[]): Promise<void> {
    for (const u of uses) { const p = this.items.get(u.credentialId); if (p) p.lastUsedAt = Math.max(p.lastUsedAt ?? -Infinity, u.at); }
  }
  async updateUserDetails(rpId: string, userHandle: string, name: string, displayName: string): Promise<void> {
    for (const p of this.items.values()) if (p.rpId === rpId && p.userHandle === userHandle) Object.assign(p, { userName: name, userDisplayName: displayName });
  }
  async hide(_rpId: string, id: string, at: number): Promise<void> { this.#get(id).hidden = { at, by: 'unknown' }; }
  async unhide(id: string): Promise<void> { this.#get(id).hidden = null; }
  async markUsed(id: string, at: number): Promise<void> {
    const p = this.#get(id);
    p.lastUsedAt = Math.max(p.lastUsedAt ?? -Infinity, at);
    if (p.signCount > 0) p.signCount++;
  }
  async handoverSites(): Promise<string[]> { return [...this.sites]; }
  async setHandoverSites(sites: string[]): Promise<void> { this.sites = [...sites]; }
  #get(id: string): ExportedPasskey {
    const p = this.items.get(id);
    if (!p) throw Object.assign(new Error('not found'), { name: 'PasskeyNotFoundError' });
    return p;
  }
}
