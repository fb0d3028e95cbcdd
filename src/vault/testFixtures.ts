// Shared by the vault tests only (not bundled): cheap KDF settings, unique DB names, sample passkeys.
import { toBase64url } from '../core/base64url.js';
import { generateEd25519KeyPair } from '../core/ed25519.js';
import { generateES256KeyPair } from '../core/es256.js';
import type { KdfParams } from './kdf.js';
import { openVaultDb } from './db.js';
import type { ExportedPasskey, NewPasskey } from './schema.js';
import { Vault } from './vault.js';

/** 1 MiB, one pass: fast enough for many tests; one test uses the real DEFAULT_KDF. */
export const CHEAP_KDF: Omit<KdfParams, 'salt'> = { algorithm: 'argon2id', memoryKiB: 1024, iterations: 1, parallelism: 1 };

let n = 0;
/** Every test gets its own database, so tests never see each other's data. */
export function uniqueDbName(label: string): string {
  return `latchkey-test-${label}-${process.pid}-${++n}`;
}

export function randomId(bytes = 16): string {
  return toBase64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** An ES256 passkey, or an EdDSA (Ed25519) one when `over.alg` is -8. */
export function samplePasskey(over: Partial<NewPasskey> = {}): { passkey: NewPasskey; privateKey: Uint8Array } {
  const { privateKey, publicKey } = over.alg === -8 ? generateEd25519KeyPair() : generateES256KeyPair();
  return {
    privateKey,
    passkey: {
      credentialId: randomId(),
      rpId: 'example.com',
      userHandle: randomId(32),
      userName: 'ada@example.com',
      userDisplayName: 'Ada Lovelace',
      alg: -7,
      publicKey: toBase64url(publicKey),
      backupEligible: false,
      backupState: false,
      createdAt: 1_700_000_000_000,
      ...over,
    },
  };
}

/**
 * Makes the nth `method` call on any object store fail as a full disk does in a browser: the
 * request itself succeeds, then the whole transaction aborts with `errorName` as its error (a
 * browser may report quota only at commit). fake-indexeddb has no quota, so the error is set on
 * the transaction by hand before aborting it. A write that asks for an early commit() (addPasskey)
 * gets a commit() that does nothing on that transaction: a browser still aborts a committing
 * transaction when the disk is full, but a script may not, so the abort is ours to simulate only while
 * the transaction is not yet committing. Returns the function that removes the patch.
 */
export function failWrite(method: 'add' | 'put' | 'delete' | 'clear', errorName = 'QuotaExceededError', nth = 1): () => void {
  const proto = IDBObjectStore.prototype as unknown as Record<string, (...a: unknown[]) => IDBRequest>;
  const original = proto[method]!;
  let calls = 0;
  proto[method] = function (this: IDBObjectStore, ...args: unknown[]) {
    const req = original.apply(this, args);
    if (++calls === nth) {
      const tx = this.transaction;
      Object.defineProperty(tx, 'commit', { value: () => {}, configurable: true });
      req.addEventListener('success', () => {
        Object.defineProperty(tx, 'error', { value: new DOMException('Injected failure', errorName), configurable: true });
        tx.abort();
      });
    }
    return req;
  };
  return () => { proto[method] = original; };
}

/** A fixed clock time for tests that pass `now` (ms since epoch). */
export const T0 = 1_700_000_000_000;

/** A vault with the cheap KDF in its own database. */
export async function openCheap(label: string, dbName = uniqueDbName(label)) {
  return { vault: await Vault.open({ dbName, kdf: CHEAP_KDF }), dbName };
}

/** A vault with a PIN and `n` passkeys; returns the raw rows too, to compare "unchanged" byte for byte. */
export async function vaultWith(label: string, n: number) {
  const { vault, dbName } = await openCheap(label);
  const key = await vault.initialize('1234');
  const samples = Array.from({ length: n }, (_, i) => samplePasskey({ createdAt: T0 + i, userName: `user${i}` }));
  for (const { passkey, privateKey } of samples) await vault.addPasskey(key, passkey, privateKey);
  return { vault, dbName, key, samples };
}

/** Every stored passkey row, wrapped key included, by credential id. */
export async function rawRows(dbName: string) {
  const db = await openVaultDb({ name: dbName });
  const rows = (await db.getAll('passkeys')).sort((a, b) => (a.credentialId < b.credentialId ? -1 : 1));
  db.close();
  return rows;
}

/** An importable passkey made from scratch (as a backup or Bitwarden would hand it over). */
export function exported(over: Partial<ExportedPasskey> = {}): ExportedPasskey {
  const { passkey, privateKey } = samplePasskey(over.alg === undefined ? {} : { alg: over.alg });
  return { ...passkey, signCount: 7, lastUsedAt: T0 + 99, label: 'From backup', privateKey: toBase64url(privateKey), ...over };
}

/** A vault with a PIN and one passkey per `over` (its fields); returns their credential ids in order. */
export async function signalVault(label: string, ...over: Parameters<typeof samplePasskey>[0][]) {
  const { vault } = await openCheap(label);
  const key = await vault.initialize('1234');
  const ids: string[] = [];
  for (const o of over) {
    const { passkey, privateKey } = samplePasskey(o);
    await vault.addPasskey(key, passkey, privateKey);
    ids.push(passkey.credentialId);
  }
  return { vault, key, ids };
}

let lives = 0;
/**
 * A monotonic clock the test moves (lockout.ts): `at(t)` sets it to t and returns t, so a test that
 * passes wall time `t` to unlock moves both clocks together. Each call is a new worker life.
 */
export function testClock(start = 0): { life: string; now(): number; at(t: number): number } {
  let t = start;
  return { life: `test-life-${++lives}`, now: () => t, at: (next: number) => (t = next) };
}
