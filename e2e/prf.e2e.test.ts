// The `prf` extension (WebAuthn L3 §10.1.4) end to end, in a real page, in Chromium and Firefox ESR:
// - create() gives { enabled: true } and, with eval, results; get() gives the same output for the
//   same credential and input, another for another input, and the evalByCredential entry of the
//   chosen credential over eval;
// - the outputs are exactly HMAC-SHA256(HKDF-SHA256(private key, info "...WithUV"), SHA-256("WebAuthn
//   PRF" || 0x00 || input)), computed here with node:crypto for a passkey imported with a known key;
// - only the with-UV PRF is exposed (§10.1.4): without UV there are no results, and a get() with
//   userVerification "discouraged" that asks for outputs makes the real window ask for the PIN;
// - the spec's errors reject before any window; toJSON() carries base64url; getClientExtensionResults()
//   gives ArrayBuffers; @simplewebauthn/server still verifies the responses (no ED flag: the outputs
//   are client extension outputs, nothing follows the authenticator data);
// - Chromium: on hand-over the browser's own authenticator gets the page's original prf input.
// One browser per engine; automation answers where no person needs to be seen.
import assert from 'node:assert/strict';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { clickClosing, nextCeremonyWindow, shownOrClosed } from './lib/chromium';
import { isScriptError, type FirefoxDriver } from './lib/firefox';
import { answerPin, openCeremonyWindow, waitForWindowGone } from './flows/firefoxDemoFlow';
import { launchLatchkey, type LatchkeyInChromium } from '../testing/chromium';
import { launchLatchkeyFirefox, type LatchkeyInFirefox } from '../testing/firefox';
import type { LatchkeyHandle } from '../testing/handle';

const PIN = '4827';
const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-prf-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

/** What the page is asked to do; byte strings travel as number arrays and become Uint8Arrays there. */
interface Spec {
  challenge?: number[];
  user?: number;
  allow?: string[];
  uv?: string;
  /** The prf input, with number arrays for BufferSources; anything else is passed as is (error cases). */
  prf?: unknown;
}
interface Outcome {
  error?: string;
  id?: string;
  json?: RegistrationResponseJSON & AuthenticationResponseJSON;
  /** getClientExtensionResults().prf, described: its keys, enabled, results as hex and their types. */
  prf?: { keys: string[]; enabled?: boolean; first?: string; second?: string; buffers: boolean } | null;
}

/** Runs in the page (source text, so Firefox's Marionette can run it too). */
const CEREMONY = `async (op, spec, inPage) => {
  const conv = (v) => Array.isArray(v) ? new Uint8Array(v)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, conv(x)])) : v;
  const hex = (b) => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, '0')).join('');
  const extensions = 'prf' in spec ? { prf: conv(spec.prf) } : undefined;
  const challenge = new Uint8Array(spec.challenge || [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  // An ArrayBuffer; of this realm too when the script runs in the page's realm (inPage: Chromium's
  // page.evaluate). Firefox's Marionette runs it in a sandbox, another realm: the brand only there.
  const isAB = (x) => Object.prototype.toString.call(x) === '[object ArrayBuffer]' && (!inPage || x instanceof ArrayBuffer);
  const b64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  try {
    const cred = op === 'create'
      ? await navigator.credentials.create({ publicKey: {
          rp: { name: 'PRF' }, challenge, pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
          user: { id: new Uint8Array([0x9f, spec.user || 1]), name: 'prf' + (spec.user || 1) + '@latchkey.test', displayName: 'PRF ' + (spec.user || 1) },
          authenticatorSelection: { residentKey: 'required', userVerification: spec.uv || 'preferred' },
          ...(extensions ? { extensions } : {}) } })
      : await navigator.credentials.get({ publicKey: {
          challenge, userVerification: spec.uv || 'preferred',
          allowCredentials: (spec.allow || []).map((id) => ({ type: 'public-key', id: b64(id) })),
          ...(extensions ? { extensions } : {}) } });
    const p = cred.getClientExtensionResults().prf;
    const r = p && p.results;
    // Only defined members: Marionette would turn undefined into null.
    let prf = null;
    if (p) {
      prf = { keys: Object.keys(p), buffers: !r || (isAB(r.first) && r.first.byteLength === 32 && (!r.second || (isAB(r.second) && r.second.byteLength === 32))) };
      if (p.enabled !== undefined) prf.enabled = p.enabled;
      if (r) prf.first = hex(r.first);
      if (r && r.second) prf.second = hex(r.second);
    }
    return { id: cred.id, json: cred.toJSON(), prf };
  } catch (e) {
    return { error: e.name };
  }
}`;

