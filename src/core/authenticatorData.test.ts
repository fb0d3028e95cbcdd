import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { buildAuthenticatorData, parseAuthenticatorData } from './authenticatorData.js';
import { encodeCoseKeyES256 } from './cose.js';
import { decodeCBOR } from './cbor.js';
import { LONG_CREDENTIAL_ID, NONE_ES256, RP_ID, TOP_ORIGIN_VECTOR, hex, toHex } from './_webauthnTestVectors.js';

const flags = (f: Partial<{ up: boolean; uv: boolean; be: boolean; bs: boolean }> = {}) =>
  ({ up: false, uv: false, be: false, bs: false, ...f });

// The authData inside a spec attestation object (the value of its "authData" key).
const specAuthData = (attestationObject: string) =>
  decodeCBOR<Map<string, Uint8Array>>(hex(attestationObject)).get('authData')!;

const credentialFrom = (v: typeof NONE_ES256 | typeof TOP_ORIGIN_VECTOR | typeof LONG_CREDENTIAL_ID) => ({
  aaguid: hex(v.registration.aaguid),
  credentialId: hex(v.registration.credentialId),
  cosePublicKey: encodeCoseKeyES256(p256.getPublicKey(hex(v.registration.credentialPrivateKey), false)),
});

test('rpIdHash is SHA-256 of the UTF-8 RP ID', async () => {
  const authData = await buildAuthenticatorData({ rpId: RP_ID, flags: flags({ up: true }), signCount: 0 });
  assert.equal(toHex(authData.subarray(0, 32)), createHash('sha256').update(RP_ID).digest('hex'));
});

test('matches the spec §16 assertion authenticator data byte for byte', async () => {
  // §16.2: flags 0x19 = UP | BE | BS.
  assert.equal(
    toHex(await buildAuthenticatorData({ rpId: RP_ID, flags: flags({ up: true, be: true, bs: true }), signCount: 0 })),
    NONE_ES256.authentication.authenticatorData,
  );
  // §16.5: flags 0x05 = UP | UV.
  assert.equal(
    toHex(await buildAuthenticatorData({ rpId: RP_ID, flags: flags({ up: true, uv: true }), signCount: 0 })),
    TOP_ORIGIN_VECTOR.authentication.authenticatorData,
  );
  // §16.6: flags 0x0d = UP | UV | BE.
  assert.equal(
    toHex(await buildAuthenticatorData({ rpId: RP_ID, flags: flags({ up: true, uv: true, be: true }), signCount: 0 })),
    LONG_CREDENTIAL_ID.authentication.authenticatorData,
  );
});

test('matches the spec §16 registration authenticator data (with attested credential data) byte for byte', async () => {
  const cases = [
    [NONE_ES256, flags({ up: true, be: true, bs: true })], // 0x59 = UP | BE | BS | AT
    [TOP_ORIGIN_VECTOR, flags({ up: true })], // 0x41 = UP | AT
    [LONG_CREDENTIAL_ID, flags({ up: true, be: true })], // 0x49 = UP | BE | AT, 1023-byte credential ID
  ] as const;
  for (const [v, f] of cases) {
    const built = await buildAuthenticatorData({ rpId: RP_ID, flags: f, signCount: 0, attestedCredentialData: credentialFrom(v) });
    assert.equal(toHex(built), toHex(specAuthData(v.registration.attestationObject)));
  }
});

test('parses the spec registration authenticator data back into its parts', () => {
  const parsed = parseAuthenticatorData(specAuthData(NONE_ES256.registration.attestationObject));
  assert.deepEqual(parsed.flags, { up: true, uv: false, be: true, bs: true, at: true, ed: false });
  assert.equal(parsed.signCount, 0);
  assert.equal(toHex(parsed.rpIdHash), NONE_ES256.authentication.authenticatorData.slice(0, 64));
  assert.deepEqual(parsed.attestedCredentialData, credentialFrom(NONE_ES256));
  assert.equal(parsed.extensions, undefined);
});

