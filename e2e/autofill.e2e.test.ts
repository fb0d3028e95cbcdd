// Passkey autofill (get() with mediation "conditional", issue 5) in Chromium and Firefox ESR: a
// page with <input autocomplete="username webauthn"> asks; focusing the input shows Latchkey's frame
// with the stored passkeys; the page's own script cannot read the frame or click into it; a person's
// click in the frame signs in (the assertion checked by @simplewebauthn/server, with the right user
// handle); allowCredentials narrows the list; aborting removes the offer and rejects with the
// reason; a locked vault is unlocked in Latchkey's window and then the sign-in completes.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { verifyAuthenticationResponse, type AuthenticationResponseJSON } from '@simplewebauthn/server';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { clickClosing, nextCeremonyWindow, stopServiceWorker } from './lib/chromium';
import { isScriptError, type FirefoxDriver } from './lib/firefox';
import { addPasskey, DEMO_EMAIL, signInWithPassword, signOut } from './flows/chromiumDemoFlow';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import type { LatchkeyHandle } from '../testing/handle';

const PIN = '246810';
const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-autofill-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** A P-256 passkey made here: Latchkey imports the private key, the test verifies with the public one. */
function makePasskey(userName: string, userDisplayName: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x!, 'base64url');
  const y = Buffer.from(jwk.y!, 'base64url');
  // COSE_Key (RFC 9053 §7.1.1, EC2): {1: 2, 3: -7, -1: 1, -2: x, -3: y}, CBOR by hand.
  const cose = Buffer.concat([Buffer.from([0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20]), x, Buffer.from([0x22, 0x58, 0x20]), y]);
  return {
    credentialId: b64url(randomBytes(16)), userHandle: b64url(randomBytes(16)), userName, userDisplayName, cose,
    privateKey: b64url(privateKey.export({ format: 'der', type: 'pkcs8' })),
  };
}
type Passkey = ReturnType<typeof makePasskey>;

async function addPasskeys(latchkey: LatchkeyHandle, ...keys: Passkey[]): Promise<void> {
  for (const k of keys) {
    await latchkey.addPasskey({ rpId: 'localhost', credentialId: k.credentialId, userHandle: k.userHandle, userName: k.userName, userDisplayName: k.userDisplayName, privateKey: k.privateKey });
  }
}

async function verify(json: AuthenticationResponseJSON, challenge: string, key: Passkey) {
  assert.equal(json.id, key.credentialId);
  assert.equal(json.response.userHandle, key.userHandle, 'the chosen account\'s user handle');
  const v = await verifyAuthenticationResponse({
    response: json, expectedChallenge: challenge, expectedOrigin: rp.url, expectedRPID: 'localhost',
    credential: { id: key.credentialId, publicKey: new Uint8Array(key.cose), counter: 0 }, requireUserVerification: true,
  });
  assert.equal(v.verified, true);
}

// ---- in the page (plain JavaScript, run by Playwright and Marionette alike) -----------------------

/** Adds the sign-in field and starts a conditional get(); the outcome lands in window.__outcome. */
const START = `(challenge, allow) => {
  document.getElementById('lk-user')?.remove();
  const input = document.createElement('input');
  input.id = 'lk-user';
  input.setAttribute('autocomplete', 'username webauthn');
  document.body.prepend(input);
  window.__ac = new AbortController();
  window.__outcome = null;
  const bytes = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const publicKey = { challenge: bytes(challenge), rpId: 'localhost', userVerification: 'required' };
  if (allow) publicKey.allowCredentials = allow.map((id) => ({ type: 'public-key', id: bytes(id) }));
  navigator.credentials.get({ mediation: 'conditional', signal: window.__ac.signal, publicKey }).then(
    (c) => { window.__outcome = { ok: true, json: c.toJSON() }; },
    (e) => { window.__outcome = { ok: false, reason: typeof e === 'string' ? e : e.name }; });
  return true;
}`;

