// Chrome's webAuthenticationProxy as Latchkey's second way in (src/background/proxy.ts), in real
// Chromium, verified by @simplewebauthn/server. The page takes navigator.credentials from a blob:
// iframe's realm (same origin; Latchkey's page script does not run there), which goes past
// main-world's override: without the proxy, that call would reach only the browser's own dialog.
// No DevTools virtual authenticator here: with one, Chrome hands the tab's calls to it and never to
// the proxy (docs/PROXY.md), so the browser's own dialog is what a hand-over meets (pending in
// headless Chromium until aborted).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { verifyAuthenticationResponse, verifyRegistrationResponse, type WebAuthnCredential } from '@simplewebauthn/server';
import type { Page } from 'playwright-core';
import { startBlankSite } from './conformance/browsers';
import { clickClosing, nextCeremonyWindow } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';

const b64u = (b: Buffer) => b.toString('base64url');

/**
 * Runs in the page: a ceremony with navigator.credentials taken from a fresh about:blank iframe
 * ('fresh') or the page's own ('page'); resolves with the credential's JSON or the error, or with
 * 'pending' if still unsettled after `waitMs` (then aborts it).
 */
const CALL = `async (realm, kind, challenge, userId, rpId, waitMs) => {
  const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  let creds = navigator.credentials;
  if (realm === 'fresh') {
    // A blob: document (same origin as the page): Latchkey's page script runs in about:blank frames
    // (match_about_blank) but not in blob: ones, so this realm's functions are the browser's own.
    const f = document.createElement('iframe');
    f.src = URL.createObjectURL(new Blob(['<!doctype html><title>blob</title>'], { type: 'text/html' }));
    const loaded = new Promise((r) => { f.onload = r; });
    document.body.append(f);
    await loaded;
    creds = f.contentWindow.navigator.credentials;
  }
  const ac = new AbortController();
  const publicKey = kind === 'create'
    ? { rp: { id: rpId, name: 'Proxy' }, challenge: dec(challenge), user: { id: dec(userId), name: 'proxy@latchkey.test', displayName: 'Proxy' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required', userVerification: 'discouraged' } }
    : { rpId, challenge: dec(challenge), userVerification: 'discouraged' };
  const p = creds[kind]({ publicKey, signal: ac.signal }).then((c) => ({ json: c.toJSON() }), (e) => ({ error: e.name, message: e.message }));
  const r = await Promise.race([p, new Promise((r) => setTimeout(() => r('pending'), waitMs))]);
  if (r === 'pending') { ac.abort(); return { pending: true, after: await p }; }
  return r;
}`;
type Answer = { json?: never; error?: string; message?: string; pending?: true; after?: { error?: string } };

describe('webAuthenticationProxy in Chromium', { timeout: 180_000 }, () => {
  let site: Awaited<ReturnType<typeof startBlankSite>>;
  let browser: Awaited<ReturnType<typeof launchLatchkey>>;
  let page: Page;
  let origin = '';
  let credential: WebAuthnCredential;
  const userId = b64u(randomBytes(16));
  const call = (realm: 'fresh' | 'page', kind: 'create' | 'get', challenge: string, rpId = 'localhost', waitMs = 20_000) =>
    page.evaluate(`(${CALL})(...${JSON.stringify([realm, kind, challenge, userId, rpId, waitMs])})`) as Promise<Answer>;

  before(async () => {
    site = await startBlankSite();
    origin = new URL(site.url).origin;
    browser = await launchLatchkey();
    await browser.latchkey.skipPin();
    page = await browser.context.newPage();
    await page.goto(site.url);
  });
  after(async () => { await browser?.close(); await site?.close(); });

  test('a create() from a blob: iframe realm reaches Latchkey\'s window through the proxy; verified', async () => {
    const challenge = b64u(randomBytes(32));
    const windowOpens = nextCeremonyWindow(browser.context, 20_000);
    const answer = call('fresh', 'create', challenge);
    const win = await windowOpens;
    await win.getByRole('button', { name: 'Save passkey' }).click();
    await clickClosing(win.getByRole('button', { name: 'Done' }));
    const r = await answer;
    assert.equal(r.error, undefined, `${r.error}: ${r.message}`);
    const v = await verifyRegistrationResponse({
      response: r.json!, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: 'localhost', requireUserVerification: false,
    });
    assert.equal(v.verified, true, '@simplewebauthn/server verifies the registration made through the proxy');
    credential = v.registrationInfo!.credential;
    assert.equal((await browser.latchkey.listPasskeys('localhost')).length, 1);
  });

  test('a get() from a blob: realm is answered by Latchkey (automatic mode), verified', async () => {
    await browser.latchkey.approveAll();
    const challenge = b64u(randomBytes(32));
    const r = await call('fresh', 'get', challenge);
    assert.ok(r.json, JSON.stringify(r));
    const v = await verifyAuthenticationResponse({
      response: r.json!, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: 'localhost', credential, requireUserVerification: false,
    });
    assert.equal(v.verified, true);
    assert.equal((await browser.latchkey.lastCeremony())?.answeredBy, 'automation');
  });

  test('isUserVerifyingPlatformAuthenticatorAvailable from a blob: realm: true (the proxy answers)', async () => {
    const fresh = await page.evaluate(async () => {
      const f = document.createElement('iframe');
      f.src = URL.createObjectURL(new Blob(['<!doctype html>'], { type: 'text/html' }));
      const loaded = new Promise((r) => { f.onload = r; });
      document.body.append(f);
      await loaded;
      return (f.contentWindow as unknown as { PublicKeyCredential: typeof PublicKeyCredential }).PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
    });
    assert.equal(fresh, true);
  });

  test('a hand-over reaches the browser\'s own dialog and does not come back through the proxy', async () => {
    // Nothing in Latchkey for the site: main-world hands the call to the browser without a window.
    // Had it looped back through the proxy, Latchkey would have answered at once (NotAllowedError);
    // the browser's own dialog holds it instead (headless: until aborted).
    await browser.latchkey.clearPasskeys();
    const handed = await call('page', 'get', b64u(randomBytes(32)), 'localhost', 3_000);
    assert.equal(handed.pending, true, `the browser's own dialog holds it: ${JSON.stringify(handed)}`);
    assert.equal(handed.after?.error, 'AbortError');
    // The proxy attaches again after the hand-over: a blob: realm is still Latchkey's.
    await new Promise((r) => setTimeout(r, 2_500));
    const added = await browser.latchkey.addPasskey({ rpId: 'localhost', credentialId: b64u(randomBytes(16)), userHandle: userId, userName: 'again@latchkey.test',
      privateKey: b64u(randomBytes(32)) });
    const again = await call('fresh', 'get', b64u(randomBytes(32)));
    assert.ok(again.json, `answered by Latchkey: ${JSON.stringify(again)}`);
    assert.equal((await browser.latchkey.lastCeremony())?.credentialId, added.credentialId, 'with the passkey added to Latchkey');
  });

  test('turned off (manage page setting): a blob: realm\'s call goes to the browser\'s own dialog', async () => {
    await browser.latchkey.updateSettings({ interceptAll: false });
    await new Promise((r) => setTimeout(r, 500));
    const r = await call('fresh', 'get', b64u(randomBytes(32)), 'localhost', 3_000);
    assert.equal(r.pending, true, 'not answered by Latchkey');
    await browser.latchkey.updateSettings({ interceptAll: true });
    await new Promise((r) => setTimeout(r, 500));
    const back = await call('fresh', 'get', b64u(randomBytes(32)));
    assert.ok(back.json, `caught again once turned on: ${JSON.stringify(back)}`);
  });
});
