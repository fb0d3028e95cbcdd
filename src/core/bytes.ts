// Small byte helpers shared by the WebAuthn core. No dependencies; runs in Node and in browsers.

/** Concatenate byte arrays into one new array (used for authenticatorData ‖ clientDataHash, §6.3.3 step 11). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  let length = 0;
  for (const [i, part] of parts.entries()) {
    if (!(part instanceof Uint8Array)) throw new TypeError(`"parts[${i}]" expected Uint8Array`);
    length += part.length;
  }
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Byte-wise equality. The loop does not stop at the first difference, so equal-length inputs take
 * the same time whatever their contents; a length difference returns at once.
 */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

// A lone UTF-16 surrogate is the only thing in a JS string that has no UTF-8 encoding.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * UTF-8 encoding of a string. Throws TypeError on a lone surrogate instead of silently replacing it
 * with U+FFFD (as TextEncoder would), so two different strings never give the same bytes.
 */
export function utf8(s: string): Uint8Array<ArrayBuffer> {
  if (typeof s !== 'string') throw new TypeError('"s" expected string');
  if (LONE_SURROGATE.test(s)) throw new TypeError('"s" contains a lone surrogate, which has no UTF-8 encoding');
  return new TextEncoder().encode(s);
}

/** n bytes from the platform CSPRNG (globalThis.crypto.getRandomValues, in browsers and Node 20+). */
export function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`"n" expected a non-negative integer, got ${n}`);
  const out = new Uint8Array(n);
  // getRandomValues fills at most 65536 bytes per call.
  for (let i = 0; i < n; i += 65536) globalThis.crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}
