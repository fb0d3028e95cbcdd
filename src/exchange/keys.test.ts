// The PKCS#8 Latchkey writes is what OpenSSL (Node's crypto) reads, and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { fromBase64url } from '../core/base64url.js';
import { generateEd25519KeyPair } from '../core/ed25519.js';
import { generateES256KeyPair } from '../core/es256.js';
import { pemFromPkcs8, pkcs8FromPem, pkcs8FromSecret, publicKeyOf, secretFromPkcs8 } from './keys.js';

const rawPublic = (der: Uint8Array, alg: -7 | -8) => {
  const jwk = createPublicKey(createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })).export({ format: 'jwk' });
  return alg === -8 ? fromBase64url(jwk.x!) : new Uint8Array([4, ...fromBase64url(jwk.x!), ...fromBase64url(jwk.y!)]);
};

test('P-256 and Ed25519 secrets become PKCS#8 that OpenSSL reads, with the same public key', () => {
  for (const [alg, pair] of [[-7, generateES256KeyPair()], [-8, generateEd25519KeyPair()]] as const) {
    const der = pkcs8FromSecret(alg, pair.privateKey);
    assert.deepEqual(rawPublic(der, alg), pair.publicKey);
    assert.deepEqual(secretFromPkcs8(der), { alg, secret: pair.privateKey });
    assert.deepEqual(pkcs8FromPem(pemFromPkcs8(der)), der);
    assert.deepEqual(publicKeyOf(alg, pair.privateKey), pair.publicKey);
  }
});

test('PKCS#8 from OpenSSL is read; RSA and other curves are refused', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' });
  assert.equal(secretFromPkcs8(new Uint8Array(ec)).alg, -7);
  const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'der', type: 'pkcs8' });
  assert.equal(secretFromPkcs8(new Uint8Array(ed)).alg, -8);
  for (const other of [
    generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'der', type: 'pkcs8' }),
    generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'der', type: 'pkcs8' }),
  ]) assert.throws(() => secretFromPkcs8(new Uint8Array(other)), /not a PKCS#8 P-256 or Ed25519/);
});

test('a P-256 scalar of zero or not below the group order is no key', () => {
  assert.throws(() => publicKeyOf(-7, new Uint8Array(32)));
  assert.throws(() => publicKeyOf(-7, new Uint8Array(32).fill(0xff)));
});
