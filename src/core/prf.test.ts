// prf (§10.1.4): the salt mapping against the specification's own test vectors, the secrets and
// outputs against an independent computation with node:crypto, and the choice of input and of the
// UV PRF that the page sees.
import assert from 'node:assert/strict';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { test } from 'node:test';
import type { PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON } from './webauthnJson';
import {
  PRF_INFO_WITH_UV, PRF_INFO_WITHOUT_UV, choosePrfInput, evaluatePrf, prfNeedsUserVerification, prfResultsForPage, prfSalt, prfSecret, prfWithSecret,
} from './prf';

const hex = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64url');

// https://w3c.github.io/webauthn/#test-vectors-extensions-prf-ctap (seed = "WebAuthn PRF test vectors").
const seed = Buffer.from('WebAuthn PRF test vectors');
const evalFirst = hex('576562417574686e20505246207465737420766563746f727302');
const evalSecond = hex('576562417574686e20505246207465737420766563746f727303');
const credRandom = hex('437e065e723a98b2f08f39d8baf7c53ecb3c363c5e5104bdaaf5d5ca2e028154');

test('the spec vectors: salt = SHA-256("WebAuthn PRF" || 0x00 || input), output = HMAC-SHA-256(CredRandom, salt)', () => {
  assert.deepEqual(evalFirst, new Uint8Array(Buffer.concat([seed, Buffer.from([2])])));
  assert.equal(toHex(prfSalt(evalFirst)), '527413ebb48293772df30f031c5ac4650c7de14bf9498671ae163447b6a772b3');
  assert.equal(toHex(prfSalt(evalSecond)), 'd68ac03329a10ee5e0ec834492bb9a96a0e547baf563bf78ccbe8789b22e776b');
  const out = prfWithSecret(credRandom, { first: prfSalt(evalFirst), second: prfSalt(evalSecond) });
  assert.equal(toHex(out.first), '3c33e07d202c3b029cc21f1722767021bf27d595933b3d2b6a1b9d5dddc77fae');
  assert.equal(toHex(out.second!), 'a62a8773b19cda90d7ed4ef72a80a804320dbd3997e2f663805ad1fd3293d50b');
  assert.equal(prfWithSecret(credRandom, { first: prfSalt(evalFirst) }).second, undefined);
});

/** The whole mapping, computed apart with node:crypto: HKDF-SHA256 secret, hashed salt, HMAC-SHA256. */
function expected(privateKey: Uint8Array, uv: boolean, input: Uint8Array): string {
  const secret = Buffer.from(hkdfSync('sha256', privateKey, Buffer.alloc(0), uv ? PRF_INFO_WITH_UV : PRF_INFO_WITHOUT_UV, 32));
  const salt = createHash('sha256').update('WebAuthn PRF').update(Buffer.from([0])).update(input).digest();
  return createHmac('sha256', secret).update(salt).digest('hex');
}

const key = hex('0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0');

test('known answer: HKDF-SHA256 secrets per UV state, then HMAC-SHA256 of the hashed input (node:crypto)', () => {
  const input = new Uint8Array([1, 2, 3, 4]);
  const withUv = evaluatePrf(key, true, { first: prfSalt(input), second: prfSalt(new Uint8Array()) });
  assert.equal(toHex(withUv.first), expected(key, true, input));
  assert.equal(toHex(withUv.second!), expected(key, true, new Uint8Array()));
  assert.equal(withUv.first.length, 32);
  const withoutUv = evaluatePrf(key, false, { first: prfSalt(input) });
  assert.equal(toHex(withoutUv.first), expected(key, false, input));
  assert.notEqual(toHex(withoutUv.first), toHex(withUv.first), 'two secrets, as hmac-secret has');
  assert.notEqual(toHex(prfSecret(key, true)), toHex(prfSecret(key, false)));
  assert.notEqual(toHex(prfSecret(key, true)), toHex(key), 'the secret is not the signing key');
  assert.throws(() => prfSecret(new Uint8Array(31), true), TypeError);
});

