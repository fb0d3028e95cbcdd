// The verifier programs themselves, without a browser: responses made by Latchkey's own core
// (src/core/makeRegistration, makeAssertion) for a known origin and challenge are accepted by
// python-fido2 and webauthn-ruby, and the same responses with one thing changed are refused, so a
// verdict of "verified" in the browser suites means something. Needs Debian's python3-fido2 and
// ruby-webauthn, which it installs when absent (e2e/lib/debianPackages.ts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { before, test } from 'node:test';
import { makeAssertion } from '../../src/core/makeAssertion';
import { makeRegistration } from '../../src/core/makeRegistration';
import { ensureVerifiers, pythonFido2, rubyWebauthn, type AssertionJSON, type RegistrationJSON } from './run';

const rpId = 'localhost';
const origin = 'http://localhost:8123';
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

before(async () => { await ensureVerifiers(); });

async function made(alg: -7 | -8) {
  const regChallenge = b64u(randomBytes(32));
  const reg = await makeRegistration({ rpId, origin, challenge: regChallenge, crossOrigin: false, uv: true, alg });
  const challenge = b64u(randomBytes(32));
  const userHandle = randomBytes(16);
  const a = await makeAssertion({ rpId, origin, challenge, crossOrigin: false, uv: true, be: false, bs: false,
    credentialId: reg.credentialId, privateKey: reg.privateKey, userHandle, signCount: 0, alg });
  return { reg: reg.response as unknown as RegistrationJSON, regChallenge, a: a as unknown as AssertionJSON, challenge };
}

const flipLast = (s: string) => { const b = Buffer.from(s, 'base64url'); b[b.length - 1]! ^= 1; return b64u(b); };

for (const alg of [-7, -8] as const) {
  test(`python-fido2 verifies Latchkey's ${alg === -7 ? 'ES256' : 'EdDSA'} registration and assertion, and refuses changed ones`, async () => {
    const { reg, regChallenge, a, challenge } = await made(alg);
    const e = { rpId, origin, userVerification: 'required' as const };
    const r = await pythonFido2.register(reg, { ...e, challenge: regChallenge });
    assert.equal(r.verified, true, r.error);
    assert.equal(r.alg, alg);
    assert.equal((await pythonFido2.register(reg, { ...e, challenge: b64u(randomBytes(32)) })).verified, false, 'another challenge');
    assert.equal((await pythonFido2.register(reg, { ...e, rpId: 'example.com', challenge: regChallenge })).verified, false, 'another RP ID');
    assert.equal((await pythonFido2.authenticate(a, { ...e, challenge }, String(r.credential))).verified, true);
    const bad = { ...a, response: { ...a.response, signature: flipLast(a.response.signature) } };
    assert.equal((await pythonFido2.authenticate(bad, { ...e, challenge }, String(r.credential))).verified, false, 'a changed signature');
  });
}

test('webauthn-ruby verifies Latchkey\'s ES256 registration and assertion, refuses changed ones, and has no EdDSA', async () => {
  const { reg, regChallenge, a, challenge } = await made(-7);
  const e = { rpId, origin, userVerification: 'required' as const };
  const r = await rubyWebauthn.register(reg, { ...e, challenge: regChallenge });
  assert.equal(r.verified, true, r.error);
  assert.equal((await rubyWebauthn.register(reg, { ...e, challenge: b64u(randomBytes(32)) })).verified, false, 'another challenge');
  const ok = await rubyWebauthn.authenticate(a, { ...e, challenge }, String(r.publicKey), Number(r.signCount));
  assert.equal(ok.verified, true, ok.error);
  const bad = { ...a, response: { ...a.response, signature: flipLast(a.response.signature) } };
  assert.equal((await rubyWebauthn.authenticate(bad, { ...e, challenge }, String(r.publicKey), Number(r.signCount))).verified, false, 'a changed signature');
  const ed = await made(-8);
  assert.equal((await rubyWebauthn.register(ed.reg, { ...e, challenge: ed.regChallenge })).verified, false, 'webauthn-ruby 2.5.2 (cose 1.2) has no EdDSA');
});