/** What the page's own script can reach of the offer: the host element only, never the frame. */
const PAGE_PROBE = `() => {
  const host = [...document.querySelectorAll('[popover]')].find((h) => h.matches(':popover-open'));
  if (!host) return { shown: false };
  let frameAccess = 'no frame reachable';
  for (let i = 0; i < window.length; i++) {
    try { void window[i].document.body; frameAccess = 'read'; } catch (e) { frameAccess = e.name; }
  }
  const r = host.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  // A page's synthetic clicks: on the host, and at the point where the passkey buttons are.
  for (const t of [host, hit]) t?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, clientX: r.left + 20, clientY: r.top + 40 }));
  return { shown: true, shadowRoot: host.shadowRoot === null ? null : 'open', iframesInDocument: document.querySelectorAll('iframe').length,
    frameAccess, hitIsHost: hit === host, outcome: window.__outcome };
}`;
/** Latchkey's offer is open (the test's own cover popover, #lk-cover, is not it). */
const OFFER_SHOWN = `() => [...document.querySelectorAll('[popover]:not(#lk-cover)')].some((h) => h.matches(':popover-open'))`;
/** The page fades the offer's host element (a clickjacking attempt the offer must notice). */
const FADE_OFFER = `() => { const h = [...document.querySelectorAll('[popover]')].find((e) => e.matches(':popover-open')); h.style.setProperty('opacity', '0.1', 'important'); return true; }`;
/** The page lays a nearly transparent, click-through layer over everything, in the top layer. */
const COVER_PAGE = `() => {
  const d = document.createElement('div');
  d.id = 'lk-cover';
  d.setAttribute('popover', 'manual');
  d.style.cssText = 'position: fixed; inset: 0; margin: 0; width: 100vw; height: 100vh; pointer-events: none; opacity: 0.01;';
  document.body.append(d);
  d.showPopover();
  return true;
}`;
const UNCOVER_AND_ABORT = `() => { document.getElementById('lk-cover').remove(); window.__ac.abort('done'); return true; }`;

// ---- Chromium ---------------------------------------------------------------------------------------

