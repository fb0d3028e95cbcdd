// The only module that uses cbor-x (loaded through src/lazy/load.cjs). WebAuthn needs CBOR for the attestation object (§6.5.4),
// COSE keys (§6.5.1.1) and authenticator extension outputs (§9).
//
// What any CBOR library must do here (as in SimpleWebAuthn's isoCBOR):
// - CBOR maps decode to JS Maps (COSE keys have integer keys): `mapsAsObjects: false`.
// - Uint8Array encodes as a plain byte string (major type 2), never tag 64: `tagUint8Array: false`.
// - no cbor-x records, packing or structured-clone tags (`useRecords`, `pack`, `structuredClone`
//   all false) and the smallest map header (`variableMapSize: true`), so that Maps and objects
//   encode exactly as CTAP2 canonical CBOR would when their keys are given in canonical order.
//   Keys are written in insertion order: callers choose the order (e.g. COSE 1, 3, -1, -2, -3).
// - decoded byte strings come back as plain, copied Uint8Arrays (cbor-x gives Node Buffers that
//   may share memory with the input).
import type { Decoder, Encoder, Options } from 'cbor-x';
import { cbor } from '../lazy/load.cjs';

const OPTIONS: Options = {
  mapsAsObjects: false,
  tagUint8Array: false,
  useRecords: false,
  pack: false,
  structuredClone: false,
  variableMapSize: true,
  bundleStrings: false,
  useSelfDescribedHeader: false,
};
// Made at first use: cbor-x is loaded lazily (src/lazy/load.cjs).
let encoder: Encoder | undefined;
let decoder: Decoder | undefined;

/** Encode a value (Map, object, array, string, number, Uint8Array…) as CBOR. */
export function encodeCBOR(value: unknown): Uint8Array<ArrayBuffer> {
  // cbor-x returns a view into its reusable buffer: copy it out.
  encoder ??= new (cbor().Encoder)(OPTIONS);
  return new Uint8Array(encoder.encode(value));
}

/** Decode exactly one CBOR item; throws if the input is empty, truncated or has bytes after the item. */
export function decodeCBOR<T>(bytes: Uint8Array): T {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" expected Uint8Array');
  decoder ??= new (cbor().Decoder)(OPTIONS);
  return toPlainBytes(decoder.decode(bytes)) as T;
}

/**
 * Decode the first CBOR item of `bytes` and report how many bytes it used; the rest is left to the
 * caller (authenticator data puts extensions right after the credential public key, §6.1).
 * Indefinite-length items are refused (CTAP2 canonical CBOR never uses them).
 */
export function decodeFirstCBOR<T>(bytes: Uint8Array): { value: T; length: number } {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('"bytes" expected Uint8Array');
  const length = itemEnd(bytes, 0, 0);
  return { value: decodeCBOR<T>(bytes.subarray(0, length)), length };
}

// Offset just past the CBOR data item starting at `pos` (RFC 8949 §3).
function itemEnd(b: Uint8Array, pos: number, depth: number): number {
  if (depth > 32) throw new Error('CBOR nesting too deep');
  const initial = b[pos];
  if (initial === undefined) throw new Error('Unexpected end of CBOR data');
  const major = initial >> 5;
  const info = initial & 0x1f;
  pos += 1;
  let arg = info;
  if (info >= 24 && info <= 27) {
    const size = 1 << (info - 24); // 1, 2, 4 or 8 bytes follow
    if (pos + size > b.length) throw new Error('Unexpected end of CBOR data');
    arg = 0;
    for (let i = 0; i < size; i++) arg = arg * 256 + b[pos + i]!;
    pos += size;
  } else if (info > 27) {
    throw new Error(`Unsupported CBOR additional info ${info} (indefinite length or reserved)`);
  }
  switch (major) {
    case 2: // byte string
    case 3: // text string
      if (pos + arg > b.length) throw new Error('Unexpected end of CBOR data');
      return pos + arg;
    case 4: // array
      for (let i = 0; i < arg; i++) pos = itemEnd(b, pos, depth + 1);
      return pos;
    case 5: // map
      for (let i = 0; i < 2 * arg; i++) pos = itemEnd(b, pos, depth + 1);
      return pos;
    case 6: // tag: one item follows
      return itemEnd(b, pos, depth + 1);
    default: // 0, 1 integers; 7 simple values and floats
      return pos;
  }
}

// Replace every decoded byte string (Buffer in Node) by a copied plain Uint8Array.
function toPlainBytes(value: unknown): unknown {
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof Map) {
    for (const [k, v] of value) value.set(k, toPlainBytes(v));
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toPlainBytes(value[i]);
  }
  return value;
}
