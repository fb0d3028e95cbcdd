// ES256 (ECDSA over P-256 with SHA-256, COSE alg -7) keys and signatures, via @noble/curves v2.
// WebAuthn §6.5.5 "Signature Formats…": ES256 signatures are ASN.1 DER Ecdsa-Sig-Value (RFC 3279 §2.2.3).
import { curves } from '../lazy/load.cjs';

/** A fresh P-256 key pair from the platform CSPRNG. */
export function generateES256KeyPair(): { privateKey: Uint8Array; publicKey: Uint8Array } {
  const privateKey = curves().p256.utils.randomSecretKey();
  return { privateKey, publicKey: curves().p256.getPublicKey(privateKey, false) }; // false: uncompressed, 65 bytes
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
  return curves().p256.sign(message, privateKey, { format: 'der' });
}

// ---- WebCrypto: the background's path (the browser's native P-256, several times faster than JS) ----

const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;

const b64u = (b: Uint8Array) => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64u = (s: string) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

/**
 * A fresh P-256 key pair from WebCrypto (the platform CSPRNG): the 32-byte secret scalar, to be
 * sealed in the vault as generateES256KeyPair's is, and the 65-byte uncompressed public key.
 */
export async function generateES256KeyPairAsync(): Promise<{ privateKey: Uint8Array; publicKey: Uint8Array }> {
  const pair = await crypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const jwk = await crypto.subtle.exportKey('jwk', pair.privateKey);
  if (!jwk.d || !jwk.x || !jwk.y) throw new Error('WebCrypto gave an incomplete P-256 key');
  const x = unb64u(jwk.x), y = unb64u(jwk.y);
  const publicKey = new Uint8Array(65);
  publicKey[0] = 0x04;
  publicKey.set(x, 1);
  publicKey.set(y, 33);
  return { privateKey: unb64u(jwk.d), publicKey };
}

/**
 * The passkey's private key as a non-extractable WebCrypto key (it can sign, and nothing can read
 * it back out). JWK import needs the public point too: the 65-byte uncompressed key stored with it.
 * WebCrypto refuses a scalar that does not match the point (DataError).
 */
export async function importES256PrivateKey(privateKey: Uint8Array, publicKey: Uint8Array): Promise<CryptoKey> {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) throw new TypeError('"privateKey" expected a 32-byte P-256 secret key');
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 65 || publicKey[0] !== 0x04) throw new TypeError('"publicKey" expected a 65-byte uncompressed P-256 point');
  const jwk: JsonWebKey = { kty: 'EC', crv: 'P-256', d: b64u(privateKey), x: b64u(publicKey.subarray(1, 33)), y: b64u(publicKey.subarray(33)), ext: false };
  return crypto.subtle.importKey('jwk', jwk, ALG, false, ['sign']);
}

/**
 * DER ECDSA signature of SHA-256(message) with a WebCrypto key (random nonce). WebCrypto returns the
 * raw r ‖ s (IEEE P1363); WebAuthn §6.5.5 wants ASN.1 DER, in low-S form as signES256 gives.
 */
export async function signES256WithKey(key: CryptoKey, message: Uint8Array): Promise<Uint8Array> {
  if (!(message instanceof Uint8Array)) throw new TypeError('"message" expected Uint8Array');
  const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, message as Uint8Array<ArrayBuffer>));
  return p1363ToDer(raw);
}

/**
 * r ‖ s (32 bytes each) -> DER Ecdsa-Sig-Value (RFC 3279 §2.2.3), with s replaced by n - s when it
 * is above n/2 (both verify; low-S is the form every verifier accepts, and what noble produces).
 */
export function p1363ToDer(sig: Uint8Array): Uint8Array {
  if (!(sig instanceof Uint8Array) || sig.length !== 64) throw new TypeError('"sig" expected 64 bytes r ‖ s');
  let s = toBigInt(sig.subarray(32));
  if (s > P256_N >> 1n) s = P256_N - s;
  const r = derInteger(sig.subarray(0, 32));
  const sDer = derInteger(fromBigInt(s));
  const out = new Uint8Array(2 + r.length + sDer.length);
  out[0] = 0x30;
  out[1] = r.length + sDer.length; // at most 70: one length byte
  out.set(r, 2);
  out.set(sDer, 2 + r.length);
  return out;
}

function toBigInt(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

function fromBigInt(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
  return out;
}

/** A DER INTEGER of an unsigned big-endian value: minimal length, a 0x00 first if the top bit is set. */
function derInteger(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const body = b.subarray(i);
  const pad = body[0]! & 0x80 ? 1 : 0;
  const out = new Uint8Array(2 + pad + body.length);
  out[0] = 0x02;
  out[1] = pad + body.length;
  out.set(body, 2 + pad);
  return out;
}
