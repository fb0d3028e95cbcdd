import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { Fido2Lib } from 'fido2-lib';
import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { AuthenticationResponseJSON } from './webauthnJson.js';
import { makeAssertion } from './makeAssertion.js';
import { importES256PrivateKey } from './es256.js';
import { makeRegistration } from './makeRegistration.js';
import { parseAuthenticatorData } from './authenticatorData.js';
import { fromBase64url, toBase64url } from './base64url.js';
import { concatBytes, randomBytes } from './bytes.js';
import { encodeCoseKeyEd25519, encodeCoseKeyES256, spkiFromEd25519, spkiFromP256 } from './cose.js';
import { LONG_CREDENTIAL_ID, NONE_ES256, ORIGIN, PACKED_EDDSA, RP_ID, hex, toHex } from './_webauthnTestVectors.js';

const rpId = 'example.com';
const origin = 'https://login.example.com';
const userHandle = Uint8Array.from([0x75, 0x73, 0x65, 0x72, 0x2d, 0x31]); // "user-1"
const arrayBuffer = (s: string) => fromBase64url(s).buffer;
const newChallenge = () => toBase64url(randomBytes(32));
// SimpleWebAuthn's types have no `null` authenticatorAttachment (the spec's JSON type allows it).
type SimpleAuthenticationJSON = Parameters<typeof verifyAuthenticationResponse>[0]['response'];
const forSimple = (r: AuthenticationResponseJSON): SimpleAuthenticationJSON => ({ ...r, authenticatorAttachment: r.authenticatorAttachment ?? undefined });

async function register(opts: { uv: boolean; be?: boolean; bs?: boolean } = { uv: true }) {
  return makeRegistration({ rpId, origin, challenge: newChallenge(), crossOrigin: false, ...opts });
}

test('produces a well-formed AuthenticationResponseJSON (§5.1, §6.3.3)', async () => {
  const { credentialId, privateKey, publicKey } = await register();
  const challenge = newChallenge();
  const response = await makeAssertion({ rpId, origin, challenge, crossOrigin: false, uv: true, credentialId, privateKey, userHandle });
  assert.equal(response.id, toBase64url(credentialId));
  assert.equal(response.rawId, response.id);
  assert.equal(response.type, 'public-key');
  assert.equal(response.authenticatorAttachment, 'platform');
  assert.deepEqual(response.clientExtensionResults, {});
  assert.equal(response.response.userHandle, toBase64url(userHandle));
  const clientDataJSON = fromBase64url(response.response.clientDataJSON);
  assert.deepEqual(JSON.parse(new TextDecoder().decode(clientDataJSON)), { type: 'webauthn.get', challenge, origin, crossOrigin: false });

  const authData = fromBase64url(response.response.authenticatorData);
  assert.equal(authData.length, 37); // no attested credential data, no extensions
  assert.deepEqual(parseAuthenticatorData(authData).flags, { up: true, uv: true, be: false, bs: false, at: false, ed: false });
  assert.equal(parseAuthenticatorData(authData).signCount, 0);
  // Step 11: signature over authenticatorData ‖ SHA-256(clientDataJSON).
  const key = createPublicKey({ key: Buffer.from(spkiFromP256(publicKey)), format: 'der', type: 'spki' });
  assert.equal(verify('sha256', concatBytes(authData, sha256(clientDataJSON)), key, fromBase64url(response.response.signature)), true);
});

test('reproduces the spec §16 assertions (authenticatorData, clientDataJSON, low-S signature)', async () => {
  const cases = [
    [NONE_ES256, { uv: false, be: true, bs: true }], // flags 0x19
    [LONG_CREDENTIAL_ID, { uv: true, be: true, bs: false }], // flags 0x0d
  ] as const;
  for (const [v, flags] of cases) {
    const response = await makeAssertion({
      rpId: RP_ID, origin: ORIGIN, challenge: toBase64url(hex(v.authentication.challenge)), crossOrigin: false, ...flags,
      credentialId: hex(v.registration.credentialId), privateKey: hex(v.registration.credentialPrivateKey), userHandle,
    });
    assert.equal(toHex(fromBase64url(response.response.authenticatorData)), v.authentication.authenticatorData);
    assert.equal(toHex(fromBase64url(response.response.clientDataJSON)), v.authentication.clientDataJSON);
    // Same RFC 6979 nonce, so the same r; s is the spec's s or n - s (noble emits low S, the spec doesn't normalize).
    const ours = p256.Signature.fromBytes(fromBase64url(response.response.signature), 'der');
    const theirs = p256.Signature.fromBytes(hex(v.authentication.signature), 'der');
    assert.equal(ours.r, theirs.r);
    assert.ok(ours.s === theirs.s || ours.s === p256.Point.CURVE().n - theirs.s);
    assert.equal(ours.hasHighS(), false);
  }
});