/** The expected output, computed apart from Latchkey's code with node:crypto (src/core/prf.ts's mapping). */
function expectedPrf(privateKey: Buffer, input: number[]): string {
  const secret = Buffer.from(hkdfSync('sha256', privateKey, Buffer.alloc(0), 'Latchkey WebAuthn prf v1: CredRandomWithUV', 32));
  const salt = createHash('sha256').update('WebAuthn PRF').update(Buffer.from([0])).update(Buffer.from(input)).digest();
  return createHmac('sha256', secret).update(salt).digest('hex');
}

const b64ToHex = (s: string) => Buffer.from(s, 'base64url').toString('hex');
/** Authenticator data flags (§6.1): UV is bit 2, ED bit 7. */
const flagsOf = (authData: string) => Buffer.from(authData, 'base64url')[32]!;
const CHALLENGE = Array.from({ length: 16 }, (_, i) => i + 1);
const CHALLENGE_B64 = Buffer.from(CHALLENGE).toString('base64url');

/** What each engine gives the shared checks. */
interface Harness {
  latchkey: LatchkeyHandle;
  run(op: 'create' | 'get', spec: Spec): Promise<Outcome>;
  windowCount(): Promise<number>;
  /** A get() answered in the real window: choose the account, enter the PIN if asked. */
  getInWindow(spec: Spec, userName: string): Promise<{ outcome: Outcome; pinStep: string }>;
}

async function verifyBoth(reg: Outcome, assertion: Outcome, requireUserVerification: boolean): Promise<void> {
  const r = await verifyRegistrationResponse({
    response: reg.json!, expectedChallenge: CHALLENGE_B64, expectedOrigin: rp.url, expectedRPID: 'localhost', requireUserVerification: false,
  });
  assert.equal(r.verified, true);
  const a = await verifyAuthenticationResponse({
    response: assertion.json!, expectedChallenge: CHALLENGE_B64, expectedOrigin: rp.url, expectedRPID: 'localhost', requireUserVerification,
    credential: { id: reg.id!, publicKey: r.registrationInfo!.credential.publicKey, counter: 0 },
  });
  assert.equal(a.verified, true);
}

