// PublicKeyCredential's static methods with Latchkey present, in Chromium and Firefox ESR, on the
// demo relying party's /playground: what each method answers; parse*FromJSON -> create()/get()
// through Latchkey -> toJSON(); and the same parse*FromJSON inputs with Latchkey and in a plain browser
// (no Latchkey), side by side: the parsers are the browser's own in every supported browser (Chrome
// 129+, Firefox 119+), so the outcomes must be identical.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { launchLatchkey, type LatchkeyInChromium } from '../testing/chromium';
import { launchLatchkeyFirefox, type LatchkeyInFirefox } from '../testing/firefox';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { CHROMIUM_PATH } from './lib/chromium';
import { isScriptError, launchFirefox, type FirefoxDriver } from './lib/firefox';

const METHODS = ['getClientCapabilities', 'isConditionalMediationAvailable', 'isUserVerifyingPlatformAuthenticatorAvailable', 'parseCreationOptionsFromJSON', 'parseRequestOptionsFromJSON'];

// ---- in the page (plain JavaScript sources: run by Playwright and by Marionette alike) ------------

/** What the page sees of the five methods. Brand checks by tag: Marionette's script realm is not the page's. */
const PROBE = `async () => {
  const P = PublicKeyCredential;
  const methods = {};
  for (const k of ${JSON.stringify(METHODS)}) {
    const d = Object.getOwnPropertyDescriptor(P, k);
    methods[k] = d && { type: typeof d.value, name: d.value.name, length: d.value.length, writable: d.writable, enumerable: d.enumerable,
      configurable: d.configurable, native: Function.prototype.toString.call(d.value).includes('[native code]') };
  }
  const tag = (v) => Object.prototype.toString.call(v);
  const uv = P.isUserVerifyingPlatformAuthenticatorAvailable();
  const uvWrongThis = P.isUserVerifyingPlatformAuthenticatorAvailable.call(undefined);
  const caps = await P.getClientCapabilities();
  return {
    methods,
    uvIsPromise: tag(uv) === '[object Promise]', uv: await uv, uvWrongThis: await uvWrongThis,
    conditional: await P.isConditionalMediationAvailable(),
    caps, capsKeys: Object.keys(caps), capsWrongThis: await P.getClientCapabilities.call({}),
  };
}`;

