import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { COSE_ALG_EDDSA, COSE_ALG_ES256, encodeCoseKeyES256, spkiFromP256 } from './cose.js';
import { decodeCBOR } from './cbor.js';
import { LONG_CREDENTIAL_ID, NONE_ES256, TOP_ORIGIN_VECTOR, hex, toHex } from './_webauthnTestVectors.js';

const b64urlToBytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));

test('COSE algorithm identifiers', () => {
  assert.equal(COSE_ALG_ES256, -7);
  assert.equal(COSE_ALG_EDDSA, -8);
});

test('encodes the credential public keys of the spec §16 vectors byte for byte', () => {
  for (const v of [NONE_ES256, TOP_ORIGIN_VECTOR, LONG_CREDENTIAL_ID]) {
    const publicKey = p256.getPublicKey(hex(v.registration.credentialPrivateKey), false);
    const cose = toHex(encodeCoseKeyES256(publicKey));
    // The COSE key is the last 77 bytes of the attestation object (authData ends with it).
    assert.equal(cose.length, 77 * 2);
    assert.ok(v.registration.attestationObject.endsWith(cose));
  }
});

test('COSE key holds kty 2, alg -7, crv 1, x, y in that order', () => {
  const { publicKey } = p256.keygen();
  const point = p256.Point.fromBytes(publicKey).toBytes(false);
  const decoded = decodeCBOR<Map<number, unknown>>(encodeCoseKeyES256(point));
  assert.deepEqual([...decoded.entries()], [
    [1, 2], [3, -7], [-1, 1], [-2, point.slice(1, 33)], [-3, point.slice(33)],
  ]);
});

test('spkiFromP256 is the 26-byte prefix plus the point, and Node reads it back', () => {
  const publicKey = p256.getPublicKey(hex(NONE_ES256.registration.credentialPrivateKey), false);
  const spki = spkiFromP256(publicKey);
  assert.equal(spki.length, 91);
  assert.equal(toHex(spki.subarray(0, 26)), '3059301306072a8648ce3d020106082a8648ce3d030107034200');
  assert.deepEqual(spki.subarray(26), publicKey);
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  assert.equal(key.asymmetricKeyType, 'ec');
  assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
  const jwk = key.export({ format: 'jwk' });
  assert.deepEqual(b64urlToBytes(jwk.x!), publicKey.slice(1, 33));
  assert.deepEqual(b64urlToBytes(jwk.y!), publicKey.slice(33));
  assert.deepEqual(new Uint8Array(key.export({ format: 'der', type: 'spki' })), spki);
});

test('refuses anything but an uncompressed point on P-256', () => {
  const { publicKey: compressed } = p256.keygen();
  const uncompressed = p256.Point.fromBytes(compressed).toBytes(false);
  const offCurve = uncompressed.slice();
  offCurve[64] = offCurve[64]! ^ 1;
  for (const bad of [compressed, uncompressed.subarray(0, 64), offCurve, new Uint8Array(65)]) {
    assert.throws(() => encodeCoseKeyES256(bad), TypeError);
    assert.throws(() => spkiFromP256(bad), TypeError);
  }
});