test('round-trips attested credential data, extensions and the signature counter', async () => {
  const attestedCredentialData = credentialFrom(TOP_ORIGIN_VECTOR);
  const extensions = new Map<string, unknown>([['credProtect', 2], ['example', new Uint8Array([1, 2])]]);
  const built = await buildAuthenticatorData({
    rpId: RP_ID, flags: flags({ up: true, uv: true }), signCount: 0xfffffffe, attestedCredentialData, extensions,
  });
  assert.equal(built[32], 0x01 | 0x04 | 0x40 | 0x80);
  const parsed = parseAuthenticatorData(built);
  assert.equal(parsed.signCount, 0xfffffffe);
  assert.deepEqual(parsed.attestedCredentialData, attestedCredentialData);
  assert.deepEqual(parsed.extensions, extensions);
  assert.deepEqual(parsed.flags, { up: true, uv: true, be: false, bs: false, at: true, ed: true });
});

test('sets each flag bit exactly as §6.1 says', async () => {
  const flagByte = async (o: Omit<Parameters<typeof buildAuthenticatorData>[0], 'rpId' | 'signCount'>) =>
    (await buildAuthenticatorData({ rpId: RP_ID, signCount: 0, ...o }))[32];
  assert.equal(await flagByte({ flags: flags() }), 0x00);
  assert.equal(await flagByte({ flags: flags({ up: true }) }), 0x01); // bit 0 UP
  assert.equal(await flagByte({ flags: flags({ uv: true }) }), 0x04); // bit 2 UV
  assert.equal(await flagByte({ flags: flags({ be: true }) }), 0x08); // bit 3 BE
  assert.equal(await flagByte({ flags: flags({ be: true, bs: true }) }), 0x18); // bit 4 BS (needs BE)
  assert.equal(await flagByte({ flags: flags(), attestedCredentialData: credentialFrom(NONE_ES256) }), 0x40); // bit 6 AT
  assert.equal(await flagByte({ flags: flags(), extensions: new Map([['x', 1]]) }), 0x80); // bit 7 ED
  // ED only when extensions are present *and* non-empty.
  const empty = await buildAuthenticatorData({ rpId: RP_ID, flags: flags(), signCount: 0, extensions: new Map() });
  assert.equal(empty.length, 37);
  assert.equal(empty[32], 0);
  // Parse reads the same bits back (AT and ED need their payloads: see the round-trip test).
  for (const [byte, name] of [[0x01, 'up'], [0x04, 'uv'], [0x08, 'be']] as const) {
    const data = new Uint8Array(37);
    data[32] = byte;
    assert.equal(parseAuthenticatorData(data).flags[name], true, name);
  }
});

test('parse ignores the RFU bits 1 and 5', () => {
  const data = new Uint8Array(37);
  data[32] = 0x02 | 0x20 | 0x01;
  assert.deepEqual(parseAuthenticatorData(data).flags, { up: true, uv: false, be: false, bs: false, at: false, ed: false });
});

test('refuses BS without BE, when building and when parsing', async () => {
  await assert.rejects(buildAuthenticatorData({ rpId: RP_ID, flags: flags({ up: true, bs: true }), signCount: 0 }), RangeError);
  const data = new Uint8Array(37);
  data[32] = 0x11;
  assert.throws(() => parseAuthenticatorData(data), /BS set without BE/);
});

test('parse refuses short data', () => {
  assert.throws(() => parseAuthenticatorData(new Uint8Array(36)), /was 36 bytes, expected at least 37 bytes/);
  const at = new Uint8Array(37 + 17);
  at[32] = 0x41;
  assert.throws(() => parseAuthenticatorData(at), /too short for attested credential data/);
  const longId = new Uint8Array(37 + 18 + 4);
  longId[32] = 0x41;
  longId[37 + 17] = 16; // credentialIdLength 16, but only 4 bytes follow
  assert.throws(() => parseAuthenticatorData(longId), /too short for credential ID/);
});