async function checks(h: Harness): Promise<void> {
  const { latchkey } = h;
  await latchkey.setPin(PIN);
  await latchkey.approveAll({ userVerified: true });

  // create with eval: enabled, results (evaluation at creation, §10.1.4 registration), 32-byte ArrayBuffers.
  const A = await h.run('create', { user: 1, challenge: CHALLENGE, prf: { eval: { first: [1, 2, 3, 4] } } });
  assert.equal(A.error, undefined, A.error);
  assert.equal(A.prf?.enabled, true);
  assert.equal(A.prf?.buffers, true);
  assert.match(A.prf!.first!, /^[0-9a-f]{64}$/);
  assert.equal(A.prf?.second, undefined);
  // toJSON(): base64url of the same bytes (AuthenticationExtensionsPRFOutputsJSON).
  const jsonPrf = A.json!.clientExtensionResults.prf as unknown as { enabled: boolean; results: { first: string } };
  assert.equal(jsonPrf.enabled, true);
  assert.equal(b64ToHex(jsonPrf.results.first), A.prf!.first);
  assert.equal(flagsOf(A.json!.response.authenticatorData) & 0x80, 0, 'no ED flag at registration');

  // create with prf: {} -> { enabled: true } only.
  const B = await h.run('create', { user: 2, prf: {} });
  assert.deepEqual(B.prf, { keys: ['enabled'], enabled: true, buffers: true });

  // get: same credential, same input -> the output seen at creation, twice.
  const g1 = await h.run('get', { allow: [A.id!], challenge: CHALLENGE, prf: { eval: { first: [1, 2, 3, 4] } } });
  const g2 = await h.run('get', { allow: [A.id!], prf: { eval: { first: [1, 2, 3, 4] } } });
  assert.equal(g1.prf?.first, A.prf!.first);
  assert.equal(g2.prf?.first, A.prf!.first);
  assert.deepEqual(g1.prf?.keys, ['results'], 'no `enabled` at authentication');
  assert.equal(b64ToHex((g1.json!.clientExtensionResults.prf as unknown as { results: { first: string } }).results.first), A.prf!.first);
  assert.equal(flagsOf(g1.json!.response.authenticatorData) & 0x84, 0x04, 'UV, and no ED flag');
  await verifyBoth(A, g1, true);

  // A different input gives a different output; `second` is evaluated too.
  const g3 = await h.run('get', { allow: [A.id!], prf: { eval: { first: [5, 6, 7, 8], second: [1, 2, 3, 4] } } });
  assert.notEqual(g3.prf?.first, A.prf!.first);
  assert.equal(g3.prf?.second, A.prf!.first);
  assert.equal(g3.prf?.buffers, true);
  // Another credential, same input: another output.
  const gB = await h.run('get', { allow: [B.id!], prf: { eval: { first: [1, 2, 3, 4] } } });
  assert.notEqual(gB.prf?.first, A.prf!.first);

  // evalByCredential: the chosen credential's entry wins over eval; the other credential gets eval.
  const prfBoth = { eval: { first: [1, 2, 3, 4] }, evalByCredential: { [B.id!]: { first: [5, 6, 7, 8] } } };
  await latchkey.answerNext({ kind: 'account', credentialId: B.id! });
  const byB = await h.run('get', { allow: [A.id!, B.id!], prf: prfBoth });
  const gB5678 = await h.run('get', { allow: [B.id!], prf: { eval: { first: [5, 6, 7, 8] } } });
  assert.equal(byB.id, B.id);
  assert.equal(byB.prf?.first, gB5678.prf?.first);
  await latchkey.answerNext({ kind: 'account', credentialId: A.id! });
  const byA = await h.run('get', { allow: [A.id!, B.id!], prf: prfBoth });
  assert.equal(byA.id, A.id);
  assert.equal(byA.prf?.first, A.prf!.first);
  // An entry for another credential only: no input applies, so prf is {} (§10.1.4 step 3).
  await latchkey.answerNext({ kind: 'account', credentialId: A.id! });
  const none = await h.run('get', { allow: [A.id!, B.id!], prf: { evalByCredential: { [B.id!]: { first: [1] } } } });
  assert.deepEqual(none.prf, { keys: [], buffers: true });

  // Without UV the page gets no outputs: the exposed PRF is the with-UV one (§10.1.4).
  await latchkey.approveAll({ userVerified: false });
  const noUv = await h.run('get', { allow: [A.id!], challenge: CHALLENGE, prf: { eval: { first: [1, 2, 3, 4] } } });
  assert.equal(noUv.error, undefined);
  assert.deepEqual(noUv.prf?.keys, []);
  assert.equal(flagsOf(noUv.json!.response.authenticatorData) & 0x04, 0);
  assert.equal((await latchkey.lastCeremony())?.userVerified, false);
  await verifyBoth(A, noUv, false);
  const createNoUv = await h.run('create', { user: 3, prf: { eval: { first: [1] } } });
  assert.deepEqual(createNoUv.prf?.keys, ['enabled']);
  await latchkey.approveAll({ userVerified: true }); // setMode keeps the last userVerified otherwise

  // Known answer: a passkey imported with a known private key gives exactly the mapping's output.
  const knownKey = Buffer.alloc(32, 0x11);
  const K = await latchkey.addPasskey({
    rpId: 'localhost', credentialId: Buffer.from('prf-known-answer').toString('base64url'), userHandle: 'AQID', userName: 'known@latchkey.test',
    privateKey: knownKey.toString('base64url'),
  });
  const gK = await h.run('get', { allow: [K.credentialId], prf: { eval: { first: [1, 2, 3], second: [] } } });
  assert.equal(gK.prf?.first, expectedPrf(knownKey, [1, 2, 3]), JSON.stringify(gK.prf ?? gK.error));
  assert.equal(gK.prf?.second, expectedPrf(knownKey, []));

  // The spec's errors, before any window: Latchkey answers in its window now, so a window would hang.
  await latchkey.useWindow();
  const windows = await h.windowCount();
  const cases: Array<[string, 'create' | 'get', Spec]> = [
    ['NotSupportedError', 'create', { prf: { evalByCredential: { [A.id!]: { first: [1] } } } }],
    ['NotSupportedError', 'get', { prf: { evalByCredential: { [A.id!]: { first: [1] } } } }],
    ['SyntaxError', 'get', { allow: [A.id!], prf: { evalByCredential: { 'not base64url!': { first: [1] } } } }],
    ['SyntaxError', 'get', { allow: [A.id!], prf: { evalByCredential: { [B.id!]: { first: [1] } } } }],
    ['SyntaxError', 'get', { allow: [A.id!], prf: { evalByCredential: { '': { first: [1] } } } }],
    ['TypeError', 'get', { allow: [A.id!], prf: { eval: {} } }],
    ['TypeError', 'create', { prf: { eval: { first: 'not a buffer' } } }],
    ['TypeError', 'get', { allow: [A.id!], prf: { evalByCredential: 'not a record' } }],
  ];
  for (const [name, op, spec] of cases) {
    assert.equal((await h.run(op, spec)).error, name, `${op} ${JSON.stringify(spec.prf)}`);
  }
  assert.equal(await h.windowCount(), windows, 'no window opened');

  // The real window, with the PIN: userVerification "discouraged", but asking for PRF outputs asks
  // for the PIN (the with-UV PRF, "overrides the UserVerificationRequirement"); the output is the UV one.
  await latchkey.updateSettings({ uvGraceSeconds: 0 });
  const plain = await h.getInWindow({ allow: [A.id!], uv: 'discouraged' }, 'prf1@latchkey.test');
  assert.equal(plain.pinStep, 'none', 'no PIN without prf and with "discouraged"');
  assert.equal(flagsOf(plain.outcome.json!.response.authenticatorData) & 0x04, 0);
  const viaWindow = await h.getInWindow({ allow: [A.id!], uv: 'discouraged', challenge: CHALLENGE, prf: { eval: { first: [1, 2, 3, 4] } } }, 'prf1@latchkey.test');
  assert.equal(viaWindow.pinStep, 'unlock');
  assert.equal(viaWindow.outcome.prf?.first, A.prf!.first);
  assert.equal(flagsOf(viaWindow.outcome.json!.response.authenticatorData) & 0x04, 0x04);
  const last = await latchkey.lastCeremony();
  assert.equal(last?.answeredBy, 'window');
  assert.equal(last?.userVerified, true);
  await verifyBoth(A, viaWindow.outcome, true);
}

