import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { COSE_ALG_EDDSA, COSE_ALG_ES256, encodeCoseKeyEd25519, encodeCoseKeyES256, spkiFromEd25519, spkiFromP256 } from './cose.js';
import { decodeCBOR } from './cbor.js';
import { LONG_CREDENTIAL_ID, NONE_ES256, PACKED_EDDSA, TOP_ORIGIN_VECTOR, hex, toHex } from './_webauthnTestVectors.js';

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

test('encodes the Ed25519 credential public key of the spec §16.11 vector byte for byte', () => {
  const publicKey = ed25519.getPublicKey(hex(PACKED_EDDSA.registration.credentialPrivateKey));
  const cose = toHex(encodeCoseKeyEd25519(publicKey));
  // a4 01 01 03 27 20 06 21 58 20 x: 42 bytes, the end of authData and of the attestation object.
  assert.equal(cose, `a401010327200621582044e06ddd331c36a8dc667bab52bcae63486c916aa5e339e6acebaa84934bf832`);
  assert.equal(cose, `a4010103272006215820${toHex(publicKey)}`);
  assert.ok(PACKED_EDDSA.registration.attestationObject.endsWith(cose));
});

test('Ed25519 COSE key holds kty 1 (OKP), alg -8, crv 6 (Ed25519), x in that order', () => {
  const publicKey = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
  const decoded = decodeCBOR<Map<number, unknown>>(encodeCoseKeyEd25519(publicKey));
  assert.deepEqual([...decoded.entries()], [[1, 1], [3, -8], [-1, 6], [-2, publicKey]]);
});

test('spkiFromEd25519 is 302a300506032b6570032100 plus the key, and Node reads it back', () => {
  const publicKey = ed25519.getPublicKey(hex(PACKED_EDDSA.registration.credentialPrivateKey));
  const spki = spkiFromEd25519(publicKey);
  assert.equal(spki.length, 44);
  assert.equal(toHex(spki.subarray(0, 12)), '302a300506032b6570032100');
  assert.deepEqual(spki.subarray(12), publicKey);
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  assert.equal(key.asymmetricKeyType, 'ed25519');
  assert.deepEqual(b64urlToBytes(key.export({ format: 'jwk' }).x!), publicKey);
  assert.deepEqual(new Uint8Array(key.export({ format: 'der', type: 'spki' })), spki);
});

test('refuses anything but a 32-byte Ed25519 public key', () => {
  const publicKey = ed25519.getPublicKey(ed25519.utils.randomSecretKey());
  // y = 2 is not on the curve (no x satisfies the equation).
  const offCurve = new Uint8Array(32);
  offCurve[0] = 2;
  for (const bad of [publicKey.subarray(0, 31), new Uint8Array(33), p256.keygen().publicKey, offCurve]) {
    assert.throws(() => encodeCoseKeyEd25519(bad), TypeError);
    assert.throws(() => spkiFromEd25519(bad), TypeError);
  }
});
