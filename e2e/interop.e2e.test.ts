// Interop: what Latchkey gives a page, in Chromium and in Firefox ESR, verified by relying-party code
// that is not Latchkey's. For ES256 and for EdDSA: a registration (resident key, user verification),
// then a sign-in with no allowCredentials (discoverable) and one naming the credential.
// - every response: @simplewebauthn/server (verifyRegistrationResponse / verifyAuthenticationResponse);
// - ES256: also fido2-lib (attestationResult / assertionResult);
// - EdDSA (fido2-lib has none, ../shared/docs/INTEROP.md): also a check written here, on
//   independent parts: cbor-x decodes the attestation object and the COSE key (Latchkey encodes with
//   its own src/core/cbor.ts), this file parses authenticatorData, and Node's OpenSSL (node:crypto)
//   verifies the Ed25519 signature over authenticatorData || SHA-256(clientDataJSON).
// - every response also: Yubico's python-fido2 (Fido2Server, Debian's python3-fido2 0.9.1) for ES256
//   and EdDSA, and webauthn-ruby (Debian's ruby-webauthn 2.5.2) for ES256 (it has no EdDSA: its
//   refusal is checked, so a later version that learns EdDSA shows up here); e2e/verifiers/.
// The page sends the raw ArrayBuffers of the credential, base64url-encoded in the page by this
// file's own code (not the credential's toJSON), so the verifiers see exactly what a page gets.
import assert from 'node:assert/strict';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { Decoder } from 'cbor-x';
import { Fido2Lib } from 'fido2-lib';
import { startBlankSite } from './conformance/browsers';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import type { LatchkeyHandle } from '../testing/handle';
import { ensureVerifiers, pythonFido2, rubyWebauthn, type Verdict } from './verifiers/run';

const RP_ID = 'localhost';
const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'base64url'));
const toArrayBuffer = (s: string) => { const u = bytes(s); return u.buffer.slice(u.byteOffset, u.byteOffset + u.byteLength); };

/** Runs in the page: one ceremony; returns the credential's raw buffers as base64url, or the error. */
const CEREMONY = `async (kind, alg, challenge, userId, allowId) => {
  const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const enc = (buf) => { let s = ''; for (const x of new Uint8Array(buf)) s += String.fromCharCode(x); return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, ''); };
  try {
    if (kind === 'create') {
      const c = await navigator.credentials.create({ publicKey: {
        rp: { name: 'Interop' }, challenge: dec(challenge),
        user: { id: dec(userId), name: 'interop' + alg + '@latchkey.test', displayName: 'Interop ' + alg },
        pubKeyCredParams: [{ type: 'public-key', alg }],
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      } });
      return { id: c.id, rawId: enc(c.rawId), type: c.type, authenticatorAttachment: c.authenticatorAttachment,
        clientExtensionResults: c.getClientExtensionResults(),
        response: { clientDataJSON: enc(c.response.clientDataJSON), attestationObject: enc(c.response.attestationObject), transports: c.response.getTransports() } };
    }
    // Discoverable: an empty allowCredentials; otherwise the one credential.
    const publicKey = { challenge: dec(challenge), userVerification: 'required', allowCredentials: allowId ? [{ type: 'public-key', id: dec(allowId) }] : [] };
    const c = await navigator.credentials.get({ publicKey });
    const r = c.response;
    return { id: c.id, rawId: enc(c.rawId), type: c.type, authenticatorAttachment: c.authenticatorAttachment,
      clientExtensionResults: c.getClientExtensionResults(),
      response: { clientDataJSON: enc(r.clientDataJSON), authenticatorData: enc(r.authenticatorData), signature: enc(r.signature), userHandle: r.userHandle ? enc(r.userHandle) : undefined } };
  } catch (e) {
    return { error: e.name + ': ' + e.message };
  }
}`;

interface Registration { id: string; rawId: string; type: 'public-key'; authenticatorAttachment: 'platform'; clientExtensionResults: Record<string, never>;
  response: { clientDataJSON: string; attestationObject: string; transports: string[] } }
