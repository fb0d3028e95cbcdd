import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { Fido2Lib } from 'fido2-lib';
import type { RegistrationResponseJSON } from './webauthnJson.js';
import { makeRegistration } from './makeRegistration.js';
import { generateES256KeyPairAsync } from './es256.js';
import { parseAuthenticatorData } from './authenticatorData.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { decodeCBOR } from './cbor.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { encodeCoseKeyEd25519, encodeCoseKeyES256, spkiFromEd25519, spkiFromP256 } from './cose.js';
import { buildAuthenticatorData } from './authenticatorData.js';
import { ORIGIN, PACKED_EDDSA, RP_ID, hex, toHex } from './_webauthnTestVectors.js';
import { randomBytes } from './bytes.js';
import { LATCHKEY_AAGUID, LATCHKEY_AAGUID_STRING } from './aaguid.js';

const rpId = 'example.com';
const origin = 'https://login.example.com';
const arrayBuffer = (s: string) => fromBase64url(s).buffer;
// SimpleWebAuthn's types have no `null` authenticatorAttachment (the spec's JSON type allows it).
type SimpleRegistrationJSON = Parameters<typeof verifyRegistrationResponse>[0]['response'];
const forSimple = (r: RegistrationResponseJSON): SimpleRegistrationJSON => ({ ...r, authenticatorAttachment: r.authenticatorAttachment ?? undefined });

test('produces a well-formed RegistrationResponseJSON (§5.1, §6.3.2)', async () => {
  const challenge = toBase64url(randomBytes(32));
  const { credentialId, privateKey, publicKey, response } = await makeRegistration({
    rpId, origin, challenge, crossOrigin: false, uv: true,
  });
  assert.equal(credentialId.length, 16);
  assert.equal(privateKey.length, 32);
  assert.equal(publicKey.length, 65);
  assert.equal(response.id, toBase64url(credentialId));
  assert.equal(response.rawId, response.id);
  assert.equal(response.type, 'public-key');
  assert.equal(response.authenticatorAttachment, 'platform');
  assert.deepEqual(response.clientExtensionResults, {});
  assert.deepEqual(response.response.transports, ['internal']);
  assert.equal(response.response.publicKeyAlgorithm, -7);
  assert.deepEqual(fromBase64url(response.response.publicKey), spkiFromP256(publicKey));
  createPublicKey({ key: Buffer.from(fromBase64url(response.response.publicKey)), format: 'der', type: 'spki' });

  assert.deepEqual(JSON.parse(new TextDecoder().decode(fromBase64url(response.response.clientDataJSON))), {
    type: 'webauthn.create', challenge, origin, crossOrigin: false,
  });

  const attObj = decodeCBOR<Map<string, unknown>>(fromBase64url(response.response.attestationObject));
  assert.deepEqual([...attObj.keys()], ['fmt', 'attStmt', 'authData']);
  assert.equal(attObj.get('fmt'), 'none');
  assert.deepEqual(attObj.get('attStmt'), new Map());
  assert.deepEqual(attObj.get('authData'), fromBase64url(response.response.authenticatorData));

  const authData = parseAuthenticatorData(fromBase64url(response.response.authenticatorData));
  assert.deepEqual(authData.flags, { up: true, uv: true, be: false, bs: false, at: true, ed: false });
  assert.equal(authData.signCount, 0);
  assert.deepEqual(authData.attestedCredentialData, {
    aaguid: LATCHKEY_AAGUID, credentialId, cosePublicKey: encodeCoseKeyES256(publicKey),
  });
});

test('creates a new key and credential ID every time', async () => {
  const o = { rpId, origin, challenge: 'AAAAAAAAAAAAAAAAAAAAAA', crossOrigin: false, uv: true };
  const [a, b] = await Promise.all([makeRegistration(o), makeRegistration(o)]);
  assert.notDeepEqual(a.credentialId, b.credentialId);
  assert.notDeepEqual(a.privateKey, b.privateKey);
});

test('@simplewebauthn/server verifies it, with user verification required', async () => {
  const challenge = toBase64url(randomBytes(32));
  const { credentialId, publicKey, response } = await makeRegistration({
    rpId, origin, challenge, crossOrigin: false, uv: true, be: true, bs: true,
  });
  const result = await verifyRegistrationResponse({
    response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId, requireUserVerification: true,
  });
  assert.equal(result.verified, true);
  const info = result.registrationInfo!;
  assert.equal(info.fmt, 'none');
  assert.equal(info.aaguid, LATCHKEY_AAGUID_STRING);
  assert.equal(info.credential.id, toBase64url(credentialId));
  assert.deepEqual(new Uint8Array(info.credential.publicKey), encodeCoseKeyES256(publicKey));
  assert.equal(info.credential.counter, 0);
  assert.equal(info.userVerified, true);
  assert.equal(info.credentialDeviceType, 'multiDevice');
  assert.equal(info.credentialBackedUp, true);
  assert.equal(info.rpID, rpId);
});

