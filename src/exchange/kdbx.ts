// KeePass KDBX 4 databases with KeePassXC's passkey attributes, read and written with kdbxweb
// (Argon2 from hash-wasm, the library the vault uses).
//
// Attributes, as KeePassXC writes them (src/browser/BrowserService.cpp addPasskeyToEntry,
// BrowserPasskeys.h/.cpp; 2.7.7 and later) and as KeePassDX, KeePassium and Strongbox read them:
//   KPEX_PASSKEY_USERNAME          user.name                                   plain
//   KPEX_PASSKEY_CREDENTIAL_ID     base64url of the credential id (rawId)       protected
//   KPEX_PASSKEY_PRIVATE_KEY_PEM   PKCS#8 "PRIVATE KEY" PEM (Botan PKCS8::PEM_encode)  protected
//   KPEX_PASSKEY_RELYING_PARTY     the RP ID                                   plain
//   KPEX_PASSKEY_USER_HANDLE       base64url of user.id                        protected
//   KPEX_PASSKEY_FLAG_BE / _BS     the backup flags, "1" or "0" (newer KeePassXC, KeePassDX)
// read as fallbacks: KPXC_PASSKEY_USERNAME (KeePassXC before 2.7.7), KPEX_PASSKEY_GENERATED_USER_ID
// (a user handle KeePassXC generated). The entry gets the tag "Passkey", as KeePassXC adds it.
// An entry without KPEX_PASSKEY_PRIVATE_KEY_PEM is not a passkey (KeePassXC's own test, in
// ReportsWidgetPasskeys.cpp); entries in the recycle bin are passed over, as KeePassXC does.
import * as kdbxwebModule from 'kdbxweb';
import { argon2d, argon2id } from 'hash-wasm';
import type { ExportedPasskey } from '../vault/vault.js';
import { fromBase64url, lenientBase64, pemFromPkcs8, pkcs8FromPem, pkcs8FromSecret } from './keys.js';
import { nameOf, Skip, toExported } from './passkey.js';
import { checkPassphrasePolicy } from './sealedFile.js';
import { looksLikeKdbx } from './kdbxMagic.js';

export { looksLikeKdbx };

// kdbxweb is CommonJS: its exports sit on `default` when this file runs as an ES module (tsx's
// import), on the namespace itself when it is required (lazy.cjs, the bundle).
const kdbxweb = ((kdbxwebModule as unknown as { default?: typeof kdbxwebModule }).default ?? kdbxwebModule) as typeof kdbxwebModule;
import { ExchangeFileError, pace, type ForeignExport, type ForeignImport, type OnProgress, type Skipped } from './types.js';

export const KPEX = {
  USERNAME: 'KPEX_PASSKEY_USERNAME',
  LEGACY_USERNAME: 'KPXC_PASSKEY_USERNAME',
  CREDENTIAL_ID: 'KPEX_PASSKEY_CREDENTIAL_ID',
  PRIVATE_KEY_PEM: 'KPEX_PASSKEY_PRIVATE_KEY_PEM',
  RELYING_PARTY: 'KPEX_PASSKEY_RELYING_PARTY',
  USER_HANDLE: 'KPEX_PASSKEY_USER_HANDLE',
  GENERATED_USER_ID: 'KPEX_PASSKEY_GENERATED_USER_ID',
  FLAG_BE: 'KPEX_PASSKEY_FLAG_BE',
  FLAG_BS: 'KPEX_PASSKEY_FLAG_BS',
} as const;
/** Latchkey's own attribute for what KeePassXC has no place for (other readers show it as a custom field). */
export const LATCHKEY_DISPLAY_NAME = 'LATCHKEY_PASSKEY_USER_DISPLAY_NAME';

/**
 * What a file may ask of Argon2 before Latchkey runs it: a hostile file must not exhaust memory or
 * freeze the background. KeePassXC tunes the passes to about one second on the machine that saved
 * the file, so the bound is on memory (1 GiB) and on total work (memory x passes, 4 GiB), not passes.
 */