interface Assertion { id: string; rawId: string; type: 'public-key'; authenticatorAttachment: 'platform'; clientExtensionResults: Record<string, never>;
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string } }
type Run = (kind: 'create' | 'get', alg: number, challenge: string, userId: string, allowId?: string) => Promise<unknown>;

function ok<T>(r: unknown): T {
  if (r && typeof r === 'object' && 'error' in r) assert.fail(`the ceremony failed: ${(r as { error: string }).error}`);
  return r as T;
}

// ---- The independent check: cbor-x + this parser + OpenSSL ----------------------------------------

const cbor = new Decoder({ mapsAsObjects: false, useRecords: false });

interface ParsedAuthData { rpIdHash: Buffer; flags: number; counter: number; credentialId?: Buffer; coseKey?: Map<number, unknown> }

/** WebAuthn §6.1: rpIdHash (32) | flags (1) | signCount (4) | [aaguid (16) | idLen (2) | id | COSE key] | [extensions]. */
function parseAuthData(data: Buffer): ParsedAuthData {
  assert.ok(data.length >= 37, 'authenticatorData too short');
  const out: ParsedAuthData = { rpIdHash: data.subarray(0, 32), flags: data[32]!, counter: data.readUInt32BE(33) };
  if (out.flags & 0x40) {
    const idLen = data.readUInt16BE(53);
    out.credentialId = data.subarray(55, 55 + idLen);
    const rest = data.subarray(55 + idLen);
    const items: unknown[] = [];
    cbor.decodeMultiple(rest, (v: unknown) => { items.push(v); });
    assert.equal(items.length, out.flags & 0x80 ? 2 : 1, 'exactly the COSE key (and extensions when ED is set) follow');
    out.coseKey = items[0] as Map<number, unknown>;
  }
  return out;
}

/** From the attestation object: the Ed25519 public key, checked against the COSE rules of §5.8.5 / RFC 9053. */
function ed25519FromRegistration(reg: Registration, challenge: string, origin: string): { key: ReturnType<typeof createPublicKey>; credentialId: Buffer } {
  const att = cbor.decode(Buffer.from(reg.response.attestationObject, 'base64url')) as Map<string, unknown>;
  assert.equal(att.get('fmt'), 'none');
  assert.equal((att.get('attStmt') as Map<unknown, unknown>).size, 0);
  const authData = parseAuthData(Buffer.from(att.get('authData') as Uint8Array));
  checkClientData(reg.response.clientDataJSON, 'webauthn.create', challenge, origin);
  assert.deepEqual(authData.rpIdHash, createHash('sha256').update(RP_ID).digest());
  assert.equal(authData.flags & 0x05, 0x05, 'UP and UV');
  assert.equal(b64u(authData.credentialId!), reg.rawId);
  const k = authData.coseKey!;
  assert.equal(k.get(1), 1, 'kty OKP');
  assert.equal(k.get(3), -8, 'alg EdDSA');
  assert.equal(k.get(-1), 6, 'crv Ed25519');
  const x = Buffer.from(k.get(-2) as Uint8Array);
  assert.equal(x.length, 32);
  return { key: createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: b64u(x) }, format: 'jwk' }), credentialId: authData.credentialId! };
}

function checkClientData(clientDataJSON: string, type: string, challenge: string, origin: string): void {
  const cd = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { type: string; challenge: string; origin: string; crossOrigin?: boolean };
  assert.equal(cd.type, type);
  assert.equal(cd.challenge, challenge);
  assert.equal(cd.origin, origin);
  assert.notEqual(cd.crossOrigin, true);
}

function verifyEd25519Assertion(a: Assertion, key: ReturnType<typeof createPublicKey>, challenge: string, origin: string): void {
  checkClientData(a.response.clientDataJSON, 'webauthn.get', challenge, origin);
  const authData = Buffer.from(a.response.authenticatorData, 'base64url');
  const parsed = parseAuthData(authData);
  assert.deepEqual(parsed.rpIdHash, createHash('sha256').update(RP_ID).digest());
  assert.equal(parsed.flags & 0x05, 0x05, 'UP and UV');
  const signed = Buffer.concat([authData, createHash('sha256').update(Buffer.from(a.response.clientDataJSON, 'base64url')).digest()]);
  const signature = Buffer.from(a.response.signature, 'base64url');
  assert.equal(signature.length, 64);
  assert.equal(verify(null, signed, key, signature), true, 'OpenSSL verifies the Ed25519 signature');
  // And refuses it over anything else: the check can fail.
  signed[signed.length - 1]! ^= 1;
  assert.equal(verify(null, signed, key, signature), false);
}

