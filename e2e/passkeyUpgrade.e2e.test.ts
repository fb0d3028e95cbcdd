// Passkey upgrades: create() with mediation "conditional" (WebAuthn L3 §5.1.3), in Chromium and
// Firefox ESR, verified by @simplewebauthn/server. The site is a password login page and an account
// page on http://localhost:<port>; the person types a password (a trusted input: Playwright's and
// Marionette's key events are the browser's own), the site navigates, then asks for a passkey with
// mediation "conditional".
// - Before any password was typed: NotAllowedError, nothing saved.
// - After: the passkey is saved without a window, with UP and UV false (§5.1.3: "The authenticator
//   SHOULD set BOTH userPresence and userVerification to FALSE"), verified; a quiet notice appears in
//   the page; Undo removes the passkey (Chromium, where Playwright reaches into the extension frame).
// - One password sign-in gives one upgrade; "Not for this site" and the global switch hand the call
//   to the browser, whose own client (no password manager here) rejects it: a different message.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { verifyRegistrationResponse } from '@simplewebauthn/server';
import type { Frame, Page } from 'playwright-core';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import type { LatchkeyHandle } from '../testing/handle';

const LOGIN = `<!doctype html><title>Sign in</title>
<form action="/account"><label>Email <input name="email" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label><button>Sign in</button></form>`;
const ACCOUNT = '<!doctype html><title>Account</title><h1>Your account</h1>';