test('@simplewebauthn/server flags a registration without user verification', async () => {
  const challenge = toBase64url(randomBytes(32));
  const { response } = await makeRegistration({ rpId, origin, challenge, crossOrigin: false, uv: false });
  const expected = { response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId };
  await assert.rejects(verifyRegistrationResponse(expected), /User verification was required/);
  const relaxed = await verifyRegistrationResponse({ ...expected, requireUserVerification: false });
  assert.equal(relaxed.verified, true);
  assert.equal(relaxed.registrationInfo!.userVerified, false);
  assert.equal(relaxed.registrationInfo!.credentialDeviceType, 'singleDevice');
});

test('@simplewebauthn/server refuses it for another RP ID, origin or challenge', async () => {
  const challenge = toBase64url(randomBytes(32));
  const { response } = await makeRegistration({ rpId, origin, challenge, crossOrigin: false, uv: true });
  const expected = { response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId };
  await assert.rejects(verifyRegistrationResponse({ ...expected, expectedRPID: 'example.org' }));
  await assert.rejects(verifyRegistrationResponse({ ...expected, expectedOrigin: 'https://example.com' }));
  await assert.rejects(verifyRegistrationResponse({ ...expected, expectedChallenge: toBase64url(randomBytes(32)) }));
});

test('writes crossOrigin and topOrigin into clientDataJSON', async () => {
  const challenge = toBase64url(randomBytes(32));
  const { response } = await makeRegistration({
    rpId, origin, challenge, crossOrigin: true, topOrigin: 'https://shop.example', uv: true,
  });
  assert.equal(
    new TextDecoder().decode(fromBase64url(response.response.clientDataJSON)),
    `{"type":"webauthn.create","challenge":"${challenge}","origin":"${origin}","crossOrigin":true,"topOrigin":"https://shop.example"}`,
  );
  const result = await verifyRegistrationResponse({
    response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId,
  });
  assert.equal(result.verified, true);
});

test('fido2-lib verifies it as first factor (UV) and as "either"', async () => {
  const f2l = new Fido2Lib({ rpId, rpName: 'Example', cryptoParams: [-7] });
  for (const [uv, factor] of [[true, 'first'], [false, 'either']] as const) {
    const challenge = toBase64url(randomBytes(32));
    const { credentialId, response } = await makeRegistration({ rpId, origin, challenge, crossOrigin: false, uv });
    const result = await f2l.attestationResult(
      {
        rawId: arrayBuffer(response.rawId),
        transports: response.response.transports,
        response: { clientDataJSON: response.response.clientDataJSON, attestationObject: response.response.attestationObject },
      },
      { rpId, origin, challenge, factor },
    );
    assert.equal(result.authnrData.get('fmt'), 'none');
    assert.deepEqual(new Uint8Array(result.authnrData.get('credId')), credentialId);
    assert.match(result.authnrData.get('credentialPublicKeyPem'), /BEGIN PUBLIC KEY/);
    assert.equal(result.audit.complete, true);
  }
});

test('fido2-lib refuses a registration without UV when the first factor is expected', async () => {
  const f2l = new Fido2Lib({ rpId, rpName: 'Example', cryptoParams: [-7] });
  const challenge = toBase64url(randomBytes(32));
  const { response } = await makeRegistration({ rpId, origin, challenge, crossOrigin: false, uv: false });
  await assert.rejects(
    f2l.attestationResult(
      { rawId: arrayBuffer(response.rawId), response: { clientDataJSON: response.response.clientDataJSON, attestationObject: response.response.attestationObject } },
      { rpId, origin, challenge, factor: 'first' },
    ),
    /UV/,
  );
});

test('refuses bad options before creating anything', async () => {
  const o = { rpId, origin, challenge: 'AAAAAAAAAAAAAAAAAAAAAA', crossOrigin: false, uv: true };
  await assert.rejects(makeRegistration({ ...o, challenge: 'not base64url!' }), TypeError);
  await assert.rejects(makeRegistration({ ...o, bs: true }), RangeError); // BS without BE
  await assert.rejects(makeRegistration({ ...o, rpId: '' }), TypeError);
});

// ---- EdDSA (Ed25519, COSE alg -8) ----------------------------------------------------------------

test('EdDSA: a 32-byte seed, an OKP COSE key, a 44-byte Ed25519 SPKI and publicKeyAlgorithm -8', async () => {
  const challenge = toBase64url(randomBytes(32));
  const { credentialId, privateKey, publicKey, response } = await makeRegistration({
    rpId, origin, challenge, crossOrigin: false, uv: true, alg: -8,
  });
  assert.equal(privateKey.length, 32);
  assert.equal(publicKey.length, 32);
  assert.deepEqual(publicKey, ed25519.getPublicKey(privateKey));
  assert.equal(response.response.publicKeyAlgorithm, -8);
  const spki = fromBase64url(response.response.publicKey);
  assert.deepEqual(spki, spkiFromEd25519(publicKey));
  const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  assert.equal(key.asymmetricKeyType, 'ed25519');

  const authData = parseAuthenticatorData(fromBase64url(response.response.authenticatorData));
  assert.deepEqual(authData.flags, { up: true, uv: true, be: false, bs: false, at: true, ed: false });
  assert.equal(authData.signCount, 0);
  assert.deepEqual(authData.attestedCredentialData, {
    aaguid: LATCHKEY_AAGUID, credentialId, cosePublicKey: encodeCoseKeyEd25519(publicKey),
  });
  assert.deepEqual([...decodeCBOR<Map<number, unknown>>(encodeCoseKeyEd25519(publicKey)).entries()], [[1, 1], [3, -8], [-1, 6], [-2, publicKey]]);
  const attObj = decodeCBOR<Map<string, unknown>>(fromBase64url(response.response.attestationObject));
  assert.equal(attObj.get('fmt'), 'none');
  assert.deepEqual(attObj.get('attStmt'), new Map());
});

