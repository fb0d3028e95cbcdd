// Shared by the vault tests only (not bundled): cheap KDF settings, unique DB names, sample passkeys.
import { toBase64url } from '../core/base64url.js';
import { generateEd25519KeyPair } from '../core/ed25519.js';
import { generateES256KeyPair } from '../core/es256.js';
import type { KdfParams } from './kdf.js';
import type { NewPasskey } from './schema.js';

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