test('@simplewebauthn/server verifies it, with user verification required', async () => {
  const { credentialId, privateKey, publicKey, response: reg } = await register({ uv: true, be: true, bs: true });
  const challenge = newChallenge();
  const response = await makeAssertion({
    rpId, origin, challenge, crossOrigin: false, uv: true, be: true, bs: true, credentialId, privateKey, userHandle,
  });
  const result = await verifyAuthenticationResponse({
    response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId, requireUserVerification: true,
    credential: { id: reg.id, publicKey: encodeCoseKeyES256(publicKey), counter: 0 },
  });
  assert.equal(result.verified, true);
  assert.equal(result.authenticationInfo.userVerified, true);
  assert.equal(result.authenticationInfo.newCounter, 0);
  assert.equal(result.authenticationInfo.credentialBackedUp, true);
  assert.equal(result.authenticationInfo.credentialID, toBase64url(credentialId));
});

test('@simplewebauthn/server flags an assertion without user verification', async () => {
  const { credentialId, privateKey, publicKey, response: reg } = await register({ uv: false });
  const challenge = newChallenge();
  const response = await makeAssertion({ rpId, origin, challenge, crossOrigin: false, uv: false, credentialId, privateKey, userHandle });
  const expected = {
    response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId,
    credential: { id: reg.id, publicKey: encodeCoseKeyES256(publicKey), counter: 0 },
  };
  await assert.rejects(verifyAuthenticationResponse(expected), /User verification (was )?required/);
  const relaxed = await verifyAuthenticationResponse({ ...expected, requireUserVerification: false });
  assert.equal(relaxed.verified, true);
  assert.equal(relaxed.authenticationInfo.userVerified, false);
});

test('@simplewebauthn/server refuses it for another key, RP ID or challenge', async () => {
  const { credentialId, privateKey, response: reg } = await register();
  const other = await register();
  const challenge = newChallenge();
  const response = await makeAssertion({ rpId, origin, challenge, crossOrigin: false, uv: true, credentialId, privateKey, userHandle });
  const expected = {
    response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId,
    credential: { id: reg.id, publicKey: encodeCoseKeyES256(other.publicKey), counter: 0 },
  };
  assert.equal((await verifyAuthenticationResponse(expected)).verified, false); // wrong public key
  await assert.rejects(verifyAuthenticationResponse({ ...expected, expectedRPID: 'example.org' }));
  await assert.rejects(verifyAuthenticationResponse({ ...expected, expectedChallenge: newChallenge() }));
});

test('fido2-lib verifies it with the key from its own attestation result', async () => {
  const f2l = new Fido2Lib({ rpId, rpName: 'Example', cryptoParams: [-7] });
  for (const [uv, factor] of [[true, 'first'], [false, 'either']] as const) {
    const regChallenge = newChallenge();
    const { credentialId, privateKey, response: reg } = await makeRegistration({ rpId, origin, challenge: regChallenge, crossOrigin: false, uv });
    const attestation = await f2l.attestationResult(
      { rawId: arrayBuffer(reg.rawId), response: { clientDataJSON: reg.response.clientDataJSON, attestationObject: reg.response.attestationObject } },
      { rpId, origin, challenge: regChallenge, factor },
    );
    const challenge = newChallenge();
    const response = await makeAssertion({ rpId, origin, challenge, crossOrigin: false, uv, credentialId, privateKey, userHandle });
    const result = await f2l.assertionResult(
      {
        rawId: arrayBuffer(response.rawId),
        response: {
          clientDataJSON: response.response.clientDataJSON,
          authenticatorData: arrayBuffer(response.response.authenticatorData),
          signature: response.response.signature,
          userHandle: response.response.userHandle!,
        },
      },
      {
        rpId, origin, challenge, factor, prevCounter: 0, userHandle: toBase64url(userHandle),
        publicKey: attestation.authnrData.get('credentialPublicKeyPem'),
      },
    );
    assert.equal(result.audit.complete, true);
    assert.equal(result.authnrData.get('counter'), 0);
  }
});

