// base64url (RFC 4648 §5) without padding, as WebAuthn uses it: "Base64url Encoding … with all
// trailing '=' characters omitted" (https://w3c.github.io/webauthn/#base64url-encoding).
//
// Decoding is strict, so that every byte string has exactly one accepted text form (credential IDs
// and user handles are compared as strings elsewhere):
// - '=' padding is refused: the WebAuthn *JSON types never carry it, so its presence means the
//   value came from somewhere else (plain base64 or a buggy encoder).
// - '+', '/', whitespace and every other character outside A–Z a–z 0–9 '-' '_' are refused.
// - a length of 1 mod 4 is refused (no byte string encodes to it).
// - unused trailing bits must be zero (RFC 4648 §3.5 allows decoders to refuse otherwise).

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUES = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));

/** Encode bytes as unpadded base64url. */
export function toBase64url(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" expected Uint8Array');
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let j = 0; j < chars; j++) out += ALPHABET[(n >> (18 - 6 * j)) & 63];
  }
  return out;
}

/** Decode unpadded base64url; throws TypeError on anything that is not its canonical form. */
export function fromBase64url(s: string): Uint8Array<ArrayBuffer> {
  if (typeof s !== 'string') throw new TypeError('"s" expected string');
  if (s.length % 4 === 1) throw new TypeError(`base64url string has impossible length ${s.length}`);
  const out = new Uint8Array(Math.floor((s.length * 6) / 8));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < s.length; i++) {
    const v = VALUES.get(s[i]!);
    if (v === undefined) throw new TypeError(`invalid base64url character at index ${i}`);
    acc = ((acc << 6) | v) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0) throw new TypeError('base64url string has non-zero trailing bits');
  return out;
}
