// EdDSA with Ed25519 (COSE alg -8, crv 6) keys and signatures, via @noble/curves v2.
// WebAuthn §6.5.5 "Signature Formats…": an EdDSA signature is the raw 64-byte R ‖ S of RFC 8032
// (no DER), over the message itself (pure EdDSA: no prehash, no context).
import { curves } from '../lazy/load.cjs';

/** A fresh Ed25519 key pair: the 32-byte secret seed (RFC 8032 §5.1.5) and the 32-byte public key. */
export function generateEd25519KeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const privateKey = curves().ed25519.utils.randomSecretKey();
  return { privateKey, publicKey: curves().ed25519.getPublicKey(privateKey) };
}

/** The 32-byte public key of a 32-byte Ed25519 seed. */
export function ed25519PublicKey(privateKey: Uint8Array): Uint8Array {
  checkSeed(privateKey);
  return curves().ed25519.getPublicKey(privateKey);
}

/** 64-byte pure EdDSA signature of `message` (pass authenticatorData ‖ clientDataHash, unhashed). */
export function signEd25519(privateKey: Uint8Array, message: Uint8Array): Uint8Array {
  checkSeed(privateKey);
  if (!(message instanceof Uint8Array)) throw new TypeError('"message" expected Uint8Array');
  return curves().ed25519.sign(message, privateKey);
}

function checkSeed(privateKey: Uint8Array): void {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
    throw new TypeError('"privateKey" expected a 32-byte Ed25519 secret seed');
  }
}
