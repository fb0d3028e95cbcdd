// A file sealed under a passphrase: how Latchkey encrypts a CXF export by default.
//
//   passphrase --Argon2id(16-byte salt; 64 MiB, t=3, p=1 by default)--> 256-bit key
//   --AES-256-GCM(12-byte IV, AAD "latchkey:sealed:v1:<content>")--> the CXF JSON's UTF-8 bytes
//
// Why this construction and not the Credential Exchange Protocol's: CXP (the FIDO Alliance's
// transport for CXF) encrypts to a public key the *importing* provider presents during a live
// exchange (HPKE, RFC 9180), so it needs both apps present at once on one device; there is no
// recipient key when a person saves a file to carry elsewhere. A passphrase is what a person can
// carry. Argon2id + AES-256-GCM is the construction Latchkey's own backup already uses (PIN and
// backup: src/vault/kdf.ts, backup.ts), so one audited path, one KDF cost, and the same limits on
// what a hostile file may ask of Argon2. The content type is bound into the AAD, so a sealed
// file cannot be passed off as another kind.
import { deriveKek, DEFAULT_KDF, type KdfParams } from '../vault/vault.js';
import { ExchangeFileError } from './types.js';
import { fromBase64url, toBase64url } from './keys.js';

export const SEALED_FORMAT = 'latchkey-sealed';
const VERSION = 1;
const utf8 = new TextEncoder();
const aadFor = (content: string) => utf8.encode(`latchkey:sealed:v1:${content}`);
export const MIN_PASSPHRASE_CHARS = 8;

/** What a file may ask of Argon2 (the same bounds as a Latchkey backup's): 1 GiB, 10 passes, 2 GiB of passes in all. */
const LIMITS = { maxMemoryKiB: 1024 * 1024, maxIterations: 10, maxParallelism: 16, maxWorkKiB: 2 * 1024 * 1024 };

export function checkPassphrasePolicy(passphrase: unknown): asserts passphrase is string {
  if (typeof passphrase !== 'string' || [...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_CHARS) {
    throw new ExchangeFileError('policy', `The passphrase must be at least ${MIN_PASSPHRASE_CHARS} characters long.`);
  }
}

/** The JSON text of a sealed file holding `plaintext` (its kind named by `content`, e.g. "cxf"). */
export async function sealText(content: string, plaintext: string, passphrase: string, o: { kdf?: Omit<KdfParams, 'salt'> } = {}): Promise<string> {
  checkPassphrasePolicy(passphrase);
  const kdf = o.kdf ?? DEFAULT_KDF;
  const params: KdfParams = { ...kdf, salt: crypto.getRandomValues(new Uint8Array(16)) };
  const key = await deriveKek(passphrase, params);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const bytes = utf8.encode(plaintext);
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aadFor(content) }, key, bytes));
  bytes.fill(0);
  return `${JSON.stringify({
    format: SEALED_FORMAT, version: VERSION, content,
    about: 'Encrypted by Latchkey: Argon2id of the passphrase, then AES-256-GCM. Open it with Latchkey (Import, same kind of file, the passphrase).',
    kdf: { algorithm: 'argon2id', memoryKiB: params.memoryKiB, iterations: params.iterations, parallelism: params.parallelism, salt: toBase64url(params.salt) },
    iv: toBase64url(iv), ciphertext: toBase64url(ciphertext),
  }, null, 2)}\n`;
}

/** True when the parsed JSON is a sealed file (of any content). */
export function isSealed(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && (raw as { format?: unknown }).format === SEALED_FORMAT;
}

/**
 * The plaintext of a sealed file whose content is `content`.
 * @throws ExchangeFileError: 'passphrase' (wrong passphrase or altered bytes: GCM cannot tell them
 *   apart), 'damaged', 'wrong-format' (sealed, but another content).
 */
export async function openSealed(raw: unknown, content: string, passphrase: string): Promise<string> {
  const f = raw as Record<string, unknown>;
  const damaged = () => new ExchangeFileError('damaged', 'This encrypted file is damaged or incomplete and cannot be read.');
  if (f.version !== VERSION) throw damaged();
  if (f.content !== content) throw new ExchangeFileError('wrong-format', `This encrypted file holds "${String(f.content)}", not ${content.toUpperCase()}.`);
  const k = f.kdf as Record<string, unknown> | null;
  if (!k || typeof k !== 'object' || k.algorithm !== 'argon2id') throw damaged();
  const n = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 1 ? v : NaN);
  const memoryKiB = n(k.memoryKiB), iterations = n(k.iterations), parallelism = n(k.parallelism);
  if (![memoryKiB, iterations, parallelism].every(Number.isFinite) || memoryKiB < 8 * parallelism) throw damaged();
  // Bounded before Argon2 runs: the file may come from anyone (same limits as a Latchkey backup).
  if (memoryKiB > LIMITS.maxMemoryKiB || iterations > LIMITS.maxIterations || parallelism > LIMITS.maxParallelism || memoryKiB * iterations > LIMITS.maxWorkKiB) {
    throw new ExchangeFileError('damaged', 'This file asks for far more memory or time to open than Latchkey ever uses, so it was not opened.');
  }
  let salt: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array;
  try {
    salt = fromBase64url(k.salt as string); iv = fromBase64url(f.iv as string); ciphertext = fromBase64url(f.ciphertext as string);
  } catch { throw damaged(); }
  if (salt.length !== 16 || iv.length !== 12 || ciphertext.length < 16) throw damaged();
  if (typeof passphrase !== 'string' || passphrase === '') throw new ExchangeFileError('passphrase', 'This file is encrypted: enter its passphrase.');
  const key = await deriveKek(passphrase, { algorithm: 'argon2id', memoryKiB, iterations, parallelism, salt });
  let plain: Uint8Array;
  try {
    plain = new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: aadFor(content) }, key, ciphertext as Uint8Array<ArrayBuffer>));
  } catch {
    throw new ExchangeFileError('passphrase', 'The passphrase is wrong, or the file was changed. Nothing was imported.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch { throw damaged(); } finally { plain.fill(0); }
}
