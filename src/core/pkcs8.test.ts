import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { fromBase64url } from './base64url';
import { ed25519PrivateKeyFromPkcs8, p256PrivateKeyFromPkcs8 } from './pkcs8';

test('reads the scalar of a P-256 PKCS#8 key made by an independent implementation (Node/OpenSSL)', () => {
  for (let i = 0; i < 5; i++) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const jwk = privateKey.export({ format: 'jwk' });
    assert.deepEqual(p256PrivateKeyFromPkcs8(new Uint8Array(der)), fromBase64url(jwk.d!));
  }
});

test('refuses other curves and malformed input', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  assert.throws(() => p256PrivateKeyFromPkcs8(new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }))), /not a P-256 key/);
  const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
  assert.throws(() => p256PrivateKeyFromPkcs8(new Uint8Array(ed)), TypeError);
  assert.throws(() => p256PrivateKeyFromPkcs8(Uint8Array.of(0x30, 0x05, 1)), /truncated/);
});

test('reads the 32-byte seed of an Ed25519 PKCS#8 key made by Node/OpenSSL (OID 1.3.101.112)', () => {
  for (let i = 0; i < 5; i++) {
    const { privateKey } = generateKeyPairSync('ed25519');
    const der = new Uint8Array(privateKey.export({ format: 'der', type: 'pkcs8' }));
    assert.equal(Buffer.from(der.subarray(0, 16)).toString('hex'), '302e020100300506032b657004220420');
    assert.deepEqual(ed25519PrivateKeyFromPkcs8(der), fromBase64url(privateKey.export({ format: 'jwk' }).d!));
  }
});

test('reads the RFC 8410 §10.3 examples: version 0, and version 1 with attributes and the public key', () => {
  const seed = 'd4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842';
  const v0 = Buffer.from(`302e020100300506032b657004220420${seed}`, 'hex');
  assert.equal(Buffer.from(ed25519PrivateKeyFromPkcs8(new Uint8Array(v0))).toString('hex'), seed);
  const v1 = Buffer.from(
    '3072020101300506032b657004220420d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842' +
    'a01f301d060a2a864886f70d01091401310f0c0d437572646c6520436861697273' +
    '81210019bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1', 'hex');
  assert.equal(Buffer.from(ed25519PrivateKeyFromPkcs8(new Uint8Array(v1))).toString('hex'), seed);
});

test('refuses P-256, Ed448 and X25519 keys as Ed25519, and Ed25519 keys as P-256', () => {
  const p256Der = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' });
  assert.throws(() => ed25519PrivateKeyFromPkcs8(new Uint8Array(p256Der)), /not an Ed25519 key/);
  for (const type of ['ed448', 'x25519'] as const) {
    const der = generateKeyPairSync(type as 'ed448').privateKey.export({ format: 'der', type: 'pkcs8' });
    assert.throws(() => ed25519PrivateKeyFromPkcs8(new Uint8Array(der)), /not an Ed25519 key/);
  }
  const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
  assert.throws(() => p256PrivateKeyFromPkcs8(new Uint8Array(ed)), /not a P-256 key/);
  // A 31-byte seed, and trailing bytes.
  assert.throws(() => ed25519PrivateKeyFromPkcs8(Uint8Array.from(Buffer.from(`302d020100300506032b65700421041f${'11'.repeat(31)}`, 'hex'))), /32-byte seed/);
  assert.throws(() => ed25519PrivateKeyFromPkcs8(Uint8Array.from(Buffer.concat([new Uint8Array(ed), Buffer.of(0)]))), /single SEQUENCE/);
});