// ---- The round trip, the same in both browsers ------------------------------------------------------

async function roundTrip(run: Run, latchkey: LatchkeyHandle, origin: string, alg: -7 | -8): Promise<void> {
  await latchkey.clearPasskeys();
  const userId = b64u(randomBytes(16));
  const regChallenge = b64u(randomBytes(32));
  const reg = ok<Registration>(await run('create', alg, regChallenge, userId));
  assert.equal((await latchkey.lastCeremony())?.outcome, 'created', 'Latchkey made it');

  const v = await verifyRegistrationResponse({
    response: reg, expectedChallenge: regChallenge, expectedOrigin: origin, expectedRPID: RP_ID, requireUserVerification: true,
  });
  assert.equal(v.verified, true, '@simplewebauthn/server verifies the registration');
  assert.equal(v.registrationInfo.fmt, 'none');
  const stored = { id: v.registrationInfo.credential.id, publicKey: v.registrationInfo.credential.publicKey, counter: v.registrationInfo.credential.counter };

  // python-fido2 and webauthn-ruby (e2e/verifiers/).
  const expect = (challenge: string) => ({ rpId: RP_ID, origin, challenge, userVerification: 'required' as const });
  const py = await pythonFido2.register(reg, expect(regChallenge));
  assert.equal(py.verified, true, `python-fido2 verifies the registration: ${py.error ?? ''}`);
  assert.equal(py.alg, alg);
  const rb = await rubyWebauthn.register(reg, expect(regChallenge));
  if (alg === -7) assert.equal(rb.verified, true, `webauthn-ruby verifies the registration: ${rb.error ?? ''}`);
  else assert.equal(rb.verified, false, 'webauthn-ruby 2.5.2 has no EdDSA (if this changes, verify EdDSA with it too)');
  let rbCount = Number(rb.signCount ?? 0);

  let f2lKey = '';
  let f2lCounter = 0;
  let edKey: ReturnType<typeof createPublicKey> | undefined;
  if (alg === -7) {
    const f2l = new Fido2Lib({ rpId: RP_ID, rpName: 'Interop', cryptoParams: [-7] });
    const r = await f2l.attestationResult(
      { rawId: toArrayBuffer(reg.rawId), response: { clientDataJSON: reg.response.clientDataJSON, attestationObject: reg.response.attestationObject } },
      { rpId: RP_ID, origin, challenge: regChallenge, factor: 'first' },
    );
    assert.equal(r.audit.complete, true, 'fido2-lib verifies the registration');
    f2lKey = r.authnrData.get('credentialPublicKeyPem') as string;
    f2lCounter = r.authnrData.get('counter') as number;
  } else {
    edKey = ed25519FromRegistration(reg, regChallenge, origin).key;
  }

  for (const allow of [undefined, reg.rawId]) {
    const challenge = b64u(randomBytes(32));
    const a = ok<Assertion>(await run('get', alg, challenge, userId, allow));
    assert.equal((await latchkey.lastCeremony())?.outcome, 'asserted', 'Latchkey answered');
    assert.equal(a.rawId, reg.rawId);
    assert.equal(a.response.userHandle, userId);
    const va = await verifyAuthenticationResponse({
      response: a, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: RP_ID, credential: stored, requireUserVerification: true,
    });
    assert.equal(va.verified, true, `@simplewebauthn/server verifies the assertion (${allow ? 'allowCredentials' : 'discoverable'})`);
    stored.counter = va.authenticationInfo.newCounter;
    const pya = await pythonFido2.authenticate(a, expect(challenge), String(py.credential));
    assert.equal(pya.verified, true, `python-fido2 verifies the assertion: ${pya.error ?? ''}`);
    // The same check refuses a signature over anything else: it can fail.
    const tampered = { ...a, response: { ...a.response, clientDataJSON: b64u(Buffer.from(Buffer.from(a.response.clientDataJSON, 'base64url').toString('utf8').replace('"webauthn.get"', '"webauthn.get" '))) } };
    assert.equal((await pythonFido2.authenticate(tampered, expect(challenge), String(py.credential))).verified, false, 'python-fido2 refuses a changed clientDataJSON');
    if (alg === -7) {
      const rba: Verdict = await rubyWebauthn.authenticate(a, expect(challenge), String(rb.publicKey), rbCount);
      assert.equal(rba.verified, true, `webauthn-ruby verifies the assertion: ${rba.error ?? ''}`);
      rbCount = Number(rba.signCount ?? rbCount);
    }
    if (alg === -7) {
      const f2l = new Fido2Lib({ rpId: RP_ID, rpName: 'Interop', cryptoParams: [-7] });
      const r = await f2l.assertionResult(
        { rawId: toArrayBuffer(a.rawId), response: { clientDataJSON: a.response.clientDataJSON, authenticatorData: toArrayBuffer(a.response.authenticatorData), signature: a.response.signature, userHandle: a.response.userHandle! } },
        { rpId: RP_ID, origin, challenge, factor: 'first', publicKey: f2lKey, prevCounter: f2lCounter, userHandle: userId,
          ...(allow ? { allowCredentials: [{ type: 'public-key' as const, id: toArrayBuffer(allow), transports: null as never }] } : {}) },
      );
      assert.equal(r.audit.complete, true, `fido2-lib verifies the assertion (${allow ? 'allowCredentials' : 'discoverable'})`);
      f2lCounter = r.authnrData.get('counter') as number;
    } else {
      verifyEd25519Assertion(a, edKey!, challenge, origin);
    }
  }
}

