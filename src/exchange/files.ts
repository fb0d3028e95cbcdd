// One entry point per direction for the manage page's "Kind of file" (docs/CONTRACT.md): bytes of
// a file in, the passkeys it holds out; the vault's passkeys in, a file out. Size is checked
// before anything is parsed, and a file of another kind than the one chosen is named as such.
import { decryptBackup, encryptBackup, BackupFormatError, BackupPassphraseError, BackupVersionError, type ExportedPasskey } from '../vault/vault.js';
import { looksLikeCxf, parseCxf, serializeCxf } from './cxf.js';
import { looksLikeKdbx } from './kdbxMagic.js';
import { parseBitwarden, serializeBitwarden } from './bitwarden.js';
import { isSealed, openSealed, sealText } from './sealedFile.js';
import { ExchangeFileError, FORMAT_NAMES, type ExchangeFormat, type ForeignImport, type OnProgress, type Skipped } from './types.js';

/**
 * kdbxweb (with its XML parser) is large and only KeePassXC files need it: evaluated at first use,
 * not when the background starts (esbuild bundles a dynamic import() as a module initialised on
 * the first call; the same reasoning as src/lazy/load.cjs).
 */
const kdbx = () => import('./kdbx.js');

/**
 * The largest file Latchkey reads: 10,000 passkeys are about 12 MB of CXF JSON; a file sent to the
 * background is base64 in one message (Chrome's limit is 64 MiB of JSON).
 */
export const MAX_IMPORT_BYTES = 32 * 1024 * 1024;

/** What a file seems to be, by its first bytes and shape; null when none of the four. */
export function sniffFormat(bytes: Uint8Array): ExchangeFormat | null {
  if (looksLikeKdbx(bytes)) return 'kdbx';
  const raw = jsonOf(bytes);
  if (raw === undefined) return null;
  const f = raw as Record<string, unknown> | null;
  if (f === null || typeof f !== 'object') return null;
  if (f.format === 'latchkey-backup') return 'latchkey';
  if (isSealed(f) && f.content === 'cxf') return 'cxf';
  if (looksLikeCxf(f)) return 'cxf';
  if (typeof f.encrypted === 'boolean') return 'bitwarden';
  return null;
}

function jsonOf(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
}

function wrongKind(chosen: ExchangeFormat, bytes: Uint8Array): ExchangeFileError {
  const seems = sniffFormat(bytes);
  const text = bytes.length === 0 ? 'This file is empty.'
    : seems && seems !== chosen ? `This file looks like a ${FORMAT_NAMES[seems]} file, not ${FORMAT_NAMES[chosen]}. Choose "${FORMAT_NAMES[seems]}" under Kind of file.`
    : `This file is not a ${FORMAT_NAMES[chosen]} file, or it is damaged or incomplete.`;
  return new ExchangeFileError('wrong-format', text);
}

/**
 * The passkeys in a file of the chosen kind, each checked (not yet in the vault).
 * @throws ExchangeFileError with a message a person reads; nothing is changed anywhere.
 */
