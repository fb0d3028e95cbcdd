// COSE keys (RFC 9052/9053) as WebAuthn uses them for the credential public key (§6.5.1.1), and
// the DER SubjectPublicKeyInfo form that AuthenticatorAttestationResponse.getPublicKey() returns (§5.2.1).
import { curves } from '../lazy/load.cjs';
import { encodeCBOR } from './cbor.js';
import { concatBytes } from './bytes.js';

/** COSE algorithm ES256: ECDSA P-256 with SHA-256 (RFC 9053 §2.1). */
export const COSE_ALG_ES256 = -7;
/** COSE algorithm EdDSA (RFC 9053 §2.2). */
export const COSE_ALG_EDDSA = -8;

// COSE key labels and values used below (RFC 9052 §7.1, RFC 9053 §7.1.1).
const KTY = 1;
const ALG = 3;
const CRV = -1;
const X = -2;
const Y = -3;
const KTY_EC2 = 2;
const CRV_P256 = 1;
const KTY_OKP = 1;
const CRV_ED25519 = 6;

/**
 * COSE_Key for an ES256 public key, keys in CTAP2 canonical order 1, 3, -1, -2, -3 (the §6.5.1.1
 * example: kty 2, alg -7, crv 1, x, y).
 * @param publicKey65 uncompressed SEC1 point: 0x04 ‖ x (32) ‖ y (32), checked to be on P-256
 */
export function encodeCoseKeyES256(publicKey65: Uint8Array): Uint8Array<ArrayBuffer> {
  checkP256Point(publicKey65);
  return encodeCBOR(
    new Map<number, number | Uint8Array>([
      [KTY, KTY_EC2],
      [ALG, COSE_ALG_ES256],
      [CRV, CRV_P256],
      [X, publicKey65.subarray(1, 33)],
      [Y, publicKey65.subarray(33, 65)],
    ]),
  );
}

// DER of SEQUENCE { SEQUENCE { OID id-ecPublicKey, OID prime256v1 }, BIT STRING (66 bytes: 0 unused bits ‖ point) }
// up to the point itself (RFC 5480 §2).
const P256_SPKI_PREFIX = Uint8Array.from([
  0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a,
  0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
]);

/** DER SubjectPublicKeyInfo of an uncompressed P-256 point (26-byte prefix ‖ point, 91 bytes). */
export function spkiFromP256(publicKey65: Uint8Array): Uint8Array<ArrayBuffer> {
  checkP256Point(publicKey65);
  return concatBytes(P256_SPKI_PREFIX, publicKey65);
}

function checkP256Point(publicKey65: Uint8Array): void {
  if (!(publicKey65 instanceof Uint8Array) || publicKey65.length !== 65 || publicKey65[0] !== 0x04) {
    throw new TypeError('"publicKey65" expected a 65-byte uncompressed P-256 point (0x04 ‖ x ‖ y)');
  }
  if (!curves().p256.utils.isValidPublicKey(publicKey65, false)) throw new TypeError('"publicKey65" is not a point on P-256');
}

/**
 * COSE_Key for an Ed25519 public key (RFC 9053 §7.2 OKP), keys in CTAP2 canonical order 1, 3, -1, -2:
 * kty 1 (OKP), alg -8 (EdDSA), crv 6 (Ed25519), x (the 32-byte public key). §5.8.5: alg -8 needs crv 6.
 * @param publicKey32 the RFC 8032 encoded public key
 */
export function encodeCoseKeyEd25519(publicKey32: Uint8Array): Uint8Array<ArrayBuffer> {
  checkEd25519PublicKey(publicKey32);
  return encodeCBOR(
    new Map<number, number | Uint8Array>([
      [KTY, KTY_OKP],
      [ALG, COSE_ALG_EDDSA],
      [CRV, CRV_ED25519],
      [X, publicKey32],
    ]),
  );
}

// DER of SEQUENCE { SEQUENCE { OID 1.3.101.112 (id-Ed25519) }, BIT STRING (33 bytes: 0 unused bits ‖ key) }
// up to the key itself (RFC 8410 §4).
const ED25519_SPKI_PREFIX = Uint8Array.from([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]);

/** DER SubjectPublicKeyInfo of an Ed25519 public key (12-byte prefix ‖ key, 44 bytes). */
export function spkiFromEd25519(publicKey32: Uint8Array): Uint8Array<ArrayBuffer> {
  checkEd25519PublicKey(publicKey32);
  return concatBytes(ED25519_SPKI_PREFIX, publicKey32);
}

function checkEd25519PublicKey(publicKey32: Uint8Array): void {
  if (!(publicKey32 instanceof Uint8Array) || publicKey32.length !== 32) {
    throw new TypeError('"publicKey32" expected a 32-byte Ed25519 public key');
  }
  try {
    curves().ed25519.Point.fromBytes(publicKey32);
  } catch {
    throw new TypeError('"publicKey32" is not a point on Ed25519');
  }
}
