// Input checks at the vault's boundary. The background has already validated the ceremony; these
// keep a bug there from writing a row that later breaks lookup, sorting or the AAD encoding.
import { fromBase64url } from '../core/base64url.js';
import { VaultInputError } from './errors.js';
import type { NewPasskey } from './schema.js';

const COSE_ALG_ES256 = -7;
const COSE_ALG_EDDSA = -8;

function b64u(v: unknown, field: string, min: number, max: number): Uint8Array {
  if (typeof v !== 'string') throw new VaultInputError(`"${field}" must be a base64url string`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase64url(v);
  } catch (cause) {
    throw new VaultInputError(`"${field}" is not canonical unpadded base64url: ${(cause as Error).message}`);
  }
  if (bytes.length < min || bytes.length > max) {
    throw new VaultInputError(`"${field}" must decode to ${min}..${max} bytes, got ${bytes.length}`);
  }
  return bytes;
}

function text(v: unknown, field: string, allowEmpty: boolean): void {
  if (typeof v !== 'string' || (!allowEmpty && v.length === 0)) {
    throw new VaultInputError(`"${field}" must be a ${allowEmpty ? '' : 'non-empty '}string`);
  }
}

function time(v: unknown, field: string): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new VaultInputError(`"${field}" must be a finite number (ms since epoch)`);
}

export function checkNewPasskey(p: NewPasskey): void {
  if (p === null || typeof p !== 'object') throw new VaultInputError('"passkey" must be an object');
  if (p.signCount !== undefined && !(Number.isInteger(p.signCount) && p.signCount >= 0 && p.signCount < 2 ** 32)) {
    throw new VaultInputError('"signCount" must be an integer from 0 to 2^32-1');
  }
  // https://w3c.github.io/webauthn/#credential-id: "at most 1023 bytes long".
  b64u(p.credentialId, 'credentialId', 16, 1023);
  // https://w3c.github.io/webauthn/#dom-publickeycredentialuserentity-id: "maximum size of 64 bytes".
  b64u(p.userHandle, 'userHandle', 1, 64);
  text(p.rpId, 'rpId', false);
  // The AAD joins credentialId and rpId with NUL; a control character never belongs in an RP ID.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this check's purpose
  if (/[\x00-\x20\x7f]/.test(p.rpId)) throw new VaultInputError('"rpId" must not contain spaces or control characters');
  text(p.userName, 'userName', true);
  text(p.userDisplayName, 'userDisplayName', true);
  if (p.alg === COSE_ALG_ES256) {
    const pub = b64u(p.publicKey, 'publicKey', 65, 65);
    if (pub[0] !== 0x04) throw new VaultInputError('"publicKey" must be an uncompressed P-256 point (first byte 0x04)');
  } else if (p.alg === COSE_ALG_EDDSA) {
    // Ed25519 (the only EdDSA curve Latchkey makes): the 32-byte RFC 8032 public key.
    b64u(p.publicKey, 'publicKey', 32, 32);
  } else {
    throw new VaultInputError(`"alg" ${String(p.alg)} is not supported (only -7, ES256, and -8, EdDSA with Ed25519)`);
  }
  if (typeof p.backupEligible !== 'boolean') throw new VaultInputError('"backupEligible" must be a boolean');
  if (typeof p.backupState !== 'boolean') throw new VaultInputError('"backupState" must be a boolean');
  // WebAuthn §6.1: BS may be set only when BE is set.
  if (p.backupState && !p.backupEligible) throw new VaultInputError('"backupState" cannot be true when "backupEligible" is false');
  time(p.createdAt, 'createdAt');
  if (p.lastUsedAt !== undefined && p.lastUsedAt !== null) throw new VaultInputError('"lastUsedAt" must be null or absent for a new passkey');
}