test('the default is still ES256, and nothing but -7 or -8 is accepted', async () => {
  const o = { rpId, origin, challenge: 'AAAAAAAAAAAAAAAAAAAAAA', crossOrigin: false, uv: true };
  assert.equal((await makeRegistration(o)).response.response.publicKeyAlgorithm, -7);
  assert.equal((await makeRegistration({ ...o, alg: -7 })).response.response.publicKeyAlgorithm, -7);
  for (const bad of [-257, -19, 0, -9]) {
    await assert.rejects(makeRegistration({ ...o, alg: bad as -7 }), TypeError);
  }
});

test('EdDSA: @simplewebauthn/server verifies it (its default list has EdDSA first) and stores the OKP key', async () => {
  for (const [uv, be, bs] of [[true, true, true], [false, false, false]] as const) {
    const challenge = toBase64url(randomBytes(32));
    const { credentialId, publicKey, response } = await makeRegistration({ rpId, origin, challenge, crossOrigin: false, uv, be, bs, alg: -8 });
    const result = await verifyRegistrationResponse({
      response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId, requireUserVerification: uv,
    });
    assert.equal(result.verified, true);
    const info = result.registrationInfo!;
    assert.equal(info.fmt, 'none');
    assert.equal(info.aaguid, LATCHKEY_AAGUID_STRING);
    assert.equal(info.credential.id, toBase64url(credentialId));
    assert.deepEqual(new Uint8Array(info.credential.publicKey), encodeCoseKeyEd25519(publicKey));
    assert.equal(info.userVerified, uv);
    assert.equal(info.credentialBackedUp, bs);
  }
});

test('EdDSA: @simplewebauthn/server refuses it when the site did not offer EdDSA', async () => {
  const challenge = toBase64url(randomBytes(32));
  const { response } = await makeRegistration({ rpId, origin, challenge, crossOrigin: false, uv: true, alg: -8 });
  await assert.rejects(verifyRegistrationResponse({
    response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId, supportedAlgorithmIDs: [-7],
  }), /public key alg "-8"/);
});

test('EdDSA: authenticator data of the spec §16.11 Ed25519 credential, byte for byte', async () => {
  const v = PACKED_EDDSA.registration;
  const vectorAuthData = decodeCBOR<Map<string, Uint8Array>>(hex(v.attestationObject)).get('authData')!;
  const publicKey = ed25519.getPublicKey(hex(v.credentialPrivateKey));
  // Flags 0x41 (UP, AT): auth_data_UV_BE_BS = 0x32 has UV, BE and BS bits clear.
  const built = await buildAuthenticatorData({
    rpId: RP_ID, flags: { up: true, uv: false, be: false, bs: false }, signCount: 0,
    attestedCredentialData: { aaguid: hex(v.aaguid), credentialId: hex(v.credentialId), cosePublicKey: encodeCoseKeyEd25519(publicKey) },
  });
  assert.equal(toHex(built), toHex(vectorAuthData));
  // Latchkey's own registration for that RP ID has the same 37-byte header and the same COSE key layout.
  const { response } = await makeRegistration({
    rpId: RP_ID, origin: ORIGIN, challenge: toBase64url(hex(v.challenge)), crossOrigin: false, uv: false, alg: -8,
  });
  const ours = fromBase64url(response.response.authenticatorData);
  assert.equal(toHex(ours.subarray(0, 37)), toHex(vectorAuthData.subarray(0, 37)));
  assert.equal(ours.length, vectorAuthData.length - 16); // a 16-byte credential ID where the vector has 32
  assert.equal(toHex(ours.subarray(-42, -32)), 'a4010103272006215820');
});

test('a key pair made ahead of time is the one registered (the background keeps one ES256 pair ready)', async () => {
  const keyPair = await generateES256KeyPairAsync();
  const made = await makeRegistration({ rpId: 'example.com', origin: 'https://example.com', challenge: toBase64url(randomBytes(32)), crossOrigin: false, uv: true, keyPair });
  assert.deepEqual(made.publicKey, keyPair.publicKey);
  assert.equal(made.privateKey, keyPair.privateKey);
  assert.equal(made.response.response.publicKey, toBase64url(spkiFromP256(keyPair.publicKey)));
});
