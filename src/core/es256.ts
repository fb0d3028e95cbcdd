// ES256 (ECDSA over P-256 with SHA-256, COSE alg -7) keys and signatures, via @noble/curves v2.
// WebAuthn §6.5.5 "Signature Formats…": ES256 signatures are ASN.1 DER Ecdsa-Sig-Value (RFC 3279 §2.2.3).
import { p256 } from '@noble/curves/nist.js';

/** A fresh P-256 key pair from the platform CSPRNG. */
export function generateES256KeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const privateKey = p256.utils.randomSecretKey();
  return { privateKey, publicKey: p256.getPublicKey(privateKey, false) }; // false: uncompressed, 65 bytes
}

/**
 * DER ECDSA signature of SHA-256(message).
 * noble v2 defaults, relied on here: `prehash: true` (it hashes the message itself, so pass the
 * unhashed authenticatorData ‖ clientDataHash), `lowS: true` (s ≤ n/2, which every verifier
 * accepts), and deterministic nonces (RFC 6979, no extra entropy).
 */
export function signES256(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
    throw new TypeError('"privateKey" expected a 32-byte P-256 secret key');
  }
  if (!(message instanceof Uint8Array)) throw new TypeError('"message" expected Uint8Array');
  return p256.sign(message, privateKey, { format: 'der' });
}