let site: Awaited<ReturnType<typeof startBlankSite>>;
before(async () => { await ensureVerifiers(); site = await startBlankSite(); });
after(async () => { await site?.close(); });
const originOf = (url: string) => new URL(url).origin;

describe('interop in Chromium', { timeout: 120_000 }, () => {
  let browser: Awaited<ReturnType<typeof launchLatchkey>>;
  let run: Run;
  before(async () => {
    browser = await launchLatchkey();
    await browser.latchkey.skipPin();
    await browser.latchkey.approveAll();
    const page = await browser.context.newPage();
    await page.goto(site.url);
    run = (...args) => page.evaluate(`(${CEREMONY})(...${JSON.stringify(args)})`);
  });
  after(async () => { await browser?.close(); });
  test('ES256: registration and both sign-ins verified by @simplewebauthn/server, fido2-lib, python-fido2 and webauthn-ruby', () => roundTrip(run, browser.latchkey, originOf(site.url), -7));
  test('EdDSA: registration and both sign-ins verified by @simplewebauthn/server, python-fido2 and cbor-x + OpenSSL', () => roundTrip(run, browser.latchkey, originOf(site.url), -8));
});

describe('interop in Firefox', { timeout: 180_000 }, () => {
  let browser: Awaited<ReturnType<typeof launchLatchkeyFirefox>>;
  let run: Run;
  before(async () => {
    browser = await launchLatchkeyFirefox();
    await browser.latchkey.skipPin();
    await browser.latchkey.approveAll();
    await browser.driver.navigate(site.url);
    run = (...args) => browser.driver.executeAsync(CEREMONY, args);
  });
  after(async () => { await browser?.close(); });
  test('ES256: registration and both sign-ins verified by @simplewebauthn/server, fido2-lib, python-fido2 and webauthn-ruby', () => roundTrip(run, browser.latchkey, originOf(site.url), -7));
  test('EdDSA: registration and both sign-ins verified by @simplewebauthn/server, python-fido2 and cbor-x + OpenSSL', () => roundTrip(run, browser.latchkey, originOf(site.url), -8));
});