describe('passkey autofill in Chromium', { timeout: 180_000 }, () => {
  let ctx: Awaited<ReturnType<typeof launchLatchkey>>;
  let page: Page;
  const alice = makePasskey('alice@latchkey.test', 'Alice Example');
  const bob = makePasskey('bob@latchkey.test', 'Bob Example');
  before(async () => {
    ctx = await launchLatchkey();
    await ctx.latchkey.setPin(PIN);
    await addPasskeys(ctx.latchkey, alice, bob);
    page = await ctx.context.newPage();
    await page.goto(`${rp.url}/playground`);
  });
  after(async () => { await ctx?.close(); });

  const start = (challenge: string, allow?: string[]) => page.evaluate(`(${START})(${JSON.stringify(challenge)}, ${JSON.stringify(allow ?? null)})`);
  const outcome = async () => (await page.waitForFunction(() => (window as unknown as { __outcome: unknown }).__outcome)).jsonValue() as Promise<{ ok: boolean; json?: AuthenticationResponseJSON; reason?: string }>;
  async function offerFrame(): Promise<Frame> {
    await page.locator('#lk-user').click();
    await page.waitForFunction(`(${OFFER_SHOWN})()`);
    for (let tries = 0; tries < 200; tries++) {
      const f = page.frames().find((x) => x.url().includes('/autofill/autofill.html') && !x.isDetached());
      if (f) { await f.waitForLoadState('domcontentloaded'); return f; }
      await page.waitForTimeout(50);
    }
    throw new Error('the offer is shown but its frame never loaded');
  }
  const accountsIn = (f: Frame) => f.locator('button.account .name').allTextContents();

  test('isConditionalMediationAvailable() is true, and getClientCapabilities says conditionalGet', async () => {
    assert.equal(await page.evaluate(() => PublicKeyCredential.isConditionalMediationAvailable()), true);
    assert.equal((await page.evaluate(() => PublicKeyCredential.getClientCapabilities()) as Record<string, boolean>).conditionalGet, true);
  });

  test('focus shows the passkeys in Latchkey\'s frame; the page cannot read or click it; a click signs in', async () => {
    const challenge = b64url(randomBytes(32));
    await start(challenge);
    const frame = await offerFrame();
    assert.deepEqual((await accountsIn(frame)).sort(), ['Alice Example', 'Bob Example']);
    const probe = await page.evaluate(`(${PAGE_PROBE})()`) as Record<string, unknown>;
    assert.equal(probe.shown, true);
    assert.equal(probe.shadowRoot, null, 'closed shadow root: the page cannot reach the iframe element');
    assert.equal(probe.iframesInDocument, 0);
    assert.ok(['SecurityError', 'no frame reachable'].includes(probe.frameAccess as string), `the frame's document is out of the page's reach (${String(probe.frameAccess)})`);
    assert.equal(probe.outcome, null, 'a synthetic click did not sign in');
    const button = frame.getByRole('button', { name: /Alice Example/ });
    await button.click(); // waits for the list to arm (enabled), then a real click at its position
    const r = await outcome();
    assert.equal(r.ok, true, JSON.stringify(r));
    await verify(r.json!, challenge, alice);
    await page.waitForFunction(`!(${OFFER_SHOWN})()`); // the offer is removed with the answer
  });

  test('allowCredentials narrows the offer', async () => {
    const challenge = b64url(randomBytes(32));
    await start(challenge, [bob.credentialId]);
    const frame = await offerFrame();
    assert.deepEqual(await accountsIn(frame), ['Bob Example']);
    await frame.getByRole('button', { name: /Bob Example/ }).click();
    const r = await outcome();
    assert.equal(r.ok, true, JSON.stringify(r));
    await verify(r.json!, challenge, bob);
  });

  test('abort removes the offer and rejects with the signal\'s reason', async () => {
    await start(b64url(randomBytes(32)));
    await offerFrame();
    await page.evaluate(() => (window as unknown as { __ac: AbortController }).__ac.abort('the page changed its mind'));
    assert.deepEqual(await outcome(), { ok: false, reason: 'the page changed its mind' });
    await page.waitForFunction(`!(${OFFER_SHOWN})()`);
    // An already aborted signal rejects at once (§5.1.4.1), with its reason.
    const early = await page.evaluate(() => navigator.credentials.get({ mediation: 'conditional', signal: AbortSignal.abort('early'), publicKey: { challenge: new Uint8Array(32) } }).then(() => 'resolved', (e: unknown) => e));
    assert.equal(early, 'early');
  });

  test('a page that fades or covers the offer loses it (clickjacking)', async () => {
    await start(b64url(randomBytes(32)));
    await offerFrame();
    await page.evaluate(`(${FADE_OFFER})()`);
    await page.waitForFunction(`!(${OFFER_SHOWN})()`);
    await offerFrame(); // focusing the field again offers again
    await page.evaluate(`(${COVER_PAGE})()`);
    await page.waitForFunction(`!(${OFFER_SHOWN})()`);
    await page.evaluate(`(${UNCOVER_AND_ABORT})()`);
    assert.deepEqual(await outcome(), { ok: false, reason: 'done' });
  });

  test('the offer survives service worker restarts, one after another', async () => {
    const challenge = b64url(randomBytes(32));
    await start(challenge);
    const frame = await offerFrame();
    // Each time the bridge resumes the page's request in a new worker, and a resumed request may be
    // resumed again: three stops in a row, each waiting until a worker runs again.
    const cdp = await ctx.context.newCDPSession(page);
    const statuses: string[] = [];
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => { for (const v of versions) statuses.push(v.runningStatus); });
    await cdp.send('ServiceWorker.enable');
    for (let i = 0; i < 3; i++) {
      statuses.length = 0;
      await stopServiceWorker(page);
      for (let k = 0; k < 300 && !(statuses.includes('stopped') && statuses.at(-1) === 'running'); k++) await page.waitForTimeout(50);
      assert.ok(statuses.includes('stopped') && statuses.at(-1) === 'running', `restart ${i + 1}: ${statuses.join(' → ')}`);
    }
    await cdp.detach();
    // The choice reaches the restarted worker, which finds the offer and the ceremony in
    // storage.session.
    await frame.getByRole('button', { name: /Alice Example/ }).click();
    const r = await outcome();
    assert.equal(r.ok, true, JSON.stringify(r));
    await verify(r.json!, challenge, alice);
  });

  test('the demo relying party\'s sign-in page offers its passkey on the email field', async () => {
    const log = () => {};
    const p = await ctx.context.newPage();
    try {
      await signInWithPassword(p, rp.url, log);
      await ctx.latchkey.answerNext({ kind: 'save' });
      await addPasskey(ctx.context, p, { answer: 'automation', name: 'Autofill key', log });
      await signOut(p, log);
      await ctx.latchkey.setPin(PIN); // a fresh PIN: the site asks for user verification, no window needed
      await p.goto(`${rp.url}/?autofill`);
      await p.getByLabel('Email').click();
      let frame: Frame | undefined;
      for (let i = 0; i < 200 && !frame; i++) {
        frame = p.frames().find((x) => x.url().includes('/autofill/autofill.html') && !x.isDetached());
        if (!frame) await p.waitForTimeout(50);
      }
      assert.ok(frame, 'the offer appears under the email field');
      await frame.getByRole('button', { name: new RegExp(DEMO_EMAIL) }).click();
      await p.getByRole('heading', { name: 'Security info' }).waitFor(); // the server verified the assertion
    } finally {
      await p.close();
    }
  });

  test('locked vault: the choice opens Latchkey\'s window at the PIN, then the sign-in completes', async () => {
    await ctx.latchkey.lock();
    const challenge = b64url(randomBytes(32));
    await start(challenge);
    const frame = await offerFrame();
    const opens = nextCeremonyWindow(ctx.context);
    await frame.getByRole('button', { name: /Bob Example/ }).click();
    const win = await opens;
    await win.getByLabel('PIN').fill(PIN);
    await clickClosing(win.getByRole('button', { name: 'Unlock' }));
    const r = await outcome();
    assert.equal(r.ok, true, JSON.stringify(r));
    await verify(r.json!, challenge, bob);
  });
});