const id1 = b64(new Uint8Array([1, 1, 1]));
const id2 = b64(new Uint8Array([2, 2, 2]));
const create = (extensions: PublicKeyCredentialCreationOptionsJSON['extensions']) => ({
  op: 'create' as const,
  options: { rp: { name: 'x' }, user: { id: 'AQ', name: 'u', displayName: 'U' }, challenge: 'AA', pubKeyCredParams: [], ...(extensions ? { extensions } : {}) },
});
const get = (extensions: PublicKeyCredentialRequestOptionsJSON['extensions']) => ({
  op: 'get' as const,
  options: { challenge: 'AA', allowCredentials: [{ type: 'public-key', id: id1 }, { type: 'public-key', id: id2 }], ...(extensions ? { extensions } : {}) },
});

test('choosePrfInput: the chosen credential\'s evalByCredential entry wins over eval (§10.1.4 step 4)', () => {
  const prf = { eval: { first: 'AQ' }, evalByCredential: { [id1]: { first: 'Ag' } } };
  assert.deepEqual(choosePrfInput(prf, id1), { first: 'Ag' });
  assert.deepEqual(choosePrfInput(prf, id2), { first: 'AQ' });
  assert.equal(choosePrfInput({ evalByCredential: { [id1]: { first: 'Ag' } } }, id2), null);
  assert.equal(choosePrfInput({}, id1), null);
  assert.equal(choosePrfInput({ evalByCredential: {} }, 'constructor'), null, 'no inherited keys');
});

test('prfResultsForPage: enabled at create, {} at get, results only for the with-UV PRF', () => {
  const input = new Uint8Array([9, 8, 7]);
  assert.equal(prfResultsForPage(create(undefined), { privateKey: key, uv: true, credentialId: id1 }), undefined);
  assert.equal(prfResultsForPage(create({ credProps: true }), { privateKey: key, uv: true, credentialId: id1 }), undefined);
  assert.deepEqual(prfResultsForPage(create({ prf: {} }), { privateKey: key, uv: true, credentialId: id1 }), { enabled: true });
  const atCreate = prfResultsForPage(create({ prf: { eval: { first: b64(input) } } }), { privateKey: key, uv: true, credentialId: id1 });
  assert.deepEqual(atCreate, { enabled: true, results: { first: Buffer.from(expected(key, true, input), 'hex').toString('base64url') } });
  assert.deepEqual(prfResultsForPage(create({ prf: { eval: { first: b64(input) } } }), { privateKey: key, uv: false, credentialId: id1 }), { enabled: true });

  assert.deepEqual(prfResultsForPage(get({ prf: {} }), { privateKey: key, uv: true, credentialId: id1 }), {});
  const ext = { prf: { eval: { first: b64(input), second: 'AA' }, evalByCredential: { [id2]: { first: 'BQ' } } } };
  const forId1 = prfResultsForPage(get(ext), { privateKey: key, uv: true, credentialId: id1 })!;
  assert.equal(forId1.results!.first, Buffer.from(expected(key, true, input), 'hex').toString('base64url'));
  assert.equal(forId1.results!.second, Buffer.from(expected(key, true, new Uint8Array([0])), 'hex').toString('base64url'));
  const forId2 = prfResultsForPage(get(ext), { privateKey: key, uv: true, credentialId: id2 })!;
  assert.deepEqual(forId2, { results: { first: Buffer.from(expected(key, true, new Uint8Array([5])), 'hex').toString('base64url') } });
  assert.deepEqual(prfResultsForPage(get(ext), { privateKey: key, uv: false, credentialId: id1 }), {}, 'no outputs of the without-UV PRF');
});

test('prfNeedsUserVerification: only when outputs are asked for', () => {
  assert.equal(prfNeedsUserVerification(create(undefined)), false);
  assert.equal(prfNeedsUserVerification(create({ prf: {} })), false);
  assert.equal(prfNeedsUserVerification(create({ prf: { eval: { first: '' } } })), true);
  assert.equal(prfNeedsUserVerification(get({ prf: {} })), false);
  assert.equal(prfNeedsUserVerification(get({ prf: { evalByCredential: {} } })), false);
  assert.equal(prfNeedsUserVerification(get({ prf: { evalByCredential: { [id1]: { first: '' } } } })), true);
  assert.equal(prfNeedsUserVerification(get({ prf: { eval: { first: 'AQ' } } })), true);
});
