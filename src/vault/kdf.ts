// PIN -> KEK. The only module that imports hash-wasm (the extension's CSP allows wasm-unsafe-eval).
// A PIN is short, so the work factor is what protects the vault when its IndexedDB files are copied:
// Argon2id (RFC 9106) is memory-hard, so guessing on GPUs costs memory as well as time.
import { argon2id } from 'hash-wasm';
import { VaultInputError } from './errors.js';
import { toArrayBufferView } from './aead.js';

export interface KdfParams {
  algorithm: 'argon2id';
  /** Memory in KiB (Argon2 `m`). Default 64 MiB: the main cost for an attacker. */
  memoryKiB: number;
  /** Passes over memory (Argon2 `t`). Default 3. */
  iterations: number;
  /** Lanes (Argon2 `p`). Default 1: wasm here runs on one thread, more lanes would only cost us. */
  parallelism: number;
  /** Random, 16 bytes, new for every wrap (initialize and each PIN change). */
  salt: Uint8Array;
}

/**
 * RFC 9106 section 4 "second recommended option" is m=64 MiB, t=3, p=4; p=1 because hash-wasm has
 * no threads. Stored next to the wrapped vault key, so later releases can raise it without
 * breaking existing vaults.
 */
export const DEFAULT_KDF: Omit<KdfParams, 'salt'> = Object.freeze({
  algorithm: 'argon2id',
  memoryKiB: 64 * 1024,
  iterations: 3,
  parallelism: 1,
});

export const SALT_BYTES = 16;
const KEK_BYTES = 32;

/** Throws VaultInputError unless the parameters are ones Argon2id accepts and we are willing to run. */
export function checkKdfParams(p: Omit<KdfParams, 'salt'> & { salt?: Uint8Array }, field = 'kdf'): void {
  if (p === null || typeof p !== 'object') throw new VaultInputError(`"${field}" must be an object`);
  if (p.algorithm !== 'argon2id') throw new VaultInputError(`"${field}.algorithm" must be 'argon2id', got ${String(p.algorithm)}`);
  const int = (v: unknown, name: string, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      throw new VaultInputError(`"${field}.${name}" must be an integer from ${min} to ${max}, got ${String(v)}`);
    }
  };
  int(p.parallelism, 'parallelism', 1, 16);
  // Argon2 needs at least 8 KiB per lane; 4 GiB is far above anything a browser will give a worker.
  int(p.memoryKiB, 'memoryKiB', 8 * p.parallelism, 4 * 1024 * 1024);
  int(p.iterations, 'iterations', 1, 64);
  if (p.salt !== undefined && (!(p.salt instanceof Uint8Array) || p.salt.length < 8)) {
    throw new VaultInputError(`"${field}.salt" must be a Uint8Array of at least 8 bytes`);
  }
}

/** Argon2id(PIN) -> 32 bytes -> non-extractable AES-256-GCM key used only to wrap the vault key. */
export async function deriveKek(pin: string, params: KdfParams): Promise<CryptoKey> {
  if (typeof pin !== 'string') throw new VaultInputError('"pin" must be a string');
  checkKdfParams(params, 'params');
  if (params.salt.length !== SALT_BYTES) {
    throw new VaultInputError(`"params.salt" expected Uint8Array of length ${SALT_BYTES}, got length=${params.salt.length}`);
  }
  // NFC so the same PIN typed through different keyboards / IMEs gives the same bytes.
  const password = new TextEncoder().encode(pin.normalize('NFC'));
  let raw: Uint8Array | undefined;
  try {
    raw = await argon2id({
      password,
      salt: params.salt,
      parallelism: params.parallelism,
      iterations: params.iterations,
      memorySize: params.memoryKiB,
      hashLength: KEK_BYTES,
      outputType: 'binary',
    });
    return await crypto.subtle.importKey('raw', toArrayBufferView(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
  } finally {
    // Temporary secrets are zeroed (the JS string itself cannot be).
    password.fill(0);
    raw?.fill(0);
  }
}