const ARGON2_LIMITS = { maxMemoryKiB: 1024 * 1024, maxWorkKiB: 4 * 1024 * 1024, maxParallelism: 16 };
class KdfTooCostly extends Error {}

let argon2Installed = false;
function installArgon2(): void {
  if (argon2Installed) return;
  argon2Installed = true;
  // kdbxweb's Argon2Fn: memory in KiB, type 0 = Argon2d, 2 = Argon2id (KDBX 4 KdfParameters).
  kdbxweb.CryptoEngine.setArgon2Impl(async (password, salt, memory, iterations, length, parallelism, type, version) => {
    if (memory > ARGON2_LIMITS.maxMemoryKiB || memory * iterations > ARGON2_LIMITS.maxWorkKiB || parallelism > ARGON2_LIMITS.maxParallelism) {
      throw new KdfTooCostly();
    }
    if (version !== 0x13) throw new KdfTooCostly();
    const opts = {
      password: new Uint8Array(password), salt: new Uint8Array(salt), memorySize: memory, iterations, parallelism,
      hashLength: length, outputType: 'binary' as const,
    };
    const out = type === 2 ? await argon2id(opts) : type === 0 ? await argon2d(opts) : (() => { throw new KdfTooCostly(); })();
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  });
}

/**
 * AES-KDF (KDBX 3.1's only KDF, and KDBX 4's other one) runs its rounds inside kdbxweb, which has
 * no hook to bound them, so the header is read first: a file asking for more than 100 million
 * rounds (about ten seconds here; KeePassXC's one-second default is a few million) is not opened.
 */
const MAX_AES_KDF_ROUNDS = 100_000_000;
function checkAesKdfRounds(bytes: Uint8Array): void {
  let rounds: number | undefined;
  try {
    const h = kdbxweb.KdbxHeader.read(new kdbxweb.BinaryStream(bytes.slice().buffer as ArrayBuffer), new kdbxweb.KdbxContext({ kdbx: {} as kdbxwebModule.Kdbx }));
    if (h.versionMajor < 4) rounds = h.keyEncryptionRounds;
    else if (h.kdfParameters?.get('$UUID') !== undefined) {
      const r = h.kdfParameters.get('R');
      rounds = r === undefined ? undefined : typeof r === 'number' ? r : (r as kdbxwebModule.Int64).value;
    }
  } catch (cause) {
    throw new ExchangeFileError('damaged', 'This KeePass database is damaged or incomplete and cannot be read.', { cause });
  }
  if (rounds !== undefined && rounds > MAX_AES_KDF_ROUNDS) {
    throw new ExchangeFileError('damaged', 'This database asks for far more time to open than Latchkey allows, so it was not opened.');
  }
}

export interface KdbxWriteOptions {
  /** Argon2id cost; default 64 MiB, 3 passes, 1 lane (Latchkey's own DEFAULT_KDF). */
  kdf?: { memoryKiB: number; iterations: number; parallelism: number };
  /** Database name shown by KeePassXC. */
  name?: string;
}

/**
 * A KDBX 4 database (Argon2id, AES-256, under `passphrase`) with one entry per passkey. A passkey
 * whose signature counter is not zero is left out (KeePassXC always signs with counter 0, so the
 * site would see it go back: WebAuthn L3 §6.1.1) and reported in `excluded`.
 */
