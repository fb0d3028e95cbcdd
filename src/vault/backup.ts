// Encrypted backup files: the passkeys, private keys included, sealed under a passphrase the person
// chooses, so a backup can be restored into any Latchkey (another PIN, another browser).
//
//   passphrase --Argon2id(salt, params in the file)--> key --AES-256-GCM, AAD "latchkey:backup:v1"-->
//   ciphertext of the UTF-8 JSON { "passkeys": [ExportedPasskey...] }
//
// The file is JSON with everything needed to decrypt it except the passphrase. Its KDF parameters
// are read from the file, which may come from anyone, so they are bounded before Argon2 runs.
// Wrong passphrase and altered bytes are indistinguishable under GCM and share one error.
import { fromBase64url, toBase64url } from '../core/base64url.js';
import { IV_BYTES, randomBytes, seal, unseal } from './aead.js';
import { checkExportedPasskey } from './checkExportedPasskey.js';
import {
  BackupFormatError, BackupPassphraseError, BackupPassphrasePolicyError, BackupVersionError, VaultError,
  VaultInputError, VaultKeyError,
} from './errors.js';
import { DEFAULT_KDF, SALT_BYTES, checkKdfParams, deriveKek, type KdfParams } from './kdf.js';
import type { ExportedPasskey } from './schema.js';

export const BACKUP_FORMAT = 'latchkey-backup';
export const BACKUP_VERSION = 1;
export const MIN_BACKUP_PASSPHRASE_CHARS = 8;

const utf8 = new TextEncoder();
/** Versioned like the vault's AADs, so a later format cannot be decrypted as this one by mistake. */
const BACKUP_AAD = utf8.encode('latchkey:backup:v1');
const GCM_TAG_BYTES = 16;

/**
 * What a backup file may ask of Argon2. The DEFAULT_KDF (64 MiB, 3 passes) is far inside. A hostile
 * file must not be able to freeze the background or exhaust memory: 1 GiB at most, at most 10
 * passes, and at most 2 GiB of memory passes in total (memoryKiB x iterations), which bounds the time.
 */
export const BACKUP_KDF_LIMITS = Object.freeze({
  maxMemoryKiB: 1024 * 1024,
  maxIterations: 10,
  maxParallelism: 16,
  maxWorkKiB: 2 * 1024 * 1024,
});

export interface EncryptBackupOpts {
  /** Argon2id cost; default DEFAULT_KDF. Must be within BACKUP_KDF_LIMITS, or the file could not be read back. */
  kdf?: Omit<KdfParams, 'salt'>;
  /** Clock for "createdAt" (ms since epoch); default Date.now(). */
  now?: number;
}

interface BackupFile {
  format: typeof BACKUP_FORMAT;
  version: number;
  createdAt: string;
  kdf: { algorithm: 'argon2id'; memoryKiB: number; iterations: number; parallelism: number; salt: string };
  iv: string;
  ciphertext: string;
}

/** At least 8 characters (Unicode code points after NFC, what deriveKek hashes). */
export function checkBackupPassphrase(passphrase: unknown): asserts passphrase is string {
  if (typeof passphrase !== 'string') throw new BackupPassphrasePolicyError('The passphrase must be text.');
  const chars = [...passphrase.normalize('NFC')].length;
  if (chars < MIN_BACKUP_PASSPHRASE_CHARS) {
    throw new BackupPassphrasePolicyError(
      `The backup passphrase must be at least ${MIN_BACKUP_PASSPHRASE_CHARS} characters long (it has ${chars}).`);
  }
}

