// Reads the passkeys out of a Bitwarden *unencrypted* JSON export (Tools > Export vault > .json).
// Pure: nothing is written here; the result goes to Vault.importPasskeys, which checks it again.
//
// Format, from Bitwarden's own client code (github.com/bitwarden/clients):
// - libs/tools/export/vault-export/.../types/bitwarden-json-export-types.ts: the file is
//   { encrypted: false, folders | collections, items: [...] }; encrypted exports carry
//   { encrypted: true, ... } with either encrypted strings or a password-protected "data" blob.
// - libs/common/src/models/export/fido2-credential.export.ts: items[].login.fido2Credentials[] have
//   credentialId, keyType, keyAlgorithm, keyCurve, keyValue, rpId, userHandle, userName, counter
//   (a string), rpName, userDisplayName, discoverable ("true"/"false"), creationDate (ISO).
// - libs/common/src/platform/services/fido2/fido2-authenticator.service.ts (createKeyView):
//   keyValue = base64url of the PKCS#8 private key, userHandle = base64url of user.id,
//   credentialId = a new GUID; every Bitwarden passkey is signed with BE=1 and BS=1.
// - .../fido2/credential-id-utils.ts (parseCredentialId) and guid-utils.ts (guidToRawFormat): the
//   WebAuthn credential id is "b64." + base64url of the bytes for imported passkeys, otherwise the
//   GUID's 16 bytes in the order they are written (no Microsoft mixed-endian swap).
// Older or hand-edited files use standard base64 (with '+', '/', '='), so decoding accepts both.
import { curves } from '../lazy/load.cjs';
import { fromBase64url, toBase64url } from '../core/base64url.js';
import { p256PrivateKeyFromPkcs8 } from '../core/pkcs8.js';
import { checkExportedPasskey } from './checkExportedPasskey.js';
import { BackupFormatError, VaultInputError } from './errors.js';
import { labelFromForeignName } from './label.js';
import type { ExportedPasskey } from './schema.js';

export interface BitwardenImport {
  items: ExportedPasskey[];
  /** Passkeys in the file that cannot come over, each with the item's name and a sentence saying why. */
  skipped: { name: string; reason: string }[];
}

const NOT_BITWARDEN = 'This file is not a Bitwarden JSON export.';
const ENCRYPTED = 'This is an encrypted Bitwarden export; export again as unencrypted JSON.';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class Skip extends Error {}

/**
 * @param o.now fallback creation time for an entry without a readable creationDate; default Date.now().
 * @throws BackupFormatError when the text is not a Bitwarden JSON export at all.
 */
export function parseBitwardenExport(text: string, o: { now?: number } = {}): BitwardenImport {
  if (typeof text !== 'string') throw new VaultInputError('"text" must be a string');
  const now = o.now ?? Date.now();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new BackupFormatError('not-json', NOT_BITWARDEN, { cause });
  }
  const file = raw as { encrypted?: unknown; items?: unknown } | null;
  if (file === null || typeof file !== 'object' || Array.isArray(file) || typeof file.encrypted !== 'boolean') {
    throw new BackupFormatError('not-bitwarden', NOT_BITWARDEN);
  }
  // Reported as a skip, not thrown: the file is the right one, only exported the wrong way.
  if (file.encrypted) return { items: [], skipped: [{ name: 'Bitwarden export', reason: ENCRYPTED }] };
  if (!Array.isArray(file.items)) throw new BackupFormatError('not-bitwarden', NOT_BITWARDEN);

  const out: BitwardenImport = { items: [], skipped: [] };
  for (const item of file.items as unknown[]) {
    const it = (item ?? {}) as { name?: unknown; login?: { fido2Credentials?: unknown; username?: unknown } | null };
    const creds = it.login?.fido2Credentials;
    if (!Array.isArray(creds)) continue; // a password, card or note: not a passkey, nothing to skip
    const name = typeof it.name === 'string' && it.name.trim() !== '' ? it.name.trim() : '(unnamed item)';
    for (const c of creds) {
      try {
        out.items.push(convert(c, it, now));
      } catch (e) {
        if (!(e instanceof Skip)) throw e;
        out.skipped.push({ name, reason: e.message });
      }
    }
  }
  return out;
}

