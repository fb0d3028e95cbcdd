// Reads the private scalar of a P-256 key from PKCS#8 DER (RFC 5208 PrivateKeyInfo wrapping an
// RFC 5915 ECPrivateKey), as the DevTools and Marionette virtual authenticators export keys, and the
// 32-byte seed of an Ed25519 key (RFC 8410 §7: PrivateKeyInfo / OneAsymmetricKey wrapping a CurvePrivateKey).
// A small DER walk rather than WebCrypto's importKey, which refuses some valid encodings
// (Chromium's, for one, refuses ECPrivateKey without the optional public key).

const P256_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07); // 1.2.840.10045.3.1.7
const EC_PUBLIC_KEY_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01); // 1.2.840.10045.2.1
const ED25519_OID = Uint8Array.of(0x2b, 0x65, 0x70); // 1.3.101.112 (id-Ed25519, RFC 8410 §3)

interface Tlv { tag: number; body: Uint8Array; end: number }

function readTlv(der: Uint8Array, at: number): Tlv {
  const tag = der[at];
  let len = der[at + 1];
  if (tag === undefined || len === undefined) throw new TypeError('PKCS#8: truncated');
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 3) throw new TypeError('PKCS#8: unsupported length');
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | (der[p++] ?? 0);
  }
  const end = p + len;
  if (end > der.length) throw new TypeError('PKCS#8: truncated');
  return { tag, body: der.subarray(p, end), end };
}

function children(body: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let at = 0; at < body.length;) { const t = readTlv(body, at); out.push(t); at = t.end; }
  return out;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

function privateKeyInfo(der: Uint8Array): { algorithm: Tlv; privateKey: Tlv } {
  const top = readTlv(der, 0);
  if (top.tag !== 0x30 || top.end !== der.length) throw new TypeError('PKCS#8: not a single SEQUENCE');
  const [version, algorithm, privateKey] = children(top.body);
  if (version?.tag !== 0x02 || algorithm?.tag !== 0x30 || privateKey?.tag !== 0x04) throw new TypeError('PKCS#8: not a PrivateKeyInfo');
  return { algorithm, privateKey };
}

export function p256PrivateKeyFromPkcs8(der: Uint8Array): Uint8Array {
  const { algorithm, privateKey } = privateKeyInfo(der);
  const [oid, curve] = children(algorithm.body);
  if (!oid || !same(oid.body, EC_PUBLIC_KEY_OID) || !curve || !same(curve.body, P256_OID)) throw new TypeError('PKCS#8: not a P-256 key');
  const ec = readTlv(privateKey.body, 0);
  const [ecVersion, d] = ec.tag === 0x30 ? children(ec.body) : [];
  if (ecVersion?.tag !== 0x02 || d?.tag !== 0x04 || d.body.length !== 32) throw new TypeError('PKCS#8: not an ECPrivateKey with a 32-byte scalar');
  return d.body.slice();
}

/**
 * The 32-byte seed of an Ed25519 PKCS#8 key: AlgorithmIdentifier is the OID 1.3.101.112 with no
 * parameters (RFC 8410 §3), and privateKey holds CurvePrivateKey ::= OCTET STRING (§7). Version 1
 * (OneAsymmetricKey, RFC 5958) with the optional public key is accepted; that key is not read.
 */
export function ed25519PrivateKeyFromPkcs8(der: Uint8Array): Uint8Array {
  const { algorithm, privateKey } = privateKeyInfo(der);
  const [oid, params] = children(algorithm.body);
  if (oid?.tag !== 0x06 || !same(oid.body, ED25519_OID) || params) throw new TypeError('PKCS#8: not an Ed25519 key');
  const seed = readTlv(privateKey.body, 0);
  if (seed.tag !== 0x04 || seed.end !== privateKey.body.length || seed.body.length !== 32) {
    throw new TypeError('PKCS#8: not a CurvePrivateKey with a 32-byte seed');
  }
  return seed.body.slice();
}