export async function serializeKdbx(items: ExportedPasskey[], passphrase: string, o: KdbxWriteOptions = {}): Promise<ForeignExport<Uint8Array>> {
  checkPassphrasePolicy(passphrase);
  installArgon2();
  const cred = new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(passphrase));
  const db = kdbxweb.Kdbx.create(cred, o.name ?? 'Latchkey passkeys');
  db.header.setKdf(kdbxweb.Consts.KdfId.Argon2id);
  const kdf = o.kdf ?? { memoryKiB: 64 * 1024, iterations: 3, parallelism: 1 };
  const { ValueType } = kdbxweb.VarDictionary;
  db.header.kdfParameters!.set('M', ValueType.UInt64, kdbxweb.Int64.from(kdf.memoryKiB * 1024));
  db.header.kdfParameters!.set('I', ValueType.UInt64, kdbxweb.Int64.from(kdf.iterations));
  db.header.kdfParameters!.set('P', ValueType.UInt32, kdf.parallelism);
  const group = db.getDefaultGroup();
  const excluded: Skipped[] = [];
  let count = 0;
  for (const p of items) {
    if (p.signCount !== 0) {
      excluded.push({ name: nameOf(p.rpId, p.userName), reason: 'Its signature counter is not zero; KeePassXC signs with 0, and the site would refuse it.' });
      continue;
    }
    const entry = db.createEntry(group);
    const secret = fromBase64url(p.privateKey);
    const der = pkcs8FromSecret(p.alg as -7 | -8, secret, fromBase64url(p.publicKey));
    secret.fill(0);
    const prot = (s: string) => kdbxweb.ProtectedValue.fromString(s);
    // As KeePassXC's own new passkey entry: "<site> (Passkey)", the user name, the site's address.
    entry.fields.set('Title', p.label ?? `${p.rpId} (Passkey)`);
    entry.fields.set('UserName', p.userName);
    entry.fields.set('URL', `https://${p.rpId}`);
    entry.fields.set(KPEX.USERNAME, p.userName);
    entry.fields.set(KPEX.CREDENTIAL_ID, prot(p.credentialId));
    entry.fields.set(KPEX.PRIVATE_KEY_PEM, prot(pemFromPkcs8(der)));
    entry.fields.set(KPEX.RELYING_PARTY, p.rpId);
    entry.fields.set(KPEX.USER_HANDLE, prot(p.userHandle));
    entry.fields.set(KPEX.FLAG_BE, p.backupEligible ? '1' : '0');
    entry.fields.set(KPEX.FLAG_BS, p.backupState ? '1' : '0');
    if (p.userDisplayName !== '') entry.fields.set(LATCHKEY_DISPLAY_NAME, p.userDisplayName);
    der.fill(0);
    entry.tags = ['Passkey'];
    entry.times.creationTime = new Date(p.createdAt);
    entry.times.lastModTime = new Date(p.createdAt);
    // Never used: the same as created, so a reader does not take the export's own time for a use.
    entry.times.lastAccessTime = new Date(p.lastUsedAt ?? p.createdAt);
    count++;
  }
  return { file: new Uint8Array(await db.save()), count, excluded };
}

/**
 * The passkeys of a KDBX database (KDBX 3.1 or 4, any KDF kdbxweb reads, within ARGON2_LIMITS).
 * @throws ExchangeFileError: 'wrong-format' (not a KeePass database), 'passphrase', 'damaged'.
 */