/** The JSON text of a backup file holding `items`. */
export async function encryptBackup(items: ExportedPasskey[], passphrase: string, o: EncryptBackupOpts = {}): Promise<string> {
  checkBackupPassphrase(passphrase);
  const { kdf = DEFAULT_KDF, now = Date.now() } = o;
  checkKdfParams(kdf);
  if (kdfLimitExceeded(kdf)) throw new VaultInputError('"kdf" is above BACKUP_KDF_LIMITS: the backup could not be read back');
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new VaultInputError('"now" must be a finite number');
  if (!Array.isArray(items)) throw new VaultInputError('"items" must be an array');
  // Checked as importPasskeys will check them, so no backup is written that cannot be restored.
  const passkeys = items.map((item, i) => {
    try {
      const { passkey, privateKey } = checkExportedPasskey(item);
      privateKey.fill(0);
      return passkey;
    } catch (e) {
      if (e instanceof VaultInputError) throw new VaultInputError(`Passkey ${i + 1} of ${items.length}: ${e.message}`);
      throw e;
    }
  });

  const params: KdfParams = {
    algorithm: kdf.algorithm, memoryKiB: kdf.memoryKiB, iterations: kdf.iterations, parallelism: kdf.parallelism,
    salt: randomBytes(SALT_BYTES),
  };
  const key = await deriveKek(passphrase, params);
  const plaintext = utf8.encode(JSON.stringify({ passkeys }));
  let sealed: Awaited<ReturnType<typeof seal>>;
  try {
    sealed = await seal(key, plaintext, BACKUP_AAD);
  } finally {
    plaintext.fill(0); // the JSON string itself cannot be zeroed
  }
  const file: BackupFile = {
    format: BACKUP_FORMAT,
    version: BACKUP_VERSION,
    createdAt: new Date(now).toISOString(),
    kdf: {
      algorithm: params.algorithm, memoryKiB: params.memoryKiB, iterations: params.iterations,
      parallelism: params.parallelism, salt: toBase64url(params.salt),
    },
    iv: toBase64url(sealed.iv),
    ciphertext: toBase64url(sealed.ciphertext),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * The passkeys in a backup file, each checked as importPasskeys checks them.
 * @throws BackupFormatError (not JSON, not a Latchkey backup, damaged, KDF beyond the limits),
 *   BackupVersionError (from a newer Latchkey), BackupPassphraseError (wrong passphrase or altered file).
 */
export async function decryptBackup(text: string, passphrase: string): Promise<ExportedPasskey[]> {
  if (typeof text !== 'string') throw new VaultInputError('"text" must be a string');
  if (typeof passphrase !== 'string') throw new VaultInputError('"passphrase" must be a string');
  const file = readHeader(text);

  const key = await deriveKek(passphrase, file.kdf);
  let plaintext: Uint8Array;
  try {
    plaintext = await unseal(key, { iv: file.iv, ciphertext: file.ciphertext }, BACKUP_AAD, 'backup');
  } catch (e) {
    if (e instanceof VaultKeyError) throw new BackupPassphraseError({ cause: e });
    throw e;
  }
  try {
    return readPasskeys(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } finally {
    plaintext.fill(0);
  }
}

const NOT_A_BACKUP = 'This file is not a Latchkey backup.';
const DAMAGED = 'This Latchkey backup is damaged or incomplete and cannot be read.';

/** Everything outside the ciphertext, checked before any expensive work. */
function readHeader(text: string): { kdf: KdfParams; iv: Uint8Array; ciphertext: Uint8Array } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    // A file cut short (an interrupted download) is still recognisably ours; say so rather than "not a backup".
    const looksOurs = /^\s*\{/.test(text) && text.includes(`"${BACKUP_FORMAT}"`);
    throw looksOurs ? new BackupFormatError('damaged', DAMAGED, { cause }) : new BackupFormatError('not-json', NOT_A_BACKUP, { cause });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || (raw as { format?: unknown }).format !== BACKUP_FORMAT) {
    throw new BackupFormatError('not-latchkey', NOT_A_BACKUP);
  }
  const f = raw as Partial<Record<keyof BackupFile, unknown>>;
  if (typeof f.version !== 'number' || !Number.isSafeInteger(f.version) || f.version < 1) throw new BackupFormatError('damaged', DAMAGED);
  if (f.version > BACKUP_VERSION) throw new BackupVersionError(f.version, BACKUP_VERSION);

  const k = (f.kdf ?? null) as Partial<Record<keyof BackupFile['kdf'], unknown>> | null;
  if (k === null || typeof k !== 'object' || k.algorithm !== 'argon2id') throw new BackupFormatError('damaged', DAMAGED);
  const { memoryKiB, iterations, parallelism } = k;
  if (![memoryKiB, iterations, parallelism].every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 1)) {
    throw new BackupFormatError('damaged', DAMAGED);
  }
  const params = { algorithm: 'argon2id', memoryKiB, iterations, parallelism } as Omit<KdfParams, 'salt'>;
  if (kdfLimitExceeded(params)) {
    throw new BackupFormatError('kdf-limits',
      'This backup asks for far more memory or time to open than any Latchkey backup does, so it was not opened. ' +
      'It was not made by Latchkey, or it was changed.');
  }
  try {
    checkKdfParams(params);
  } catch (cause) {
    throw new BackupFormatError('damaged', DAMAGED, { cause });
  }
  const salt = bytes(k.salt, SALT_BYTES, SALT_BYTES);
  const iv = bytes(f.iv, IV_BYTES, IV_BYTES);
  const ciphertext = bytes(f.ciphertext, GCM_TAG_BYTES, Infinity);
  return { kdf: { ...params, salt }, iv, ciphertext };
}

function bytes(v: unknown, min: number, max: number): Uint8Array {
  let out: Uint8Array;
  try {
    out = fromBase64url(v as string);
  } catch (cause) {
    throw new BackupFormatError('damaged', DAMAGED, { cause });
  }
  if (out.length < min || out.length > max) throw new BackupFormatError('damaged', DAMAGED);
  return out;
}

/**
 * The decrypted content. It passed GCM, so it was written by someone holding the passphrase; a
 * bad entry here means a bug or a hand-made file, and refusing it beats importing half of it.
 */
function readPasskeys(json: string): ExportedPasskey[] {
  let content: unknown;
  try {
    content = JSON.parse(json);
  } catch (cause) {
    throw new BackupFormatError('damaged', DAMAGED, { cause });
  }
  const list = (content as { passkeys?: unknown } | null)?.passkeys;
  if (!Array.isArray(list)) throw new BackupFormatError('damaged', DAMAGED);
  return list.map((item, i) => {
    try {
      const { passkey, privateKey } = checkExportedPasskey(item);
      privateKey.fill(0);
      return passkey;
    } catch (cause) {
      if (!(cause instanceof VaultError)) throw cause;
      throw new BackupFormatError('damaged', `${DAMAGED} (Passkey ${i + 1} of ${list.length}: ${cause.message})`, { cause });
    }
  });
}

function kdfLimitExceeded(k: Omit<KdfParams, 'salt'>): boolean {
  const L = BACKUP_KDF_LIMITS;
  return k.memoryKiB > L.maxMemoryKiB || k.iterations > L.maxIterations || k.parallelism > L.maxParallelism
    || k.memoryKiB * k.iterations > L.maxWorkKiB;
}