export async function readImport(format: ExchangeFormat, bytes: Uint8Array, passphrase: string, o: { onProgress?: OnProgress; now?: number } = {}): Promise<ForeignImport> {
  if (bytes.length > MAX_IMPORT_BYTES) {
    throw new ExchangeFileError('too-big', `This file is ${(bytes.length / 1024 / 1024).toFixed(0)} MB; a passkey file is far smaller (Latchkey reads up to ${MAX_IMPORT_BYTES / 1024 / 1024} MB).`);
  }
  if (format === 'kdbx') {
    if (!looksLikeKdbx(bytes)) throw wrongKind(format, bytes);
    return (await kdbx()).parseKdbx(bytes, passphrase, o);
  }
  const raw = jsonOf(bytes);
  if (format === 'latchkey') {
    if (sniffFormat(bytes) !== 'latchkey' && !/^\s*\{[\s\S]*"latchkey-backup"/.test(new TextDecoder().decode(bytes.subarray(0, 200)))) throw wrongKind(format, bytes);
    if (passphrase === '') throw new ExchangeFileError('passphrase', 'Enter the passphrase the backup was made with.');
    try {
      return { items: await decryptBackup(new TextDecoder().decode(bytes), passphrase), skipped: [] };
    } catch (e) {
      if (e instanceof BackupPassphraseError) throw new ExchangeFileError('passphrase', 'The passphrase is wrong, or the backup was changed. Nothing was imported.', { cause: e });
      if (e instanceof BackupFormatError) throw new ExchangeFileError('damaged', e.message, { cause: e });
      if (e instanceof BackupVersionError) throw new ExchangeFileError('unsupported', e.message, { cause: e });
      throw e;
    }
  }
  if (raw === undefined) throw wrongKind(format, bytes);
  if (format === 'cxf') {
    if (isSealed(raw)) return parseCxf(JSON.parse(await openSealed(raw, 'cxf', passphrase)), o);
    if (!looksLikeCxf(raw)) throw wrongKind(format, bytes);
    return parseCxf(raw, o);
  }
  if (sniffFormat(bytes) !== 'bitwarden') throw wrongKind(format, bytes);
  return parseBitwarden(new TextDecoder().decode(bytes));
}

export interface ExportFile {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
  /** How many passkeys the file holds. */
  count: number;
  /** Passkeys the format cannot carry, each with its reason. */
  excluded: Skipped[];
  /** True when the file is not encrypted (plain CXF, Bitwarden JSON). */
  plain: boolean;
}

/**
 * A file of the chosen kind holding `items`. `plain` (CXF only) writes the CXF JSON without
 * encryption; the page asks for it only after its warning. Bitwarden JSON is plain by nature.
 */
export async function writeExport(format: ExchangeFormat, items: ExportedPasskey[], o: { passphrase?: string; plain?: boolean; now?: number; kdf?: { algorithm: 'argon2id'; memoryKiB: number; iterations: number; parallelism: number } } = {}): Promise<ExportFile> {
  const now = o.now ?? Date.now();
  const day = new Date(now).toISOString().slice(0, 10);
  const utf8 = (s: string) => new TextEncoder().encode(s);
  const passphrase = o.passphrase ?? '';
  switch (format) {
    case 'latchkey': {
      const text = await encryptBackup(items, passphrase, { now, ...(o.kdf ? { kdf: o.kdf } : {}) });
      return { fileName: `latchkey-backup-${day}.json`, mimeType: 'application/json', bytes: utf8(text), count: items.length, excluded: [], plain: false };
    }
    case 'cxf': {
      const cxf = serializeCxf(items, { now });
      if (o.plain) return { fileName: `latchkey-passkeys-${day}.cxf.json`, mimeType: 'application/json', bytes: utf8(cxf.file), count: cxf.count, excluded: cxf.excluded, plain: true };
      const sealed = await sealText('cxf', cxf.file, passphrase, o.kdf ? { kdf: o.kdf } : {});
      return { fileName: `latchkey-passkeys-${day}.cxf.encrypted.json`, mimeType: 'application/json', bytes: utf8(sealed), count: cxf.count, excluded: cxf.excluded, plain: false };
    }
    case 'kdbx': {
      const k = await (await kdbx()).serializeKdbx(items, passphrase, o.kdf ? { kdf: o.kdf } : {});
      return { fileName: `latchkey-passkeys-${day}.kdbx`, mimeType: 'application/octet-stream', bytes: k.file, count: k.count, excluded: k.excluded, plain: false };
    }
    case 'bitwarden': {
      const b = serializeBitwarden(items, { now });
      return { fileName: `bitwarden_export_latchkey_${day}.json`, mimeType: 'application/json', bytes: utf8(b.file), count: b.count, excluded: b.excluded, plain: true };
    }
  }
}
