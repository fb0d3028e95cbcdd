// The sync's cryptography (docs/SYNC.md "Keys"): keys from the root key by HKDF-SHA256, file names
// by HMAC, files sealed with XChaCha20-Poly1305 (@noble/ciphers, random 192-bit nonces) over padded
// plaintexts, with the file's path and revision tag as associated data.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

export const ROOT_KEY_BYTES = 32;
export const TAG_BYTES = 8;
const NONCE_BYTES = 24;
const MAGIC = new Uint8Array([0x4c, 0x4b, 0x53, 0x31]); // "LKS1"
const HEADER_BYTES = MAGIC.length + TAG_BYTES + NONCE_BYTES;
/** The smallest padded plaintext: every record (tombstone, renamed, new) fits, so all look alike. */
export const MIN_PADDED_BYTES = 2048;

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/** A file failed its integrity check: truncated, altered, sealed under another key, or moved. */
export class SyncIntegrityError extends Error {
  override name = 'SyncIntegrityError';
  constructor(readonly path: string, options?: { cause?: unknown }) {
    super(`The file "${path}" on the sync server failed its integrity check and was refused ` +
      '(it may have been damaged, cut short, or changed by someone else). Your passkeys on this device are unchanged.', options);
  }
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

/** The keys of one sync account, all from the root key (never stored apart from it). */
export interface SyncKeys {
  /** Names records: reveals no site, user or count of edits. */
  nameKey: Uint8Array;
  /** The input of each file's own key. */
  fileKey: Uint8Array;
}

export function deriveSyncKeys(rootKey: Uint8Array): SyncKeys {
  if (!(rootKey instanceof Uint8Array) || rootKey.length !== ROOT_KEY_BYTES) throw new TypeError(`"rootKey" expected Uint8Array of length ${ROOT_KEY_BYTES}`);
  return {
    nameKey: hkdf(sha256, rootKey, undefined, enc.encode('latchkey sync v1 names'), 32),
    fileKey: hkdf(sha256, rootKey, undefined, enc.encode('latchkey sync v1 file'), 32),
  };
}

/** 32 hex characters (128 bits of HMAC): the same for a record on every device, and nothing else. */
export function recordName(keys: SyncKeys, kind: 'passkey' | 'setting', id: string): string {
  return toHex(hmac(sha256, keys.nameKey, enc.encode(`${kind}\0${id}`)).subarray(0, 16));
}

function keyForPath(keys: SyncKeys, path: string): Uint8Array {
  return hkdf(sha256, keys.fileKey, undefined, enc.encode(`path\0${path}`), 32);
}

function aad(path: string, tag: Uint8Array): Uint8Array {
  return enc.encode(`latchkey sync v1|${path}|${toHex(tag)}`);
}

/** Length-prefixed, zero-padded to a power of two of at least MIN_PADDED_BYTES. */
export function pad(plain: Uint8Array, min = MIN_PADDED_BYTES): Uint8Array {
  let size = min;
  while (size < plain.length + 4) size *= 2;
  const out = new Uint8Array(size);
  new DataView(out.buffer).setUint32(0, plain.length);
  out.set(plain, 4);
  return out;
}

export function unpad(padded: Uint8Array): Uint8Array {
  if (padded.length < 4) throw new RangeError('padded plaintext too short');
  const n = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  if (n > padded.length - 4) throw new RangeError('padded length out of range');
  for (let i = 4 + n; i < padded.length; i++) if (padded[i] !== 0) throw new RangeError('padding not zero');
  return padded.subarray(4, 4 + n);
}

/** Seals a JSON value as the file at `path`, under a new random tag (its revision). */
export function sealFile(keys: SyncKeys, path: string, value: unknown, o: { tag?: Uint8Array; min?: number } = {}): { bytes: Uint8Array; tag: string } {
  const tag = o.tag ?? randomBytes(TAG_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const ct = xchacha20poly1305(keyForPath(keys, path), nonce, aad(path, tag)).encrypt(pad(enc.encode(JSON.stringify(value)), o.min));
  const bytes = new Uint8Array(HEADER_BYTES + ct.length);
  bytes.set(MAGIC, 0);
  bytes.set(tag, MAGIC.length);
  bytes.set(nonce, MAGIC.length + TAG_BYTES);
  bytes.set(ct, HEADER_BYTES);
  return { bytes, tag: toHex(tag) };
}

/** The tag in a file's header, read without decrypting (it is authenticated by openFile). */
export function tagOf(bytes: Uint8Array): string | null {
  if (bytes.length < HEADER_BYTES || !MAGIC.every((b, i) => bytes[i] === b)) return null;
  return toHex(bytes.subarray(MAGIC.length, MAGIC.length + TAG_BYTES));
}

/** @throws SyncIntegrityError for anything but a file sealed by sealFile for this path under these keys. */
export function openFile<T = unknown>(keys: SyncKeys, path: string, bytes: Uint8Array): { value: T; tag: string } {
  try {
    if (bytes.length < HEADER_BYTES + 16 || !MAGIC.every((b, i) => bytes[i] === b)) throw new RangeError('not a Latchkey sync file');
    const tag = bytes.subarray(MAGIC.length, MAGIC.length + TAG_BYTES);
    const nonce = bytes.subarray(MAGIC.length + TAG_BYTES, HEADER_BYTES);
    const plain = xchacha20poly1305(keyForPath(keys, path), nonce, aad(path, tag)).decrypt(bytes.subarray(HEADER_BYTES));
    return { value: JSON.parse(dec.decode(unpad(plain))) as T, tag: toHex(tag) };
  } catch (cause) {
    throw new SyncIntegrityError(path, { cause });
  }
}

// ---- The pairing file ("key"): the root key wrapped under the pairing secret --------------------

export interface PairingFile { v: 1; salt: string; nonce: string; ct: string }

const PAIRING_INFO = enc.encode('latchkey sync pairing v1');
const PAIRING_AAD = enc.encode('latchkey sync v1|key');

/** Wrong words for this server: the key file does not open under them. */
export class WrongPairingSecretError extends Error {
  override name = 'WrongPairingSecretError';
  constructor(options?: { cause?: unknown }) {
    super('These pairing words do not unlock the sync data on this server. Check them on your first device ' +
      '(Manage Latchkey > Sync > Pairing words), and that the server address is the same.', options);
  }
}

export function wrapRootKey(rootKey: Uint8Array, pairingSecret: Uint8Array): PairingFile {
  const salt = randomBytes(32);
  const nonce = randomBytes(NONCE_BYTES);
  const kw = hkdf(sha256, pairingSecret, salt, PAIRING_INFO, 32);
  const ct = xchacha20poly1305(kw, nonce, PAIRING_AAD).encrypt(rootKey);
  return { v: 1, salt: toHex(salt), nonce: toHex(nonce), ct: toHex(ct) };
}

export function unwrapRootKey(file: unknown, pairingSecret: Uint8Array): Uint8Array {
  const f = file as Partial<PairingFile> | null;
  if (f?.v !== 1 || typeof f.salt !== 'string' || typeof f.nonce !== 'string' || typeof f.ct !== 'string') {
    throw new SyncIntegrityError('key');
  }
  try {
    const kw = hkdf(sha256, pairingSecret, fromHex(f.salt), PAIRING_INFO, 32);
    const root = xchacha20poly1305(kw, fromHex(f.nonce), PAIRING_AAD).decrypt(fromHex(f.ct));
    if (root.length !== ROOT_KEY_BYTES) throw new RangeError('root key length');
    return root;
  } catch (cause) {
    throw new WrongPairingSecretError({ cause });
  }
}

export function fromHex(s: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(s)) throw new RangeError('not hex');
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

// ---- Local secrets: sealed under a key derived from the vault key -------------------------------

export function sealLocal(vaultKey: Uint8Array, value: unknown): { nonce: string; ct: string } {
  const nonce = randomBytes(NONCE_BYTES);
  const k = hkdf(sha256, vaultKey, undefined, enc.encode('latchkey sync v1 local secrets'), 32);
  return { nonce: toHex(nonce), ct: toHex(xchacha20poly1305(k, nonce, enc.encode('latchkey sync config')).encrypt(enc.encode(JSON.stringify(value)))) };
}

export function openLocal<T>(vaultKey: Uint8Array, sealed: { nonce: string; ct: string }): T {
  const k = hkdf(sha256, vaultKey, undefined, enc.encode('latchkey sync v1 local secrets'), 32);
  return JSON.parse(dec.decode(xchacha20poly1305(k, fromHex(sealed.nonce), enc.encode('latchkey sync config')).decrypt(fromHex(sealed.ct)))) as T;
}