test('parse refuses leftover bytes and missing announced parts', async () => {
  const plain = await buildAuthenticatorData({ rpId: RP_ID, flags: flags({ up: true }), signCount: 0 });
  assert.throws(() => parseAuthenticatorData(Uint8Array.from([...plain, 0xa0])), /Leftover bytes/);
  const withKey = await buildAuthenticatorData({
    rpId: RP_ID, flags: flags({ up: true }), signCount: 0, attestedCredentialData: credentialFrom(NONE_ES256),
  });
  assert.throws(() => parseAuthenticatorData(Uint8Array.from([...withKey, 0xa0])), /Leftover bytes/); // ED not set
  assert.throws(() => parseAuthenticatorData(withKey.subarray(0, withKey.length - 1)), /end of CBOR/);
  const edNoData = plain.slice();
  edNoData[32] = edNoData[32]! | 0x80;
  assert.throws(() => parseAuthenticatorData(edNoData), /end of CBOR/);
});

test('parse refuses a credential ID over 1023 bytes and non-map keys or extensions', () => {
  const over = new Uint8Array(37 + 18 + 1024 + 1);
  over[32] = 0x41;
  new DataView(over.buffer).setUint16(37 + 16, 1024);
  assert.throws(() => parseAuthenticatorData(over), /exceeds 1023/);
  const notMapKey = Uint8Array.from([...new Uint8Array(32), 0x41, 0, 0, 0, 0, ...new Uint8Array(16), 0, 1, 0xaa, 0x01]);
  assert.throws(() => parseAuthenticatorData(notMapKey), /not a CBOR map/);
  const intKeyedExt = Uint8Array.from([...new Uint8Array(32), 0x80, 0, 0, 0, 0, 0xa1, 0x01, 0x01]);
  assert.throws(() => parseAuthenticatorData(intKeyedExt), /text keys/);
});

test('build refuses malformed inputs', async () => {
  const base = { rpId: RP_ID, flags: flags({ up: true }), signCount: 0 };
  const cred = credentialFrom(NONE_ES256);
  const bad: [string, Parameters<typeof buildAuthenticatorData>[0]][] = [
    ['empty rpId', { ...base, rpId: '' }],
    ['negative signCount', { ...base, signCount: -1 }],
    ['signCount over 32 bits', { ...base, signCount: 2 ** 32 }],
    ['fractional signCount', { ...base, signCount: 1.5 }],
    ['missing flag', { ...base, flags: { up: true } as ReturnType<typeof flags> }],
    ['15-byte aaguid', { ...base, attestedCredentialData: { ...cred, aaguid: new Uint8Array(15) } }],
    ['empty credential ID', { ...base, attestedCredentialData: { ...cred, credentialId: new Uint8Array(0) } }],
    ['1024-byte credential ID', { ...base, attestedCredentialData: { ...cred, credentialId: new Uint8Array(1024) } }],
    ['public key not a map', { ...base, attestedCredentialData: { ...cred, cosePublicKey: hex('01') } }],
    ['public key with trailing bytes', { ...base, attestedCredentialData: { ...cred, cosePublicKey: hex('a0a0') } }],
    ['non-string extension key', { ...base, extensions: new Map([[1, 1]]) as unknown as Map<string, unknown> }],
  ];
  for (const [name, o] of bad) await assert.rejects(buildAuthenticatorData(o), name);
});

test('parse returns plain Uint8Array copies, even from a Node Buffer', () => {
  const input = Buffer.from(specAuthData(NONE_ES256.registration.attestationObject));
  const parsed = parseAuthenticatorData(input);
  const parts = [parsed.rpIdHash, ...Object.values(parsed.attestedCredentialData!)];
  for (const part of parts) assert.equal(part.constructor, Uint8Array);
  const before = toHex(parsed.attestedCredentialData!.credentialId);
  input.fill(0);
  assert.equal(toHex(parsed.attestedCredentialData!.credentialId), before);
});