test('refuses bad credential IDs, keys and user handles', async () => {
  const { credentialId, privateKey } = await register();
  const o = { rpId, origin, challenge: newChallenge(), crossOrigin: false, uv: true, credentialId, privateKey, userHandle };
  await assert.rejects(makeAssertion({ ...o, credentialId: new Uint8Array(0) }), TypeError);
  await assert.rejects(makeAssertion({ ...o, credentialId: new Uint8Array(1024) }), TypeError);
  await assert.rejects(makeAssertion({ ...o, userHandle: new Uint8Array(0) }), TypeError);
  await assert.rejects(makeAssertion({ ...o, userHandle: new Uint8Array(65) }), TypeError);
  await assert.rejects(makeAssertion({ ...o, privateKey: new Uint8Array(16) }), TypeError);
  await assert.rejects(makeAssertion({ ...o, bs: true }), RangeError);
});

// ---- EdDSA (Ed25519, COSE alg -8) ----------------------------------------------------------------

test('EdDSA: reproduces the spec §16.11 assertion byte for byte (authenticatorData, clientDataJSON, signature)', async () => {
  const v = PACKED_EDDSA;
  // auth_data_UV_BS = 0xab: UV bit clear; BS would need BE, which the registration did not set. Flags 0x01.
  const response = await makeAssertion({
    rpId: RP_ID, origin: ORIGIN, challenge: toBase64url(hex(v.authentication.challenge)), crossOrigin: false, uv: false,
    credentialId: hex(v.registration.credentialId), privateKey: hex(v.registration.credentialPrivateKey), userHandle, alg: -8,
  });
  assert.equal(toHex(fromBase64url(response.response.authenticatorData)), v.authentication.authenticatorData);
  assert.equal(toHex(fromBase64url(response.response.clientDataJSON)), v.authentication.clientDataJSON);
  // Ed25519 is deterministic: the very same 64 bytes.
  assert.equal(toHex(fromBase64url(response.response.signature)), v.authentication.signature);
});

test('EdDSA: a 64-byte signature that Node verifies over authenticatorData ‖ SHA-256(clientDataJSON)', async () => {
  const { credentialId, privateKey, publicKey, response: reg } = await makeRegistration({
    rpId, origin, challenge: newChallenge(), crossOrigin: false, uv: true, alg: -8,
  });
  const response = await makeAssertion({ rpId, origin, challenge: newChallenge(), crossOrigin: false, uv: true, credentialId, privateKey, userHandle, alg: -8 });
  const signature = fromBase64url(response.response.signature);
  assert.equal(signature.length, 64);
  const signed = concatBytes(fromBase64url(response.response.authenticatorData), sha256(fromBase64url(response.response.clientDataJSON)));
  // Both the SPKI from getPublicKey() and one made from the raw key.
  for (const spki of [fromBase64url(reg.response.publicKey), spkiFromEd25519(publicKey)]) {
    const key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    assert.equal(verify(null, signed, key, signature), true);
  }
  const tampered = signed.slice();
  tampered[32] = tampered[32]! ^ 0x04;
  assert.equal(verify(null, tampered, createPublicKey({ key: Buffer.from(spkiFromEd25519(publicKey)), format: 'der', type: 'spki' }), signature), false);
});

