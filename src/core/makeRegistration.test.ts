import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import { Fido2Lib } from 'fido2-lib';
import type { RegistrationResponseJSON } from '../messages/wire.js';
import { makeRegistration } from './makeRegistration.js';
import { parseAuthenticatorData } from './authenticatorData.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { decodeCBOR } from './cbor.js';
import { encodeCoseKeyES256, spkiFromP256 } from './cose.js';
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
