// One passkey read from another manager's file, checked as the vault will check it
// (src/vault/checkNewPasskey.ts and checkExportedPasskey.ts, whose rules these mirror), so that a
// file with one odd entry still brings the others: the odd one is reported as skipped instead of
// refusing the whole import inside Vault.importPasskeys.
import type { ExportedPasskey } from '../vault/vault.js';
import { MAX_LABEL_CHARS } from '../vault/vault.js';
import { publicKeyOf, secretFromPkcs8, toBase64url, type Alg } from './keys.js';

/** A reason a person reads; the entry is skipped, the rest of the file goes on. */
export class Skip extends Error {}

export interface ForeignPasskey {
  credentialId: Uint8Array;
  rpId: unknown;
  userHandle: Uint8Array;
  userName: unknown;
  userDisplayName: unknown;
  /** PKCS#8 DER of the private key. */
  pkcs8: Uint8Array;
  backupEligible: boolean;
  backupState: boolean;
  signCount: number;
  createdAt: number;
  lastUsedAt: number | null;
  label: unknown;
}

/** @throws Skip with a sentence saying what is wrong with this entry. */
export function toExported(f: ForeignPasskey): ExportedPasskey {
  if (typeof f.rpId !== 'string' || f.rpId === '') throw new Skip('It does not say which website it is for.');
  // The vault's AAD joins the credential id and the RP ID with NUL (checkNewPasskey).
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
  if (/[\x00-\x20\x7f]/.test(f.rpId)) throw new Skip(`Its website "${f.rpId}" is not a valid RP ID.`);
  // WebAuthn L3 §4 "Credential ID": at most 1023 bytes; Latchkey wants at least 16 (checkNewPasskey).
  if (f.credentialId.length < 16 || f.credentialId.length > 1023) throw new Skip(`Its credential id is ${f.credentialId.length} bytes long; Latchkey needs 16 to 1023.`);
  // §5.4.3 user.id: "maximum size of 64 bytes".
  if (f.userHandle.length < 1 || f.userHandle.length > 64) throw new Skip('Its user handle is missing or longer than 64 bytes.');
  let alg: Alg;
  let secret: Uint8Array;
  try {
    ({ alg, secret } = secretFromPkcs8(f.pkcs8));
  } catch {
    throw new Skip('Its private key is not a P-256 (ES256) or Ed25519 (EdDSA) key Latchkey can use.');
  }
  let publicKey: Uint8Array;
  try {
    publicKey = publicKeyOf(alg, secret);
  } catch {
    secret.fill(0);
    throw new Skip(`Its private key is not a valid ${alg === -8 ? 'Ed25519' : 'P-256'} key.`);
  }
  if (!Number.isInteger(f.signCount) || f.signCount < 0 || f.signCount >= 2 ** 32) throw new Skip('Its signature counter is not a valid number.');
  const passkey: ExportedPasskey = {
    credentialId: toBase64url(f.credentialId),
    rpId: f.rpId,
    userHandle: toBase64url(f.userHandle),
    userName: typeof f.userName === 'string' ? f.userName : '',
    userDisplayName: typeof f.userDisplayName === 'string' ? f.userDisplayName : '',
    alg,
    publicKey: toBase64url(publicKey),
    backupEligible: f.backupEligible,
    // WebAuthn L3 §6.1: BS only with BE.
    backupState: f.backupEligible && f.backupState,
    signCount: f.signCount,
    createdAt: Number.isFinite(f.createdAt) ? f.createdAt : Date.now(),
    lastUsedAt: f.lastUsedAt !== null && Number.isFinite(f.lastUsedAt) ? f.lastUsedAt : null,
    label: labelOf(f.label),
    privateKey: toBase64url(secret),
  };
  secret.fill(0);
  return passkey;
}

/** Another manager's item name as a Latchkey name: trimmed, shortened to MAX_LABEL_CHARS, '' -> none. */
export function labelOf(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = [...v.normalize('NFC').trim()].slice(0, MAX_LABEL_CHARS).join('').trim();
  return s === '' ? null : s;
}

/** How a person recognises an entry in a list of skipped ones. */
export function nameOf(rpId: unknown, userName: unknown, fallback = 'An entry'): string {
  const site = typeof rpId === 'string' && rpId !== '' ? rpId : '';
  const user = typeof userName === 'string' && userName !== '' ? userName : '';
  return site && user ? `${user} at ${site}` : site || user || fallback;
}