/** The parse*FromJSON cases, run by the page's PublicKeyCredential. */
const CASES = `async () => {
  const parse = { creation: (j) => PublicKeyCredential.parseCreationOptionsFromJSON(j), request: (j) => PublicKeyCredential.parseRequestOptionsFromJSON(j) };
  const b64 = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const show = (v) => Object.prototype.toString.call(v) === '[object ArrayBuffer]' ? { $buffer: b64(v) }
    : Array.isArray(v) ? v.map(show)
    : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).map((k) => [k, show(v[k])])) : v;
  const base = { rp: { name: 'Playground', id: 'localhost' }, user: { id: 'AQID', name: 'a@latchkey.test', displayName: 'A' }, challenge: 'dGVzdA', pubKeyCredParams: [{ type: 'public-key', alg: -7 }] };
  const cases = {
    'create: minimal': ['creation', base],
    'create: every member': ['creation', { ...base, timeout: 60000, attestation: 'direct', hints: ['client-device'],
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required', authenticatorAttachment: 'platform' },
      excludeCredentials: [{ type: 'public-key', id: 'AQ', transports: ['usb'] }], extensions: { credProps: true } }],
    'create: prf eval': ['creation', { ...base, extensions: { credProps: true, prf: { eval: { first: 'AQ', second: 'Ag' } } } }],
    'create: unknown extension dropped': ['creation', { ...base, extensions: { credProps: true, latchkeyUnknown: { a: 1 } } }],
    'create: empty user.id': ['creation', { ...base, user: { id: '', name: 'a', displayName: 'A' } }],
    'create: non-canonical spare bits': ['creation', { ...base, challenge: 'AB' }],
    'create: challenge "+/"': ['creation', { ...base, challenge: 'A+/A' }],
    'create: challenge of 4n+1 characters': ['creation', { ...base, challenge: 'AAAAA' }],
    'create: challenge with a space': ['creation', { ...base, challenge: 'AA A' }],
    'create: bad prf value': ['creation', { ...base, extensions: { prf: { eval: { first: '!!' } } } }],
    'create: bad excluded id': ['creation', { ...base, excludeCredentials: [{ type: 'public-key', id: '*' }] }],
    'create: no displayName': ['creation', { ...base, user: { id: 'AQ', name: 'a' } }],
    'create: no rp.name': ['creation', { ...base, rp: {} }],
    'create: no alg': ['creation', { ...base, pubKeyCredParams: [{ type: 'public-key' }] }],
    'create: no challenge': ['creation', { ...base, challenge: undefined }],
    'create: TypeError before EncodingError': ['creation', { ...base, challenge: '!', user: { id: 'AQ', name: 'a' } }],
    'create: no argument': ['creation', undefined],
    'get: minimal': ['request', { challenge: 'AQ' }],
    'get: every member': ['request', { challenge: 'AQ', rpId: 'localhost', timeout: 5, userVerification: 'required', hints: ['security-key'],
      allowCredentials: [{ type: 'public-key', id: 'Ag', transports: ['internal'] }], extensions: { appid: 'https://localhost', largeBlob: { read: true } } }],
    'get: prf eval and evalByCredential': ['request', { challenge: 'AQ', extensions: { prf: { eval: { first: 'AQ' }, evalByCredential: { Ag: { first: 'Aw', second: 'BA' } } } } }],
    'get: bad allowed id': ['request', { challenge: 'AQ', allowCredentials: [{ type: 'public-key', id: 'A' }] }],
    'get: no type': ['request', { challenge: 'AQ', allowCredentials: [{ id: 'Ag' }] }],
    'get: no challenge': ['request', {}],
    'get: padded challenge': ['request', { challenge: 'AQ==' }],
  };
  const out = {};
  for (const [name, [kind, json]] of Object.entries(cases)) {
    try { out[name] = { ok: show(parse[kind](json)) }; }
    catch (e) { out[name] = { error: e.name, tag: Object.prototype.toString.call(e) }; }
  }
  return out;
}`;

/** parse -> create -> toJSON, then parse -> get -> toJSON, the challenges checked in clientDataJSON. */
const ROUND_TRIP = `async () => {
  const P = PublicKeyCredential;
  const fromB64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const clientData = (s) => JSON.parse(new TextDecoder().decode(fromB64(s)));
  const created = await navigator.credentials.create({ publicKey: P.parseCreationOptionsFromJSON({
    rp: { name: 'Playground', id: 'localhost' }, user: { id: 'c3RhdGljLW1ldGhvZHM', name: 'static@latchkey.test', displayName: 'Static' },
    challenge: 'Y3JlYXRlLWNoYWxsZW5nZQ', pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' }, extensions: { credProps: true } }) });
  const c = created.toJSON();
  const got = await navigator.credentials.get({ publicKey: P.parseRequestOptionsFromJSON({
    challenge: 'Z2V0LWNoYWxsZW5nZQ', rpId: 'localhost', allowCredentials: [{ type: 'public-key', id: c.id }] }) });
  const g = got.toJSON();
  return {
    instance: created instanceof P && got instanceof P, ownToJSON: Object.prototype.hasOwnProperty.call(created, 'toJSON'),
    created: { id: c.id, rawIdMatches: c.rawId === c.id, type: c.type, clientData: clientData(c.response.clientDataJSON),
      hasAttestation: typeof c.response.attestationObject === 'string', ext: c.clientExtensionResults },
    got: { id: g.id, type: g.type, clientData: clientData(g.response.clientDataJSON), userHandle: g.response.userHandle },
  };
}`;

type Outcomes = Record<string, { ok: unknown } | { error: string; tag: string }>;