function convert(c: unknown, item: { name?: unknown; login?: { username?: unknown } | null }, now: number): ExportedPasskey {
  if (c === null || typeof c !== 'object') throw new Skip('Its passkey entry is damaged.');
  const f = c as Record<string, unknown>;
  if (f.keyType !== undefined && f.keyType !== 'public-key') throw new Skip(`Its key type "${String(f.keyType)}" is not supported.`);
  if (f.keyAlgorithm !== 'ECDSA' || f.keyCurve !== 'P-256') {
    throw new Skip(`Only P-256 (ES256) passkeys can be imported; this one uses ${String(f.keyAlgorithm)} ${String(f.keyCurve ?? '')}`.trim() + '.');
  }
  if (typeof f.rpId !== 'string' || f.rpId === '') throw new Skip('It does not say which website it is for (no rpId).');
  const credentialId = readCredentialId(f.credentialId);
  if (typeof f.userHandle !== 'string' || f.userHandle === '') throw new Skip('It has no user handle.');
  const userHandle = lenientBase64(f.userHandle);
  if (userHandle === undefined) throw new Skip('Its user handle is not valid base64.');
  const signCount = readCounter(f.counter);

  const der = typeof f.keyValue === 'string' ? lenientBase64(f.keyValue) : undefined;
  let secret: Uint8Array;
  try {
    if (!der) throw new TypeError('no keyValue');
    secret = p256PrivateKeyFromPkcs8(der);
  } catch {
    throw new Skip('Its private key is missing or could not be read.');
  }
  try {
    let publicKey: Uint8Array;
    try {
      publicKey = curves().p256.getPublicKey(secret, false);
    } catch {
      throw new Skip('Its private key is not a valid P-256 key.');
    }
    const created = typeof f.creationDate === 'string' ? Date.parse(f.creationDate) : NaN;
    const candidate: ExportedPasskey = {
      credentialId: toBase64url(credentialId),
      rpId: f.rpId,
      userHandle: toBase64url(userHandle),
      userName: text(f.userName) ?? text(item.login?.username) ?? '',
      userDisplayName: text(f.userDisplayName) ?? '',
      alg: -7,
      publicKey: toBase64url(publicKey),
      // The site saw BE=1 at registration and BE never changes for a credential (WebAuthn §6.1.3).
      backupEligible: true,
      backupState: true,
      signCount,
      createdAt: Number.isFinite(created) ? created : now,
      lastUsedAt: null,
      label: labelFromForeignName(item.name),
      privateKey: toBase64url(secret),
    };
    try {
      const { passkey, privateKey } = checkExportedPasskey(candidate);
      privateKey.fill(0);
      return passkey;
    } catch (e) {
      if (e instanceof VaultInputError) throw new Skip(`It cannot be imported: ${e.message}.`);
      throw e;
    }
  } finally {
    secret.fill(0);
  }
}

function readCredentialId(v: unknown): Uint8Array {
  if (typeof v !== 'string' || v === '') throw new Skip('It has no credential id.');
  if (v.startsWith('b64.')) {
    const b = lenientBase64(v.slice(4));
    if (b) return b;
  } else if (GUID.test(v)) {
    const hex = v.replaceAll('-', '');
    return Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  }
  throw new Skip('Its credential id is in a form Latchkey does not know.');
}

/** Bitwarden writes the counter as a decimal string; older files may have a number. Missing means 0. */
function readCounter(v: unknown): number {
  if (v === undefined || v === null || v === '') return 0;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < 0 || n >= 2 ** 32) throw new Skip('Its signature counter is not a valid number.');
  return n;
}

/** base64 or base64url, padded or not; undefined when it is neither. */
function lenientBase64(s: string): Uint8Array | undefined {
  try {
    return fromBase64url(s.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
  } catch {
    return undefined;
  }
}

function text(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}
