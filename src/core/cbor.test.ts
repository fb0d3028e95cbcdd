import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCBOR, decodeFirstCBOR, encodeCBOR } from './cbor.js';
import { hex, toHex } from './_webauthnTestVectors.js';

const x = Uint8Array.from({ length: 32 }, (_, i) => i);
const y = Uint8Array.from({ length: 32 }, (_, i) => 0xff - i);
const coseKey = () => new Map<number, unknown>([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, y]]);

test('encodes a COSE EC2 key Map byte for byte, keys in the given order', () => {
  // Hand-checked (RFC 8949): a5 = map(5); 01 02 = 1:2; 03 26 = 3:-7; 20 01 = -1:1;
  // 21 5820 <32 bytes> = -2:bstr(32); 22 5820 <32 bytes> = -3:bstr(32).
  const expected = 'a5' + '0102' + '0326' + '2001' + '215820' + toHex(x) + '225820' + toHex(y);
  assert.equal(toHex(encodeCBOR(coseKey())), expected);
});

test('encodes Uint8Array as a plain byte string, never tag 64', () => {
  assert.equal(toHex(encodeCBOR(Uint8Array.from([1, 2, 3]))), '43010203');
  assert.equal(toHex(encodeCBOR(new Uint8Array(24))), '5818' + '00'.repeat(24));
});

test('encodes text-keyed Maps and objects with the smallest map header', () => {
  // {"fmt": "none", "attStmt": {}} — the start of a none attestation object (§16.2).
  const expected = 'a2' + '63666d74' + '646e6f6e65' + '6761747453746d74' + 'a0';
  assert.equal(toHex(encodeCBOR(new Map<string, unknown>([['fmt', 'none'], ['attStmt', new Map()]]))), expected);
  assert.equal(toHex(encodeCBOR({ fmt: 'none', attStmt: {} })), expected);
});

test('returns independent copies, not views of a shared buffer', () => {
  const first = encodeCBOR(coseKey());
  const snapshot = toHex(first);
  encodeCBOR(new Map([[1, new Uint8Array(500).fill(7)]]));
  assert.equal(toHex(first), snapshot);
  assert.equal(first.byteOffset, 0);
  assert.equal(first.buffer.byteLength, first.length);
});

test('decodes maps as Maps and byte strings as plain, copied Uint8Arrays', () => {
  const bytes = encodeCBOR(coseKey());
  const decoded = decodeCBOR<Map<number, unknown>>(bytes);
  assert.ok(decoded instanceof Map);
  assert.deepEqual([...decoded.keys()], [1, 3, -1, -2, -3]);
  const dx = decoded.get(-2) as Uint8Array;
  assert.equal(dx.constructor, Uint8Array);
  assert.deepEqual(dx, x);
  bytes.fill(0);
  assert.deepEqual(dx, x, 'decoded bytes must not alias the input');
  assert.deepEqual(decodeCBOR(hex('a1016161')), new Map([[1, 'a']]));
});

test('decodeCBOR refuses empty, truncated and trailing input', () => {
  assert.throws(() => decodeCBOR(new Uint8Array(0)));
  assert.throws(() => decodeCBOR(hex('a201')));
  assert.throws(() => decodeCBOR(hex('a0a0')));
});

test('decodeFirstCBOR reports the length of the first item only', () => {
  const key = encodeCBOR(coseKey());
  const withTail = Uint8Array.from([...key, 0xa1, 0x61, 0x61, 0x01]);
  const { value, length } = decodeFirstCBOR<Map<number, unknown>>(withTail);
  assert.equal(length, key.length);
  assert.deepEqual(value, coseKey());
  assert.equal(decodeFirstCBOR(hex('590483' + '00'.repeat(0x483))).length, 3 + 0x483);
  assert.equal(decodeFirstCBOR(hex('c11a00000000ff')).length, 6); // tag 1 + uint32
  assert.equal(decodeFirstCBOR(hex('fb3ff0000000000000')).length, 9); // float64
});

test('decodeFirstCBOR refuses truncated and indefinite-length items', () => {
  assert.throws(() => decodeFirstCBOR(new Uint8Array(0)), /end of CBOR/);
  assert.throws(() => decodeFirstCBOR(hex('5820' + '00'.repeat(31))), /end of CBOR/);
  assert.throws(() => decodeFirstCBOR(hex('a2010203')), /end of CBOR/);
  assert.throws(() => decodeFirstCBOR(hex('bf0102ff')), /indefinite/);
});