// ---- Firefox ESR (Marionette) ---------------------------------------------------------------------

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
const SHADOW = 'shadow-6066-11e4-a52e-4f735466cecf';
type Ref = Record<string, string>;

describe('passkey autofill in Firefox', { timeout: 240_000 }, () => {
  let ctx: Awaited<ReturnType<typeof launchLatchkeyFirefox>>;
  let ff: FirefoxDriver;
  let main: string;
  const alice = makePasskey('alice@latchkey.test', 'Alice Example');
  const bob = makePasskey('bob@latchkey.test', 'Bob Example');
  before(async () => {
    ctx = await launchLatchkeyFirefox();
    ff = ctx.driver;
    main = await ff.currentWindow();
    await ctx.latchkey.setPin(PIN);
    await addPasskeys(ctx.latchkey, alice, bob);
    await ff.navigate(`${rp.url}/playground`);
  });
  after(async () => { await ctx?.close(); });

  async function run<T>(src: string, args: unknown[] = []): Promise<T> {
    const r = await ff.executeAsync<T>(src, args);
    if (isScriptError(r)) throw new Error(`${r.__error.name}: ${r.__error.message}`);
    return r as T;
  }
  const start = (challenge: string, allow?: string[]) => run(START, [challenge, allow ?? null]);
  async function waitFor<T>(src: string): Promise<T> {
    for (;;) {
      const v = await run<T>(src);
      if (v) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const outcome = () => waitFor<{ ok: boolean; json?: AuthenticationResponseJSON; reason?: string }>('() => window.__outcome');

  /** Clicks the sign-in field (a real click: focus), waits for the offer and switches into its frame. */
  async function intoOfferFrame(): Promise<void> {
    const input = await ff.execute<Ref>(`() => document.getElementById('lk-user')`);
    await ff.send('WebDriver:ElementClick', { id: input[ELEMENT] });
    await waitFor(OFFER_SHOWN);
    const host = await ff.execute<Ref>(`() => [...document.querySelectorAll('[popover]')].find((h) => h.matches(':popover-open'))`);
    // WebDriver reaches closed shadow roots (the automation's privilege, not the page's).
    const shadow = (await ff.send<{ value: Ref }>('WebDriver:GetShadowRoot', { id: host[ELEMENT] })).value;
    const frame = (await ff.send<{ value: Ref }>('WebDriver:FindElementFromShadowRoot', { shadowRoot: shadow[SHADOW], using: 'css selector', value: 'iframe' })).value;
    await ff.send('WebDriver:SwitchToFrame', { element: frame[ELEMENT] });
    await ff.waitForText('Sign in to localhost');
  }
  const accounts = () => ff.execute<string[]>(`() => [...document.querySelectorAll('button.account .name')].map((e) => e.textContent)`);
  const backToPage = () => ff.send('WebDriver:SwitchToParentFrame');

  test('isConditionalMediationAvailable() is true', async () => {
    assert.equal(await run('() => PublicKeyCredential.isConditionalMediationAvailable()'), true);
  });

  test('focus shows the passkeys in Latchkey\'s frame; the page cannot read or click it; a click signs in', async () => {
    const challenge = b64url(randomBytes(32));
    await start(challenge);
    await intoOfferFrame();
    assert.deepEqual((await accounts()).sort(), ['Alice Example', 'Bob Example']);
    await backToPage();
    const probe = await run<Record<string, unknown>>(PAGE_PROBE);
    assert.equal(probe.shown, true);
    assert.equal(probe.shadowRoot, null, 'closed shadow root: the page cannot reach the iframe element');
    assert.equal(probe.iframesInDocument, 0);
    assert.ok(['SecurityError', 'no frame reachable'].includes(probe.frameAccess as string), `the frame's document is out of the page's reach (${String(probe.frameAccess)})`);
    assert.equal(probe.outcome, null, 'a synthetic click did not sign in');
    await intoOfferFrame();
    await ff.clickButton('Alice Example'); // waits for the list to arm (enabled), then a real click
    await backToPage();
    const r = await outcome();
    assert.equal(r.ok, true, JSON.stringify(r));
    await verify(r.json!, challenge, alice);
    await waitFor(`() => !(${OFFER_SHOWN})()`);
  });

  test('abort removes the offer and rejects with the signal\'s reason', async () => {
    await start(b64url(randomBytes(32)), [bob.credentialId]);
    await intoOfferFrame();
    assert.deepEqual(await accounts(), ['Bob Example'], 'allowCredentials narrows the offer');
    await backToPage();
    await run(`() => { window.__ac.abort('the page changed its mind'); return true; }`);
    assert.deepEqual(await outcome(), { ok: false, reason: 'the page changed its mind' });
    await waitFor(`() => !(${OFFER_SHOWN})()`);
  });

  test('a page that fades or covers the offer loses it (clickjacking; no IntersectionObserver v2 here)', async () => {
    await start(b64url(randomBytes(32)));
    await intoOfferFrame();
    await backToPage();
    await run(FADE_OFFER);
    await waitFor(`() => !(${OFFER_SHOWN})()`);
    await intoOfferFrame(); // clicking the field again offers again
    await backToPage();
    await run(COVER_PAGE);
    await waitFor(`() => !(${OFFER_SHOWN})()`);
    await run(UNCOVER_AND_ABORT);
    assert.deepEqual(await outcome(), { ok: false, reason: 'done' });
  });

  test('locked vault: the choice opens Latchkey\'s window at the PIN, then the sign-in completes', async () => {
    await ctx.latchkey.lock();
    const challenge = b64url(randomBytes(32));
    await start(challenge);
    await intoOfferFrame();
    const handles = await ff.windowHandles();
    await ff.clickButton('Bob Example');
    const popup = await ff.waitForNewWindow(handles);
    await ff.switchToWindow(popup);
    await ff.fillTextbox('PIN', PIN);
    await ff.clickButton('Unlock');
    await ff.waitForWindowClosed(popup);
    await ff.switchToWindow(main);
    const r = await outcome();
    assert.equal(r.ok, true, JSON.stringify(r));
    await verify(r.json!, challenge, bob);
  });
});