export async function parseKdbx(bytes: Uint8Array, passphrase: string, o: { now?: number; onProgress?: OnProgress } = {}): Promise<ForeignImport> {
  const now = o.now ?? Date.now();
  if (!looksLikeKdbx(bytes)) throw new ExchangeFileError('wrong-format', 'This file is not a KeePass (KDBX) database.');
  if (typeof passphrase !== 'string' || passphrase === '') throw new ExchangeFileError('passphrase', 'Enter the database\'s password (its master password in KeePassXC).');
  installArgon2();
  checkAesKdfRounds(bytes);
  let db: kdbxwebModule.Kdbx;
  try {
    const copy = bytes.slice().buffer as ArrayBuffer;
    db = await kdbxweb.Kdbx.load(copy, new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(passphrase)));
  } catch (e) {
    if (e instanceof KdfTooCostly) throw new ExchangeFileError('damaged', 'This database asks for far more memory or time to open than Latchkey allows, so it was not opened.');
    const code = (e as { code?: unknown })?.code;
    if (code === kdbxweb.Consts.ErrorCodes.InvalidKey) {
      throw new ExchangeFileError('passphrase', 'The password is wrong (or the database also needs a key file, which Latchkey does not support). Nothing was imported.', { cause: e });
    }
    if (code === kdbxweb.Consts.ErrorCodes.InvalidVersion || code === kdbxweb.Consts.ErrorCodes.Unsupported) {
      throw new ExchangeFileError('unsupported', 'This KeePass database uses a version or cipher Latchkey cannot read.', { cause: e });
    }
    throw new ExchangeFileError('damaged', 'This KeePass database is damaged or incomplete and cannot be read.', { cause: e });
  }
  const recycleBin = db.meta.recycleBinUuid?.id;
  const entries: kdbxwebModule.KdbxEntry[] = [];
  const walk = (g: kdbxwebModule.KdbxGroup) => {
    if (recycleBin && g.uuid.id === recycleBin) return;
    for (const e of g.entries) if (e.fields.has(KPEX.PRIVATE_KEY_PEM)) entries.push(e);
    for (const sub of g.groups) walk(sub);
  };
  for (const g of db.groups) walk(g);

  const out: ForeignImport = { items: [], skipped: [] };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const get = (k: string): string | undefined => {
      const v = e.fields.get(k);
      return v === undefined ? undefined : typeof v === 'string' ? v : v.getText();
    };
    const userName = get(KPEX.USERNAME) ?? get(KPEX.LEGACY_USERNAME) ?? get('UserName');
    try {
      out.items.push(convert(get, userName, e, now));
    } catch (err) {
      if (!(err instanceof Skip)) throw err;
      out.skipped.push({ name: nameOf(get(KPEX.RELYING_PARTY), userName, get('Title') || 'An entry'), reason: err.message });
    }
    await pace(i + 1, entries.length, o.onProgress);
  }
  return out;
}

function convert(get: (k: string) => string | undefined, userName: string | undefined, e: kdbxwebModule.KdbxEntry, now: number): ExportedPasskey {
  const b64 = (v: string | undefined, what: string): Uint8Array => {
    if (!v) throw new Skip(`It has no ${what}.`);
    try { return lenientBase64(v.trim()); } catch { throw new Skip(`Its ${what} is not base64.`); }
  };
  let pkcs8: Uint8Array;
  try { pkcs8 = pkcs8FromPem(get(KPEX.PRIVATE_KEY_PEM) ?? ''); } catch { throw new Skip('Its private key is not a PEM private key.'); }
  const flag = (v: string | undefined) => (v === undefined ? true : v === '1' || v.toLowerCase() === 'true');
  const title = get('Title') ?? '';
  const rpId = get(KPEX.RELYING_PARTY);
  try {
    return toExported({
      credentialId: b64(get(KPEX.CREDENTIAL_ID), 'credential id'),
      rpId,
      userHandle: b64(get(KPEX.USER_HANDLE) ?? get(KPEX.GENERATED_USER_ID), 'user handle'),
      userName: userName ?? '',
      userDisplayName: get(LATCHKEY_DISPLAY_NAME) ?? '',
      pkcs8,
      // Absent in KeePassXC before the flags were stored: it signed BE=1 BS=1 (KeePassDX's default too).
      backupEligible: flag(get(KPEX.FLAG_BE)),
      backupState: flag(get(KPEX.FLAG_BS)),
      signCount: 0, // KeePassXC keeps no counter and always signs 0
      createdAt: e.times.creationTime?.getTime() ?? now,
      lastUsedAt: e.times.lastAccessTime && e.times.lastAccessTime.getTime() > (e.times.creationTime?.getTime() ?? 0) ? e.times.lastAccessTime.getTime() : null,
      // KeePassXC's own title is "<site> (Passkey)": not a name the person chose.
      label: title === `${rpId} (Passkey)` || title === rpId ? null : title,
    });
  } finally {
    pkcs8.fill(0);
  }
}

