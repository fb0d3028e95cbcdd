// Checks one passkey coming into the vault from a backup or another manager, before anything is
// written. Stricter than checkNewPasskey in one way that matters: the private key must be the one
// behind the stored public key, or the imported passkey would be listed but every signature it
// makes would be refused by the site (a passkey silently lost at the worst moment).
import { curves } from '../lazy/load.cjs';
import { fromBase64url } from '../core/base64url.js';
import { checkNewPasskey } from './checkNewPasskey.js';
import { VaultInputError } from './errors.js';
import { normalizeLabel } from './label.js';
import type { ExportedPasskey, HiddenMark } from './schema.js';

/** ES256: the raw P-256 scalar; EdDSA (-8): the Ed25519 seed. Both 32 bytes. */
const PRIVATE_KEY_BYTES = 32;

/**
 * @returns a clean copy (only known fields; label normalised) and the raw 32-byte secret (P-256
 *   scalar for alg -7, Ed25519 seed for alg -8).
 * @throws VaultInputError naming the field.
 */
export function checkExportedPasskey(v: unknown): { passkey: ExportedPasskey; privateKey: Uint8Array } {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new VaultInputError('"passkey" must be an object');
  const p = v as Partial<Record<keyof ExportedPasskey, unknown>>;
  // Field by field, so nothing unknown in a file is carried into the vault.
  const passkey = {
    credentialId: p.credentialId, rpId: p.rpId, userHandle: p.userHandle, userName: p.userName,
    userDisplayName: p.userDisplayName, alg: p.alg, publicKey: p.publicKey,
    backupEligible: p.backupEligible, backupState: p.backupState,
    signCount: p.signCount, createdAt: p.createdAt, lastUsedAt: p.lastUsedAt ?? null,
    label: normalizeLabel(p.label), privateKey: p.privateKey,
  } as ExportedPasskey;
  // Only when set, so a passkey that is not hidden reads back exactly as older files wrote it.
  const hidden = checkHidden(p.hidden);
  if (hidden) passkey.hidden = hidden;
  if (typeof passkey.signCount !== 'number') throw new VaultInputError('"signCount" must be an integer from 0 to 2^32-1');
  const { lastUsedAt, label: _label, hidden: _hidden, privateKey: _pk, ...asNew } = passkey;
  checkNewPasskey(asNew);
  if (lastUsedAt !== null && (typeof lastUsedAt !== 'number' || !Number.isFinite(lastUsedAt))) {
    throw new VaultInputError('"lastUsedAt" must be null or a finite number (ms since epoch)');
  }
  let privateKey: Uint8Array;
  try {
    privateKey = fromBase64url(passkey.privateKey as unknown as string);
  } catch {
    throw new VaultInputError('"privateKey" must be a base64url string');
  }
  if (privateKey.length !== PRIVATE_KEY_BYTES) {
    throw new VaultInputError(`"privateKey" must decode to ${PRIVATE_KEY_BYTES} bytes, got ${privateKey.length}`);
  }
  // checkNewPasskey admitted only -7 and -8.
  const eddsa = passkey.alg === -8;
  let derived: Uint8Array;
  try {
    derived = eddsa ? curves().ed25519.getPublicKey(privateKey) : curves().p256.getPublicKey(privateKey, false);
  } catch {
    privateKey.fill(0);
    throw new VaultInputError(`"privateKey" is not a valid ${eddsa ? 'Ed25519' : 'P-256'} private key`);
  }
  const stored = fromBase64url(passkey.publicKey);
  if (derived.length !== stored.length || derived.some((b, i) => b !== stored[i])) {
    privateKey.fill(0);
    throw new VaultInputError('"privateKey" does not belong to "publicKey"');
  }
  return { passkey, privateKey };
}

/** A backup keeps a passkey hidden (schema v3); anything else, or nothing (older files, other managers), is not hidden. */
function checkHidden(v: unknown): HiddenMark | null {
  if (v === undefined || v === null) return null;
  const h = v as Partial<HiddenMark>;
  if (typeof v !== 'object' || typeof h.at !== 'number' || !Number.isFinite(h.at) || (h.by !== 'unknown' && h.by !== 'not-accepted')) {
    throw new VaultInputError('"hidden" must be null or { at, by: "unknown" | "not-accepted" }');
  }
  return { at: h.at, by: h.by };
}
