// AES-256-GCM through WebCrypto, the one place the vault touches crypto.subtle.
// Every seal uses a fresh random 96-bit IV (NIST SP 800-38D section 8.2.2): with one key per vault
// and far fewer than 2^32 seals, a repeated IV is not a practical risk.
import { VaultKeyError, VaultInputError } from './errors.js';

export const IV_BYTES = 12;
export const VAULT_KEY_BYTES = 32;

export interface Sealed { iv: Uint8Array; ciphertext: Uint8Array }

/**
 * WebCrypto's BufferSource is `ArrayBufferView<ArrayBuffer>` since TS 5.7, while a plain
 * `Uint8Array` may sit on a SharedArrayBuffer; copy only in that case.
 */
export function toArrayBufferView(u8: Uint8Array): Uint8Array<ArrayBuffer> {
  return u8.buffer instanceof ArrayBuffer ? (u8 as Uint8Array<ArrayBuffer>) : new Uint8Array(u8);
}

export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(n));
}

/** Raw 32-byte vault key -> non-extractable AES-GCM key. */
export async function importVaultKey(raw: Uint8Array, field = 'vaultKey'): Promise<CryptoKey> {
  if (!(raw instanceof Uint8Array) || raw.length !== VAULT_KEY_BYTES) {
    const got = raw instanceof Uint8Array ? `length=${raw.length}` : typeof raw;
    throw new VaultInputError(`"${field}" expected Uint8Array of length ${VAULT_KEY_BYTES}, got ${got}`);
  }
  return crypto.subtle.importKey('raw', toArrayBufferView(raw), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function seal(key: CryptoKey, plaintext: Uint8Array, aad: Uint8Array): Promise<Sealed> {
  const iv = randomBytes(IV_BYTES);
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: toArrayBufferView(aad), tagLength: 128 },
    key, toArrayBufferView(plaintext));
  return { iv, ciphertext: new Uint8Array(ct) };
}

/** Throws VaultKeyError when the tag does not verify: wrong key, altered bytes or different AAD. */
export async function unseal(key: CryptoKey, sealed: Sealed, aad: Uint8Array, what: string): Promise<Uint8Array> {
  if (!(sealed?.iv instanceof Uint8Array) || sealed.iv.length !== IV_BYTES || !(sealed.ciphertext instanceof Uint8Array)) {
    throw new VaultKeyError(`The stored ${what} is damaged and cannot be read.`);
  }
  try {
    const pt = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: toArrayBufferView(sealed.iv), additionalData: toArrayBufferView(aad), tagLength: 128 },
      key, toArrayBufferView(sealed.ciphertext));
    return new Uint8Array(pt);
  } catch (cause) {
    throw new VaultKeyError(`The ${what} could not be decrypted: the key is wrong or the stored data was changed.`, { cause });
  }
}

const utf8 = new TextEncoder();

/** AAD of the wrapped vault key; the version tag lets a later format refuse to read this one by mistake. */
export const VAULT_KEY_AAD = utf8.encode('latchkey:vault-key:v1');

/**
 * AAD of the key-check value: an empty plaintext sealed under the vault key, so addPasskey can
 * refuse a stale or foreign vault key instead of saving a passkey nobody can ever decrypt.
 */
export const KEY_CHECK_AAD = utf8.encode('latchkey:key-check:v1');

/**
 * AAD of a passkey's private key: binds it to its record, so copying `wrappedPrivateKey` from one
 * passkey into another (same vault key) fails to decrypt instead of signing as the wrong account.
 * NUL separators cannot occur in either part (base64url id, domain RP ID), so the encoding is unambiguous.
 */
export function passkeyAad(credentialId: string, rpId: string): Uint8Array {
  return utf8.encode(`latchkey:passkey:v1\0${credentialId}\0${rpId}`);
}