let site: Server;
let origin = '';
before(async () => {
  site = createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html' }).end(req.url?.startsWith('/account') ? ACCOUNT : LOGIN); });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  origin = `http://localhost:${(site.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => site.close(() => r())));

/** Runs in the page: a conditional create(); the credential's JSON and its flags byte, or the error. */
const UPGRADE = `async (challenge, userId) => {
  const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  try {
    const c = await navigator.credentials.create({ mediation: 'conditional', publicKey: {
      rp: { name: 'Upgrade shop' }, challenge: dec(challenge),
      user: { id: dec(userId), name: 'upgrade@latchkey.test', displayName: 'Upgrade' },
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' } } });
    return { json: c.toJSON(), flags: new Uint8Array(c.response.getAuthenticatorData())[32] };
  } catch (e) {
    return { error: e.name, message: e.message };
  }
}`;
type UpgradeResult = { json?: never; flags?: number; error?: string; message?: string };
type Upgrade = (challenge: string, userId: string) => Promise<UpgradeResult>;
const b64u = (b: Buffer) => b.toString('base64url');

async function upgradeSaved(upgrade: Upgrade, latchkey: LatchkeyHandle): Promise<string> {
  const challenge = b64u(randomBytes(32));
  const r = await upgrade(challenge, b64u(randomBytes(16)));
  assert.equal(r.error, undefined, `the upgrade: ${r.error}: ${r.message}`);
  assert.equal(r.flags! & 0x01, 0, 'UP is false: nobody was asked');
  assert.equal(r.flags! & 0x04, 0, 'UV is false');
  const v = await verifyRegistrationResponse({
    response: r.json!, expectedChallenge: challenge, expectedOrigin: origin, expectedRPID: 'localhost',
    requireUserPresence: false, requireUserVerification: false,
  });
  assert.equal(v.verified, true, '@simplewebauthn/server verifies the upgrade (requireUserPresence: false)');
  assert.equal((await latchkey.lastCeremony())?.answeredBy, 'upgrade');
  return v.registrationInfo!.credential.id;
}

async function refused(upgrade: Upgrade, why: string): Promise<UpgradeResult> {
  const r = await upgrade(b64u(randomBytes(32)), b64u(randomBytes(16)));
  assert.equal(r.error, 'NotAllowedError', `${why}: ${r.error}: ${r.message}`);
  return r;
}

describe('passkey upgrades in Chromium', { timeout: 120_000 }, () => {
  let browser: Awaited<ReturnType<typeof launchLatchkey>>;
  let page: Page;
  const upgrade: Upgrade = (...args) => page.evaluate(`(${UPGRADE})(...${JSON.stringify(args)})`);
  const signIn = async () => {
    await page.goto(`${origin}/login`);
    await page.getByLabel('Email').fill('upgrade@latchkey.test');
    await page.getByLabel('Password').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/account/);
  };
  const noticeFrame = async (): Promise<Frame> => {
    for (let i = 0; i < 100; i++) {
      const f = page.frames().find((x) => x.url().includes('/notice/notice.html'));
      if (f) return f;
      await page.waitForTimeout(100);
    }
    throw new Error('no notice frame');
  };
  before(async () => {
    browser = await launchLatchkey();
    await browser.latchkey.skipPin();
    page = await browser.context.newPage();
  });
  after(async () => { await browser?.close(); });

  test('no password typed on this origin: NotAllowedError, nothing saved', async () => {
    await page.goto(`${origin}/account`);
    await refused(upgrade, 'without a sign-in');
    assert.deepEqual(await browser.latchkey.listPasskeys('localhost'), []);
  });

  test('after a password sign-in: saved without a window, verified, with a notice whose Undo removes it', async () => {
    const windows = browser.context.pages().length;
    await signIn();
    const id = await upgradeSaved(upgrade, browser.latchkey);
    assert.equal(browser.context.pages().length, windows, 'no window opened');
    assert.deepEqual((await browser.latchkey.listPasskeys('localhost')).map((p) => p.credentialId), [id]);
    const frame = await noticeFrame();
    await frame.getByText(/Latchkey saved a passkey for localhost/).waitFor();
    assert.equal(await page.evaluate(() => document.querySelectorAll('div[popover]').length), 1, 'the page sees only the host element');
    await frame.getByRole('button', { name: 'Undo' }).click();
    await frame.getByText(/Removed/).waitFor();
    assert.deepEqual(await browser.latchkey.listPasskeys('localhost'), [], 'Undo deleted the passkey');
  });

  test('one sign-in, one upgrade: a second request needs a new password sign-in', async () => {
    await refused(upgrade, 'the evidence was used');
    await signIn();
    await upgradeSaved(upgrade, browser.latchkey);
    await browser.latchkey.clearPasskeys();
  });

  test('"Not for this site" and the global switch hand the request to the browser', async () => {
    await signIn();
    await upgradeSaved(upgrade, browser.latchkey);
    const frame = await noticeFrame();
    await frame.getByRole('button', { name: 'Not for this site' }).click();
    await frame.getByText(/will not save passkeys this way for this site/).waitFor();
    assert.deepEqual((await browser.latchkey.updateSettings({})).noUpgradeSites, ['localhost']);
    await signIn();
    const browserAnswer = await refused(upgrade, 'site turned off: the browser decides');
    assert.match(browserAnswer.message!, /sctn-privacy-considerations-client/, "the browser's own client answered");
    assert.equal((await browser.latchkey.listPasskeys('localhost')).length, 1, 'nothing new saved');

    await browser.latchkey.updateSettings({ noUpgradeSites: [], passkeyUpgrades: false });
    await signIn();
    const off = await refused(upgrade, 'upgrades off: the browser decides');
    assert.match(off.message!, /sctn-privacy-considerations-client/);
    await browser.latchkey.updateSettings({ passkeyUpgrades: true });
    await upgradeSaved(upgrade, browser.latchkey);
  });

  test('a locked vault is never unlocked for an upgrade: NotAllowedError, no window', async () => {
    await browser.latchkey.clearPasskeys();
    await browser.latchkey.lock();
    await signIn();
    const windows = browser.context.pages().length;
    await refused(upgrade, 'locked');
    assert.equal(browser.context.pages().length, windows);
  });

  test('getClientCapabilities says conditionalCreate', async () => {
    assert.equal(await page.evaluate(async () => (await PublicKeyCredential.getClientCapabilities()).conditionalCreate), true);
  });
});

describe('passkey upgrades in Firefox', { timeout: 180_000 }, () => {
  let browser: Awaited<ReturnType<typeof launchLatchkeyFirefox>>;
  const upgrade: Upgrade = (...args) => browser.driver.executeAsync(UPGRADE, args) as Promise<UpgradeResult>;
  before(async () => {
    browser = await launchLatchkeyFirefox();
    await browser.latchkey.skipPin();
  });
  after(async () => { await browser?.close(); });

  test('refused before a password sign-in; saved after one, verified, with the notice shown', async () => {
    await browser.driver.navigate(`${origin}/account`);
    await refused(upgrade, 'without a sign-in');
    await browser.driver.navigate(`${origin}/login`);
    await browser.driver.fillTextbox('Password', 'correct horse battery staple');
    await browser.driver.navigate(`${origin}/account`);
    await upgradeSaved(upgrade, browser.latchkey);
    assert.equal((await browser.latchkey.listPasskeys('localhost')).length, 1);
    let hosts = 0;
    for (let i = 0; i < 50 && hosts === 0; i++) {
      hosts = await browser.driver.execute<number>('() => document.querySelectorAll("div[popover]").length');
      if (!hosts) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(hosts, 1, 'the notice is in the page');
    await refused(upgrade, 'one sign-in, one upgrade');
    const caps = await browser.driver.executeAsync<boolean>('async () => (await PublicKeyCredential.getClientCapabilities()).conditionalCreate', []);
    assert.equal(caps, true, "Latchkey's own upgrades, whatever Firefox's client says");
  });
});
