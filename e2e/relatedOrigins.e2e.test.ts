// Related origin requests (WebAuthn L3 §5.11) in Chromium and Firefox ESR, with a real HTTPS server
// for the RP IDs' well-known documents and @simplewebauthn/server as the relying party:
// - a page on http://shop.localhost:<port> registers and signs in with the RP ID `rp.test`, whose
//   https://rp.test/.well-known/webauthn lists that origin: both verified for origin + RP ID;
// - an RP ID whose document does not list the page, or that has no document, is a SecurityError;
// - the request carries no cookie and no referrer, and getClientCapabilities says relatedOrigins.
// The well-known URL has no port (https://<RP ID>/), so the server listens on 127.0.0.1:443 (the
// suites run as root, as CI does); the browsers map the test names to 127.0.0.1 (Chromium's
// --host-resolver-rules, Firefox's network.dns.localDomains) and accept its self-signed certificate
// (Chromium's --ignore-certificate-errors, Marionette's acceptInsecureCerts).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAuthenticationResponse, verifyRegistrationResponse, type WebAuthnCredential } from '@simplewebauthn/server';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import type { LatchkeyHandle } from '../testing/handle';

const NAMES = ['rp.test', 'elsewhere.test', 'nodoc.test'];
const b64u = (b: Uint8Array | Buffer) => Buffer.from(b).toString('base64url');

/** What each RP ID's well-known URL serves; set per test run (the page origin has a random port). */
const documents = new Map<string, { status: number; type: string; body: string }>();
const wellKnownRequests: { host: string; cookie?: string; referer?: string }[] = [];

let wellKnown: ReturnType<typeof createHttps>;
let site: Server;
let siteOrigin = '';
let certDir = '';

before(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'latchkey-related-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', '/CN=rp.test', '-addext', `subjectAltName=${NAMES.map((n) => `DNS:${n}`).join(',')}`,
    '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem')], { stdio: 'ignore' });
  wellKnown = createHttps({ key: readFileSync(join(certDir, 'key.pem')), cert: readFileSync(join(certDir, 'cert.pem')) }, (req, res) => {
    const host = (req.headers.host ?? '').split(':')[0]!;
    if (req.url === '/.well-known/webauthn') wellKnownRequests.push({ host, cookie: req.headers.cookie, referer: req.headers.referer });
    const doc = req.url === '/.well-known/webauthn' ? documents.get(host) : undefined;
    if (!doc) { res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'); return; }
    res.writeHead(doc.status, { 'content-type': doc.type }).end(doc.body);
  });
  await new Promise<void>((resolve, reject) => {
    wellKnown.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EACCES'
      ? new Error('This suite serves https://rp.test/ on 127.0.0.1:443, which needs root (as CI runs).') : e));
    wellKnown.listen(443, '127.0.0.1', resolve);
  });
  site = createHttp((_req, res) => { res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Shop</title><p>shop'); });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteOrigin = `http://shop.localhost:${(site.address() as AddressInfo).port}`;
  const json = (origins: string[]) => ({ status: 200, type: 'application/json', body: JSON.stringify({ origins }) });
  documents.set('rp.test', json(['https://www.rp.test', siteOrigin]));
  documents.set('elsewhere.test', json(['https://www.elsewhere.test', 'https://shop.example']));
});
after(async () => {
  await new Promise<void>((r) => (wellKnown ? wellKnown.close(() => r()) : r()));
  await new Promise<void>((r) => (site ? site.close(() => r()) : r()));
  if (certDir) rmSync(certDir, { recursive: true, force: true });
});

/** Runs in the page: a create() or get() for the given RP ID; the credential as JSON, or the error's name. */
const CEREMONY = `async (kind, rpId, challenge, userId) => {
  const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  try {
    const c = kind === 'create'
      ? await navigator.credentials.create({ publicKey: { rp: { id: rpId, name: 'Related' }, challenge: dec(challenge),
          user: { id: dec(userId), name: 'related@latchkey.test', displayName: 'Related' },
          pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required' } } })
      : await navigator.credentials.get({ publicKey: { rpId, challenge: dec(challenge) } });
    return { json: c.toJSON() };
  } catch (e) {
    return { error: e.name, message: e.message };
  }
}`;
const CAPABILITIES = `async () => (await PublicKeyCredential.getClientCapabilities()).relatedOrigins`;

type Run = (kind: 'create' | 'get', rpId: string, challenge: string, userId: string) => Promise<{ json?: never; error?: string; message?: string }>;