describe('PublicKeyCredential static methods with Latchkey present', { timeout: 300_000 }, () => {
  let rp: DemoRp;
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-static-'));
  before(async () => {
    rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') });
  });
  after(async () => {
    await rp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  function checkProbe(p: any, browser: 'chromium' | 'firefox', plainCaps: Record<string, boolean>, _plainConditional: boolean) {
    for (const k of METHODS) {
      const m = p.methods[k];
      assert.ok(m, `${k} is on the constructor`);
      assert.deepEqual({ type: m.type, name: m.name, writable: m.writable, enumerable: m.enumerable, configurable: m.configurable },
        { type: 'function', name: k, writable: true, enumerable: true, configurable: true }, k);
      assert.equal(m.length, k.startsWith('parse') ? 1 : 0, `${k}.length`);
    }
    // The browser's own where Latchkey has nothing to add (both browsers have them).
    assert.equal(p.methods.parseCreationOptionsFromJSON.native, true);
    assert.equal(p.methods.parseRequestOptionsFromJSON.native, true);
    assert.equal(p.methods.isConditionalMediationAvailable.native, false, 'Latchkey\'s (passkey autofill)');
    assert.equal(p.methods.isUserVerifyingPlatformAuthenticatorAvailable.native, false, 'Latchkey\'s');
    assert.equal(p.methods.getClientCapabilities.native, false, 'Latchkey\'s');
    assert.equal(p.uvIsPromise, true);
    assert.equal(p.uv, true, 'Latchkey is a user-verifying platform authenticator');
    assert.equal(p.uvWrongThis, true, 'a static method: `this` does not matter');
    assert.equal(p.conditional, true, 'Latchkey offers passkey autofill itself');
    assert.deepEqual(p.capsKeys, [...p.capsKeys].sort(), 'keys sorted');
    assert.deepEqual(p.capsWrongThis, p.caps);
    const c = p.caps as Record<string, boolean>;
    assert.deepEqual(Object.keys(c).sort(), [...new Set([...Object.keys(plainCaps), 'extension:credProps', 'extension:prf', 'passkeyPlatformAuthenticator',
      'userVerifyingPlatformAuthenticator', 'conditionalCreate', 'conditionalGet', 'hybridTransport', 'relatedOrigins',
      'signalAllAcceptedCredentials', 'signalCurrentUserDetails', 'signalUnknownCredential'])].sort(), `${browser}: every key of both`);
    assert.equal(c.passkeyPlatformAuthenticator, true);
    assert.equal(c.userVerifyingPlatformAuthenticator, true);
    assert.equal(c['extension:credProps'], true);
    assert.equal(c.conditionalCreate, true, 'Latchkey saves passkey upgrades itself (e2e/passkeyUpgrade.e2e.test.ts)');
    // Latchkey checks related origins itself; a hand-over meets the browser's own check, so both must have it.
    assert.equal(c.relatedOrigins, plainCaps.relatedOrigins === true);
    assert.equal(c.conditionalGet, true, 'Latchkey offers passkey autofill itself');
    assert.equal(c.hybridTransport, plainCaps.hybridTransport);
    // Latchkey's own signal methods (e2e/signal.e2e.test.ts), in both browsers.
    for (const k of ['signalAllAcceptedCredentials', 'signalCurrentUserDetails', 'signalUnknownCredential']) assert.equal(c[k], true, k);
    // prf: Latchkey's own, and the browser's on hand-over: both needed, like credProps.
    assert.equal(c['extension:prf'], typeof plainCaps['extension:prf'] === 'boolean' ? plainCaps['extension:prf'] : true);
    for (const k of Object.keys(c)) if (k.startsWith('extension:') && k !== 'extension:credProps' && k !== 'extension:prf') assert.equal(c[k], false, k);
  }

  function checkRoundTrip(r: any, origin: string) {
    assert.equal(r.instance, true);
    assert.equal(r.ownToJSON, true);
    assert.equal(r.created.type, 'public-key');
    assert.equal(r.created.rawIdMatches, true);
    assert.equal(r.created.hasAttestation, true);
    assert.deepEqual(r.created.clientData, { ...r.created.clientData, type: 'webauthn.create', challenge: 'Y3JlYXRlLWNoYWxsZW5nZQ', origin });
    assert.deepEqual(r.created.ext, { credProps: { rk: true } });
    assert.equal(r.got.id, r.created.id);
    assert.equal(r.got.type, 'public-key');
    assert.deepEqual(r.got.clientData, { ...r.got.clientData, type: 'webauthn.get', challenge: 'Z2V0LWNoYWxsZW5nZQ', origin });
    assert.equal(r.got.userHandle, 'c3RhdGljLW1ldGhvZHM');
  }

  describe('Chromium', () => {
    let lk: LatchkeyInChromium | null = null;
    let page: Page;
    let plainBrowser: Browser | null = null;
    after(async () => {
      await lk?.close();
      await plainBrowser?.close();
    });
    const plainPage = async () => {
      plainBrowser ??= await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
      const p = await plainBrowser.newPage();
      await p.goto(`${rp.url}/playground`);
      return p;
    };

    test('each method\'s answer, next to the plain browser\'s', async () => {
      lk = await launchLatchkey();
      page = await lk.context.newPage();
      await page.goto(`${rp.url}/playground`);
      const probe = await page.evaluate(`(${PROBE})()`);
      const plain = await plainPage();
      const plainProbe = await plain.evaluate(`(${PROBE})()`) as any;
      assert.equal(plainProbe.uv, false, 'the plain browser (headless) has no platform authenticator');
      checkProbe(probe, 'chromium', plainProbe.caps, plainProbe.conditional);
    });

    test('parse*FromJSON -> create/get through Latchkey -> toJSON', async () => {
      assert.ok(lk);
      await lk.latchkey.skipPin();
      await lk.latchkey.approveAll();
      checkRoundTrip(await page.evaluate(`(${ROUND_TRIP})()`), new URL(rp.url).origin);
      await lk.latchkey.useWindow();
    });

    test('parse*FromJSON: the same outcomes with Latchkey and without', async () => {
      const withLatchkey = await page.evaluate(`(${CASES})()`) as Outcomes;
      const plain = await plainPage();
      const plainOutcomes = await plain.evaluate(`(${CASES})()`) as Outcomes;
      assert.deepEqual(withLatchkey, plainOutcomes);
    });
  });

  describe('Firefox ESR', () => {
    let lk: LatchkeyInFirefox | null = null;
    let plain: FirefoxDriver | null = null;
    after(async () => {
      await lk?.close();
      await plain?.quit();
    });
    const run = async <T>(d: FirefoxDriver, src: string, args: unknown[] = []): Promise<T> => {
      const r = await d.executeAsync<T>(src, args);
      if (isScriptError(r)) assert.fail(`${r.__error.name}: ${r.__error.message}`);
      return r;
    };

    test('each method\'s answer, next to the plain browser\'s', async () => {
      lk = await launchLatchkeyFirefox();
      await lk.driver.navigate(`${rp.url}/playground`);
      plain = await launchFirefox({});
      await plain.navigate(`${rp.url}/playground`);
      const probe = await run<any>(lk.driver, PROBE);
      const plainProbe = await run<any>(plain, PROBE);
      checkProbe(probe, 'firefox', plainProbe.caps, plainProbe.conditional);
    });

    test('parse*FromJSON -> create/get through Latchkey -> toJSON', async () => {
      assert.ok(lk);
      await lk.latchkey.skipPin();
      await lk.latchkey.approveAll();
      checkRoundTrip(await run(lk.driver, ROUND_TRIP), new URL(rp.url).origin);
      await lk.latchkey.useWindow();
    });

    test('parse*FromJSON: the same outcomes with Latchkey and without', async () => {
      assert.ok(lk && plain);
      const withLatchkey = await run<Outcomes>(lk.driver, CASES);
      const plainOutcomes = await run<Outcomes>(plain, CASES);
      assert.deepEqual(withLatchkey, plainOutcomes);
    });
  });
});
