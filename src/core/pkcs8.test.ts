import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { fromBase64url } from './base64url';
import { p256PrivateKeyFromPkcs8 } from './pkcs8';

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