async function relatedOriginsFlow(run: Run, latchkey: LatchkeyHandle): Promise<void> {
  const userId = b64u(randomBytes(16));
  const regChallenge = b64u(randomBytes(32));
  const reg = await run('create', 'rp.test', regChallenge, userId);
  assert.equal(reg.error, undefined, `create for a related RP ID: ${reg.error}: ${reg.message}`);
  assert.equal((await latchkey.lastCeremony())?.outcome, 'created', 'Latchkey answered');
  const vr = await verifyRegistrationResponse({
    response: reg.json!, expectedChallenge: regChallenge, expectedOrigin: siteOrigin, expectedRPID: 'rp.test', requireUserVerification: false,
  });
  assert.equal(vr.verified, true, '@simplewebauthn/server verifies the registration (origin shop, RP ID rp.test)');
  const credential: WebAuthnCredential = { ...vr.registrationInfo!.credential };
  const passkeys = await latchkey.listPasskeys('rp.test');
  assert.equal(passkeys.length, 1, 'the passkey is kept under the RP ID, not the page origin');

  const challenge = b64u(randomBytes(32));
  const a = await run('get', 'rp.test', challenge, userId);
  assert.equal(a.error, undefined, `get for a related RP ID: ${a.error}: ${a.message}`);
  const va = await verifyAuthenticationResponse({
    response: a.json!, expectedChallenge: challenge, expectedOrigin: siteOrigin, expectedRPID: 'rp.test', credential, requireUserVerification: false,
  });
  assert.equal(va.verified, true, '@simplewebauthn/server verifies the sign-in');

  for (const rpId of ['elsewhere.test', 'nodoc.test']) {
    const refused = await run('create', rpId, b64u(randomBytes(32)), userId);
    assert.equal(refused.error, 'SecurityError', `${rpId}: ${refused.error}: ${refused.message}`);
    const refusedGet = await run('get', rpId, b64u(randomBytes(32)), userId);
    assert.equal(refusedGet.error, 'SecurityError', `${rpId} (get): ${refusedGet.error}`);
  }
  assert.deepEqual(await latchkey.listPasskeys('elsewhere.test'), []);

  const asked = wellKnownRequests.filter((r) => NAMES.includes(r.host));
  assert.ok(asked.length >= 3, 'each RP ID was looked up');
  for (const r of asked) {
    assert.equal(r.cookie, undefined, 'no cookie goes with the request');
    assert.equal(r.referer, undefined, 'no referrer goes with the request');
  }
  assert.equal(wellKnownRequests.filter((r) => r.host === 'rp.test').length, 1, 'the document was fetched once and kept for the sign-in');
}

describe('related origin requests in Chromium', { timeout: 120_000 }, () => {
  let browser: Awaited<ReturnType<typeof launchLatchkey>>;
  let run: Run;
  before(async () => {
    wellKnownRequests.length = 0;
    browser = await launchLatchkey({
      args: [`--host-resolver-rules=${NAMES.map((n) => `MAP ${n} 127.0.0.1`).join(', ')}`, '--ignore-certificate-errors'],
    });
    // A cookie the browser holds for the RP ID: the well-known request must not carry it.
    await browser.context.addCookies([{ name: 'session', value: 'secret', domain: 'rp.test', path: '/', secure: true, sameSite: 'None' }]);
    await browser.latchkey.skipPin();
    await browser.latchkey.approveAll();
    const page = await browser.context.newPage();
    await page.goto(`${siteOrigin}/`);
    run = (...args) => page.evaluate(`(${CEREMONY})(...${JSON.stringify(args)})`);
    assert.equal(await page.evaluate(`(${CAPABILITIES})()`), true, 'getClientCapabilities().relatedOrigins');
  });
  after(async () => { await browser?.close(); });
  test('register and sign in with a related RP ID, verified; unlisted or missing documents are SecurityError', () => relatedOriginsFlow(run, browser.latchkey));
});

describe('related origin requests in Firefox', { timeout: 180_000 }, () => {
  let browser: Awaited<ReturnType<typeof launchLatchkeyFirefox>>;
  let run: Run;
  before(async () => {
    wellKnownRequests.length = 0;
    browser = await launchLatchkeyFirefox({ prefs: { 'network.dns.localDomains': NAMES.join(',') } });
    await browser.latchkey.skipPin();
    await browser.latchkey.approveAll();
    await browser.driver.navigate(`${siteOrigin}/`);
    run = (...args) => browser.driver.executeAsync(CEREMONY, args) as never;
  });
  after(async () => { await browser?.close(); });
  test('register and sign in with a related RP ID, verified; unlisted or missing documents are SecurityError', () => relatedOriginsFlow(run, browser.latchkey));
});