describe('prf in Chromium', { timeout: 240_000 }, () => {
  let b: LatchkeyInChromium;
  let page: Page;
  before(async () => {
    b = await launchLatchkey();
    page = await b.context.newPage();
    await page.goto(`${rp.url}/playground`);
  });
  after(async () => { await b?.close(); });
  const run = (op: string, spec: Spec) => page.evaluate(`(${CEREMONY})(${JSON.stringify(op)}, ${JSON.stringify(spec)}, true)`) as Promise<Outcome>;

  test('outputs, evalByCredential, UV, errors, toJSON, relying-party verification, the window with the PIN', async () => {
    await checks({
      latchkey: b.latchkey,
      run,
      windowCount: async () => b.context.pages().length,
      async getInWindow(spec, userName) {
        const opens = nextCeremonyWindow(b.context);
        const outcome = run('get', spec);
        const win = await opens;
        await clickClosing(win.getByRole('button', { name: userName }));
        const unlock = win.getByRole('button', { name: 'Unlock' });
        const pinStep = (await shownOrClosed(win, unlock, 'unlock')) === 'unlock' ? 'unlock' : 'none';
        if (pinStep === 'unlock') {
          await win.getByLabel('PIN', { exact: true }).fill(PIN);
          await clickClosing(unlock);
        }
        return { outcome: await outcome, pinStep };
      },
    });
  });

  test('hand-over: the browser gets the original prf input (DevTools authenticator with PRF)', async () => {
    const cdp = await b.context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', ctap2Version: 'ctap2_1', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true, hasPrf: true },
    });
    await b.latchkey.answerNext({ kind: 'hand-over' });
    const handed = await run('create', { user: 9, prf: {} });
    assert.equal(handed.error, undefined, handed.error);
    assert.equal(handed.prf?.enabled, true, 'the browser saw extensions.prf');
    assert.equal((await b.latchkey.listPasskeys('localhost')).some((p) => p.credentialId === handed.id), false, 'made by the browser, not Latchkey');
  });
});

describe('prf in Firefox', { timeout: 300_000 }, () => {
  let b: LatchkeyInFirefox;
  before(async () => {
    b = await launchLatchkeyFirefox();
    await b.driver.navigate(`${rp.url}/playground`);
  });
  after(async () => { await b?.close(); });

  test('outputs, evalByCredential, UV, errors, toJSON, relying-party verification, the window with the PIN', async () => {
    const ff: FirefoxDriver = b.driver;
    const run = async (op: string, spec: Spec): Promise<Outcome> => {
      const r = await ff.executeAsync<Outcome>(CEREMONY, [op, spec]);
      if (isScriptError(r)) throw new Error(r.__error.message);
      return r;
    };
    const log = () => {};
    await checks({
      latchkey: b.latchkey,
      run,
      windowCount: async () => (await ff.windowHandles()).length,
      async getInWindow(spec, userName) {
        // Marionette runs one command at a time: start the call without awaiting it, read it later.
        const { main, popup } = await openCeremonyWindow(ff, async () => {
          await ff.execute(`(op, spec) => { window.__prf = null; (${CEREMONY})(op, spec).then((r) => { window.__prf = r; }); }`, ['get', spec]);
        });
        await ff.clickButton(userName);
        const pinStep = await answerPin(ff, popup, PIN, log);
        await waitForWindowGone(ff, popup);
        await ff.switchToWindow(main);
        const outcome = await ff.executeAsync<Outcome>(`async () => { for (let i = 0; i < 200 && !window.__prf; i++) await new Promise((r) => setTimeout(r, 50)); return window.__prf; }`);
        if (isScriptError(outcome) || !outcome) throw new Error('the get() did not settle');
        return { outcome, pinStep };
      },
    });
  });
});
