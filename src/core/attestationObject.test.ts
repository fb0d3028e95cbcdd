import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildNoneAttestationObject } from './attestationObject.js';
import { decodeCBOR } from './cbor.js';
import { LONG_CREDENTIAL_ID, NONE_ES256, TOP_ORIGIN_VECTOR, hex, toHex } from './_webauthnTestVectors.js';

test('matches the spec §16 "none" attestation objects byte for byte', () => {
  // §16.2 (164-byte authData), §16.5, and §16.6 (1155-byte authData: a 2-byte bstr length, 0x59 0483).
  for (const v of [NONE_ES256, TOP_ORIGIN_VECTOR, LONG_CREDENTIAL_ID]) {
    const authData = decodeCBOR<Map<string, Uint8Array>>(hex(v.registration.attestationObject)).get('authData')!;
    assert.equal(toHex(buildNoneAttestationObject(authData)), v.registration.attestationObject);
  }
});

test('is the map {fmt: "none", attStmt: {}, authData} in that key order', () => {
  const authData = Uint8Array.from({ length: 37 }, (_, i) => i);
  const decoded = decodeCBOR<Map<string, unknown>>(buildNoneAttestationObject(authData));
  assert.deepEqual([...decoded.keys()], ['fmt', 'attStmt', 'authData']);
  assert.equal(decoded.get('fmt'), 'none');
  assert.deepEqual(decoded.get('attStmt'), new Map());
  assert.deepEqual(decoded.get('authData'), authData);
});

test('refuses input that cannot be authenticator data', () => {
  assert.throws(() => buildNoneAttestationObject(new Uint8Array(36)), TypeError);
  assert.throws(() => buildNoneAttestationObject('x' as unknown as Uint8Array), TypeError);
});
