// Reads the private scalar of a P-256 key from PKCS#8 DER (RFC 5208 PrivateKeyInfo wrapping an
// RFC 5915 ECPrivateKey), as the DevTools and Marionette virtual authenticators export keys.
// A small DER walk rather than WebCrypto's importKey, which refuses some valid encodings
// (Chromium's, for one, refuses ECPrivateKey without the optional public key).

const P256_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07); // 1.2.840.10045.3.1.7
const EC_PUBLIC_KEY_OID = Uint8Array.of(0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01); // 1.2.840.10045.2.1

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

export function p256PrivateKeyFromPkcs8(der: Uint8Array): Uint8Array {
  const top = readTlv(der, 0);
  if (top.tag !== 0x30 || top.end !== der.length) throw new TypeError('PKCS#8: not a single SEQUENCE');
  const [version, algorithm, privateKey] = children(top.body);
  if (version?.tag !== 0x02 || algorithm?.tag !== 0x30 || privateKey?.tag !== 0x04) throw new TypeError('PKCS#8: not a PrivateKeyInfo');
  const [oid, curve] = children(algorithm.body);
  if (!oid || !same(oid.body, EC_PUBLIC_KEY_OID) || !curve || !same(curve.body, P256_OID)) throw new TypeError('PKCS#8: not a P-256 key');
  const ec = readTlv(privateKey.body, 0);
  const [ecVersion, d] = ec.tag === 0x30 ? children(ec.body) : [];
  if (ecVersion?.tag !== 0x02 || d?.tag !== 0x04 || d.body.length !== 32) throw new TypeError('PKCS#8: not an ECPrivateKey with a 32-byte scalar');
  return d.body.slice();
}
