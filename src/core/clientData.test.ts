import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializeClientData } from './clientData.js';
import { toBase64url } from './base64url.js';
import {
  CROSS_ORIGIN, LONG_CREDENTIAL_ID, NONE_ES256, ORIGIN, TOP_ORIGIN, TOP_ORIGIN_VECTOR, hex,
} from './_webauthnTestVectors.js';

const text = (h: string) => new TextDecoder().decode(hex(h));
const b64 = (h: string) => toBase64url(hex(h));

test('matches the spec §16 clientDataJSON vectors that carry no extra fields, byte for byte', () => {
  // §16.2 authentication: same-origin get.
  assert.equal(
    serializeClientData({ type: 'webauthn.get', challenge: b64(NONE_ES256.authentication.challenge), origin: ORIGIN, crossOrigin: false }),
    text(NONE_ES256.authentication.clientDataJSON),
  );
  // §16.5 registration: cross-origin create with topOrigin.
  assert.equal(
    serializeClientData({
      type: 'webauthn.create', challenge: b64(TOP_ORIGIN_VECTOR.registration.challenge),
      origin: ORIGIN, crossOrigin: true, topOrigin: TOP_ORIGIN,
    }),
    text(TOP_ORIGIN_VECTOR.registration.clientDataJSON),
  );
  // §16.6 registration and authentication.
  for (const [type, v] of [['webauthn.create', LONG_CREDENTIAL_ID.registration], ['webauthn.get', LONG_CREDENTIAL_ID.authentication]] as const) {
    assert.equal(
      serializeClientData({ type, challenge: b64(v.challenge), origin: ORIGIN, crossOrigin: false }),
      text(v.clientDataJSON),
    );
  }
});

test('is the prefix the §5.8.1.2 limited verification expects, for the spec vectors with extraData', () => {
  const cases = [
    { type: 'webauthn.create', v: NONE_ES256.registration, crossOrigin: false },
    { type: 'webauthn.create', v: CROSS_ORIGIN.registration, crossOrigin: true },
    { type: 'webauthn.get', v: CROSS_ORIGIN.authentication, crossOrigin: true },
    { type: 'webauthn.get', v: TOP_ORIGIN_VECTOR.authentication, crossOrigin: true, topOrigin: TOP_ORIGIN },
  ] as const;
  for (const { type, v, ...rest } of cases) {
    const ours = serializeClientData({ type, challenge: b64(v.challenge), origin: ORIGIN, ...rest });
    const theirs = text(v.clientDataJSON);
    assert.ok(theirs.startsWith(ours.slice(0, -1) + ',"extraData":'), theirs);
  }
});

test('writes members in the fixed order and crossOrigin false by default', () => {
  assert.equal(
    serializeClientData({ type: 'webauthn.get', challenge: 'AAAA', origin: 'https://a.example' }),
    '{"type":"webauthn.get","challenge":"AAAA","origin":"https://a.example","crossOrigin":false}',
  );
});

test('writes topOrigin only when crossOrigin is true', () => {
  const base = { type: 'webauthn.get', challenge: 'AAAA', origin: 'https://a.example' } as const;
  assert.equal(
    serializeClientData({ ...base, crossOrigin: false, topOrigin: 'https://top.example' }),
    '{"type":"webauthn.get","challenge":"AAAA","origin":"https://a.example","crossOrigin":false}',
  );
  assert.equal(
    serializeClientData({ ...base, crossOrigin: true }),
    '{"type":"webauthn.get","challenge":"AAAA","origin":"https://a.example","crossOrigin":true}',
  );
  assert.equal(
    serializeClientData({ ...base, crossOrigin: true, topOrigin: 'https://top.example' }),
    '{"type":"webauthn.get","challenge":"AAAA","origin":"https://a.example","crossOrigin":true,"topOrigin":"https://top.example"}',
  );
});

test('escapes strings exactly as CCDToString says', () => {
  const origin = 'a"b\\c\u0000\u0008\u001b\u001f d\u007f\u2028é🔑/';
  const out = serializeClientData({ type: 'webauthn.get', challenge: 'AAAA', origin });
  // " and \ get a backslash; U+0000–U+001F become \u + four lower-case hex digits (no \b, \n shortcuts);
  // everything else, including U+007F, U+2028, non-ASCII and '/', is written as itself.
  assert.ok(out.includes('"origin":"a\\"b\\\\c\\u0000\\u0008\\u001b\\u001f d\u007f\u2028é🔑/"'), out);
  assert.equal(JSON.parse(out).origin, origin);
});

test('refuses a challenge that is not canonical unpadded base64url', () => {
  const base = { type: 'webauthn.create', origin: ORIGIN } as const;
  for (const challenge of ['AA==', 'AA+A', 'A', 'AB']) {
    assert.throws(() => serializeClientData({ ...base, challenge }), TypeError, challenge);
  }
});

test('refuses bad type, origin, crossOrigin and lone surrogates', () => {
  assert.throws(() => serializeClientData({ type: 'payment.get' as 'webauthn.get', challenge: 'AAAA', origin: ORIGIN }), TypeError);
  assert.throws(() => serializeClientData({ type: 'webauthn.get', challenge: 'AAAA', origin: '' }), TypeError);
  assert.throws(
    () => serializeClientData({ type: 'webauthn.get', challenge: 'AAAA', origin: ORIGIN, crossOrigin: 'no' as unknown as boolean }),
    TypeError,
  );
  assert.throws(() => serializeClientData({ type: 'webauthn.get', challenge: 'AAAA', origin: 'https://\ud800' }), TypeError);
});