test('EdDSA: @simplewebauthn/server verifies registration then assertion, with and without UV', async () => {
  for (const uv of [true, false]) {
    const regChallenge = newChallenge();
    const made = await makeRegistration({ rpId, origin, challenge: regChallenge, crossOrigin: false, uv, be: true, bs: true, alg: -8 });
    const reg = await verifyRegistrationResponse({
      response: { ...made.response, authenticatorAttachment: 'platform' }, expectedChallenge: regChallenge, expectedOrigin: origin, expectedRPID: rpId, requireUserVerification: uv,
    });
    assert.equal(reg.verified, true);
    const challenge = newChallenge();
    const response = await makeAssertion({
      rpId, origin, challenge, crossOrigin: false, uv, be: true, bs: true,
      credentialId: made.credentialId, privateKey: made.privateKey, userHandle, alg: -8,
    });
    const result = await verifyAuthenticationResponse({
      response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId, requireUserVerification: uv,
      credential: { id: reg.registrationInfo!.credential.id, publicKey: reg.registrationInfo!.credential.publicKey, counter: 0 },
    });
    assert.equal(result.verified, true);
    assert.equal(result.authenticationInfo.userVerified, uv);
    assert.equal(result.authenticationInfo.credentialBackedUp, true);
    assert.equal(result.authenticationInfo.credentialID, toBase64url(made.credentialId));
  }
});

test('EdDSA: @simplewebauthn/server refuses it with another key or challenge, and as ES256', async () => {
  const made = await makeRegistration({ rpId, origin, challenge: newChallenge(), crossOrigin: false, uv: true, alg: -8 });
  const other = await makeRegistration({ rpId, origin, challenge: newChallenge(), crossOrigin: false, uv: true, alg: -8 });
  const challenge = newChallenge();
  const response = await makeAssertion({ rpId, origin, challenge, crossOrigin: false, uv: true, credentialId: made.credentialId, privateKey: made.privateKey, userHandle, alg: -8 });
  const expected = {
    response: forSimple(response), expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: rpId,
    credential: { id: made.response.id, publicKey: encodeCoseKeyEd25519(made.publicKey), counter: 0 },
  };
  assert.equal((await verifyAuthenticationResponse(expected)).verified, true);
  const wrongKey = await verifyAuthenticationResponse({ ...expected, credential: { ...expected.credential, publicKey: encodeCoseKeyEd25519(other.publicKey) } });
  assert.equal(wrongKey.verified, false);
  await assert.rejects(verifyAuthenticationResponse({ ...expected, expectedChallenge: newChallenge() }));
  // The same seed signed as ES256 (the default alg) is not a valid EdDSA assertion.
  const asEs256 = await makeAssertion({ rpId, origin, challenge, crossOrigin: false, uv: true, credentialId: made.credentialId, privateKey: made.privateKey, userHandle });
  await assert.rejects(async () => {
    const r = await verifyAuthenticationResponse({ ...expected, response: forSimple(asEs256) });
    if (!r.verified) throw new Error('not verified');
  });
});

test('EdDSA: refuses an unsupported alg', async () => {
  const made = await makeRegistration({ rpId, origin, challenge: newChallenge(), crossOrigin: false, uv: true, alg: -8 });
  await assert.rejects(makeAssertion({
    rpId, origin, challenge: newChallenge(), crossOrigin: false, uv: true, credentialId: made.credentialId, privateKey: made.privateKey, userHandle, alg: -257 as -8,
  }), TypeError);
});

test('signs with a non-extractable WebCrypto key (the background path); an EdDSA request refuses an ECDSA key', async () => {
  const { credentialId, privateKey, publicKey } = await register();
  const key = await importES256PrivateKey(privateKey, publicKey);
  const response = await makeAssertion({ rpId, origin, challenge: newChallenge(), crossOrigin: false, uv: true, credentialId, privateKey: key, userHandle });
  const authData = fromBase64url(response.response.authenticatorData);
  const clientDataJSON = fromBase64url(response.response.clientDataJSON);
  const spki = createPublicKey({ key: Buffer.from(spkiFromP256(publicKey)), format: 'der', type: 'spki' });
  assert.equal(verify('sha256', concatBytes(authData, sha256(clientDataJSON)), spki, fromBase64url(response.response.signature)), true);
  await assert.rejects(makeAssertion({ rpId, origin, challenge: newChallenge(), crossOrigin: false, uv: true, credentialId, privateKey: key, userHandle, alg: -8 }), TypeError);
});
