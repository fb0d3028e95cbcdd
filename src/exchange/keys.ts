// Private keys as other managers write them: PKCS#8 DER (CXF §"Passkey" `key`, Bitwarden's
// keyValue) and PKCS#8 PEM (KeePassXC's KPEX_PASSKEY_PRIVATE_KEY_PEM, Botan's PKCS8::PEM_encode).
// Latchkey keeps the raw 32-byte secret (P-256 scalar for ES256, Ed25519 seed for EdDSA), so this
// module turns one into the other and proves that a key is a real key of its curve.
import { fromBase64url, toBase64url } from '../core/base64url.js';
import { ed25519PrivateKeyFromPkcs8, p256PrivateKeyFromPkcs8 } from '../core/pkcs8.js';
import { curves } from '../lazy/load.cjs';

/** COSE algorithm identifiers Latchkey signs with (RFC 9053): ES256 and EdDSA over Ed25519. */
export type Alg = -7 | -8;

// DER pieces (X.690 §8.1.3): short-form length below 128, else 0x81 and one byte (keys stay under 256).
const tlv = (tag: number, ...parts: Uint8Array[]): Uint8Array => {
  const body = concat(...parts);
  if (body.length > 255) throw new RangeError('DER: longer than this module writes');
  return concat(body.length < 128 ? Uint8Array.of(tag, body.length) : Uint8Array.of(tag, 0x81, body.length), body);
};
const EC_PUBLIC_KEY = Uint8Array.of(0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01); // 1.2.840.10045.2.1
const P256 = Uint8Array.of(0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07); // 1.2.840.10045.3.1.7
const ED25519 = Uint8Array.of(0x06, 0x03, 0x2b, 0x65, 0x70); // 1.3.101.112 (RFC 8410 §3)
const INTEGER_0 = Uint8Array.of(0x02, 0x01, 0x00);
const INTEGER_1 = Uint8Array.of(0x02, 0x01, 0x01);

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/**
 * PKCS#8 PrivateKeyInfo (RFC 5208/5958) for the raw secret. P-256: an RFC 5915 ECPrivateKey with
 * the public key (as OpenSSL and Botan write it, and as WebCrypto's importKey wants it in
 * Chromium); Ed25519: RFC 8410 §7 CurvePrivateKey.
 */
export function pkcs8FromSecret(alg: Alg, secret: Uint8Array, publicKey?: Uint8Array): Uint8Array {
  if (alg === -8) return tlv(0x30, INTEGER_0, tlv(0x30, ED25519), tlv(0x04, tlv(0x04, secret)));
  // The stored public key when the caller has it (the vault checked it belongs to the secret):
  // deriving it again is the slow part of exporting thousands of passkeys.
  const point = publicKey?.length === 65 && publicKey[0] === 0x04 ? publicKey : curves().p256.getPublicKey(secret, false);
  const ecPrivateKey = tlv(0x30, INTEGER_1, tlv(0x04, secret), tlv(0xa1, tlv(0x03, Uint8Array.of(0), point)));
  return tlv(0x30, INTEGER_0, tlv(0x30, EC_PUBLIC_KEY, P256), tlv(0x04, ecPrivateKey));
}

/** Which curve a PKCS#8 key is on and its raw secret; throws a TypeError for anything else (RSA, other curves, junk). */
export function secretFromPkcs8(der: Uint8Array): { alg: Alg; secret: Uint8Array } {
  try {
    return { alg: -7, secret: p256PrivateKeyFromPkcs8(der) };
  } catch {
    try {
      return { alg: -8, secret: ed25519PrivateKeyFromPkcs8(der) };
    } catch {
      throw new TypeError('not a PKCS#8 P-256 or Ed25519 private key');
    }
  }
}

/**
 * The public key Latchkey stores for a secret (uncompressed P-256 point, or the 32-byte Ed25519
 * key), which also proves the secret is a valid key: a P-256 scalar of 0 or >= n is refused.
 */
export function publicKeyOf(alg: Alg, secret: Uint8Array): Uint8Array {
  if (secret.length !== 32) throw new TypeError('the private key must be 32 bytes');
  return alg === -8 ? curves().ed25519.getPublicKey(secret) : curves().p256.getPublicKey(secret, false);
}

/** RFC 7468 §10 "PRIVATE KEY" PEM, 64 characters a line, as Botan's PKCS8::PEM_encode writes it. */
export function pemFromPkcs8(der: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...der));
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

/** The DER inside a "PRIVATE KEY" PEM (whitespace and CRLF tolerated); throws a TypeError otherwise. */
export function pkcs8FromPem(pem: string): Uint8Array {
  const m = /-----BEGIN PRIVATE KEY-----([\s\S]*?)-----END PRIVATE KEY-----/.exec(pem);
  if (!m) throw new TypeError('not a PEM "PRIVATE KEY"');
  return lenientBase64(m[1]!.replace(/\s+/g, ''));
}

/** base64 or base64url, padded or not. @throws TypeError */
export function lenientBase64(s: string): Uint8Array {
  return fromBase64url(s.replace(/=+$/, '').replaceAll('+', '-').replaceAll('/', '_'));
}

export { fromBase64url, toBase64url };
