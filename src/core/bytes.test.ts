import { test } from 'node:test';
import assert from 'node:assert/strict';
import { concatBytes, equalBytes, randomBytes, utf8 } from './bytes.js';

test('concatBytes joins parts in order into a new array', () => {
  const a = Uint8Array.from([1, 2]);
  const out = concatBytes(a, new Uint8Array(0), Uint8Array.from([3]));
  assert.deepEqual(out, Uint8Array.from([1, 2, 3]));
  out[0] = 9;
  assert.equal(a[0], 1);
  assert.deepEqual(concatBytes(), new Uint8Array(0));
  assert.throws(() => concatBytes([1] as unknown as Uint8Array), TypeError);
});

test('equalBytes compares length and content', () => {
  assert.equal(equalBytes(Uint8Array.from([1, 2]), Uint8Array.from([1, 2])), true);
  assert.equal(equalBytes(Uint8Array.from([1, 2]), Uint8Array.from([1, 3])), false);
  assert.equal(equalBytes(Uint8Array.from([1, 2]), Uint8Array.from([1])), false);
  assert.equal(equalBytes(new Uint8Array(0), new Uint8Array(0)), true);
});

test('utf8 encodes BMP and astral characters', () => {
  assert.deepEqual(utf8('example.org'), new TextEncoder().encode('example.org'));
  assert.deepEqual(utf8('é🔑'), Uint8Array.from([0xc3, 0xa9, 0xf0, 0x9f, 0x94, 0x91]));
});

test('utf8 refuses lone surrogates instead of replacing them', () => {
  assert.throws(() => utf8('a\ud800b'), TypeError);
  assert.throws(() => utf8('\udfff'), TypeError);
});

test('randomBytes returns n fresh bytes, beyond the 65536-byte getRandomValues limit too', () => {
  assert.equal(randomBytes(0).length, 0);
  assert.equal(randomBytes(16).length, 16);
  assert.notDeepEqual(randomBytes(16), randomBytes(16));
  const big = randomBytes(70000);
  assert.equal(big.length, 70000);
  assert.ok(big.subarray(65536).some((b) => b !== 0));
  assert.throws(() => randomBytes(-1), RangeError);
  assert.throws(() => randomBytes(1.5), RangeError);
});
