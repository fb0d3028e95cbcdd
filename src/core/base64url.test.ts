import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBase64url, toBase64url } from './base64url.js';
import { hex } from './_webauthnTestVectors.js';

const ascii = (s: string) => new TextEncoder().encode(s);

test('encodes the RFC 4648 §10 vectors without padding', () => {
  const vectors: [string, string][] = [
    ['', ''], ['f', 'Zg'], ['fo', 'Zm8'], ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'], ['fooba', 'Zm9vYmE'], ['foobar', 'Zm9vYmFy'],
  ];
  for (const [plain, encoded] of vectors) {
    assert.equal(toBase64url(ascii(plain)), encoded);
    assert.deepEqual(fromBase64url(encoded), ascii(plain));
  }
});

test('uses the URL-safe alphabet', () => {
  assert.equal(toBase64url(Uint8Array.from([0xfb, 0xff, 0xbf])), '-_-_');
  assert.deepEqual(fromBase64url('-_-_'), Uint8Array.from([0xfb, 0xff, 0xbf]));
});

test('matches the spec §16.2 extraData_random pair', () => {
  // extraData_random = h'06441e0e375c4c1ad70620302532c4e5' = b64'BkQeDjdcTBrXBiAwJTLE5Q'
  assert.equal(toBase64url(hex('06441e0e375c4c1ad70620302532c4e5')), 'BkQeDjdcTBrXBiAwJTLE5Q');
});

test('round-trips every length from 0 to 300 and agrees with Node', () => {
  for (let n = 0; n <= 300; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
    const encoded = toBase64url(bytes);
    assert.equal(encoded, Buffer.from(bytes).toString('base64url'));
    assert.deepEqual(fromBase64url(encoded), bytes);
  }
});

test('returns a plain Uint8Array', () => {
  assert.equal(fromBase64url('Zm9v').constructor, Uint8Array);
});

test('refuses characters outside the base64url alphabet', () => {
  for (const bad of ['Zm9v+A', 'Zm9v/A', 'Zm 9v', 'Zm9v\n', 'Zm9é', 'Zm.v']) {
    assert.throws(() => fromBase64url(bad), TypeError, JSON.stringify(bad));
  }
});

test('refuses "=" padding', () => {
  assert.throws(() => fromBase64url('Zg=='), TypeError);
  assert.throws(() => fromBase64url('Zm8='), TypeError);
});

test('refuses impossible lengths (1 mod 4)', () => {
  assert.throws(() => fromBase64url('A'), /impossible length/);
  assert.throws(() => fromBase64url('Zm9vY'), /impossible length/);
});

test('refuses non-canonical trailing bits', () => {
  assert.throws(() => fromBase64url('Zh'), /trailing bits/); // 'f' is Zg
  assert.throws(() => fromBase64url('Zm9'), /trailing bits/); // 'fo' is Zm8
});

test('refuses non-string and non-bytes input', () => {
  assert.throws(() => fromBase64url(42 as unknown as string), TypeError);
  assert.throws(() => toBase64url([1, 2] as unknown as Uint8Array), TypeError);
});
