// End to end in headless Chromium (Playwright, the system build) with Latchkey loaded, on the demo
// relying party: register through the window (PIN set-up included), sign in, restart the browser,
// hand over to the browser's virtual security key, cancel. The relying party (@simplewebauthn/server)
// verifies every passkey. Tests in this file run in order and share one profile.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { addPasskey, DEMO_EMAIL, signInWithPassword, signInWithPasskey, signOut, type Log } from './flows/chromiumDemoFlow';
import { addVirtualSecurityKey, clickClosing, launchChromium, nextCeremonyWindow, type LatchkeyChromium } from './lib/chromium';

const log: Log = (step) => { if (process.env.E2E_VERBOSE) console.log(`  · ${step}`); };

interface MePasskey { id: string; name: string; uv: boolean; lastUsedAt: number | null; transports?: string[] }
async function passkeysOnServer(page: Page, baseUrl: string): Promise<MePasskey[]> {
  const res = await page.request.get(`${baseUrl}/api/me`);
  assert.equal(res.status(), 200, 'signed in at the relying party');
  return ((await res.json()) as { passkeys: MePasskey[] }).passkeys;
}

/** Calls navigator.credentials from the page and reports the outcome as data. */
function callFromPage(page: Page, op: 'create' | 'get') {
  return page.evaluate(async (op) => {
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    try {
      const cred = op === 'create'
        ? await navigator.credentials.create({ publicKey: { rp: { name: 'Playground' }, user: { id: new Uint8Array([7, 7]), name: 'cancel@latchkey.test', displayName: 'Cancel' }, challenge, pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } })
        : await navigator.credentials.get({ publicKey: { challenge } });
      return { ok: true as const, type: cred?.type };
    } catch (e) {
      return { ok: false as const, name: (e as Error).name, isDOMException: e instanceof DOMException };
    }
  }, op);
}

describe('Chromium with Latchkey, on the demo relying party', { timeout: 240_000 }, () => {
  let rp: DemoRp;
  let browser: LatchkeyChromium | null = null;
  const profile = mkdtempSync(join(tmpdir(), 'latchkey-e2e-chromium-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-rp-'));

  before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
  after(async () => {
    await browser?.close();
    await rp?.close();
    rmSync(profile, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('registers a passkey through the window (PIN set-up) and signs in with it', async () => {
    browser = await launchChromium({ userDataDir: profile });
    const page = await browser.context.newPage();
    await signInWithPassword(page, rp.url, log);
    const added = await addPasskey(browser.context, page, { answer: 'save', name: 'Latchkey in Chromium', log });
    assert.equal(added.pinStep, 'set-pin', 'first use asks to choose a PIN');
    const [saved] = await passkeysOnServer(page, rp.url);
    assert.equal(saved?.name, 'Latchkey in Chromium');
    assert.equal(saved?.uv, true, 'the PIN was entered, so UV is set');
    await signOut(page, log);
    const signedIn = await signInWithPasskey(browser.context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
    assert.equal(signedIn.pinStep, 'none', 'the PIN was entered a moment ago: not asked again');
    assert.match(signedIn.status, /Signed in as demo@latchkey\.test with a passkey \(user verified: yes\)/);
    const [used] = await passkeysOnServer(page, rp.url);
    assert.ok(used?.lastUsedAt, 'the relying party recorded the sign-in');
  });

  test('after a browser restart the passkey is still there and the PIN is asked', async () => {
    await browser?.close();
    browser = await launchChromium({ userDataDir: profile });
    const page = await browser.context.newPage();
    const signedIn = await signInWithPasskey(browser.context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
    assert.equal(signedIn.pinStep, 'unlock', 'a restarted browser is locked');
    assert.match(signedIn.status, /with a passkey \(user verified: yes\)/);
  });

  test('"Use another device or security key" registers and signs in with the browser\'s security key', async () => {
    assert.ok(browser);
    const page = await browser.context.newPage();
    const { cdp, authenticatorId } = await addVirtualSecurityKey(page);
    await browser.context.clearCookies(); // start signed out at the relying party
    await signInWithPassword(page, rp.url, log);
    await addPasskey(browser.context, page, { answer: 'hand-over', name: 'USB security key', log });
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    assert.equal(credentials.length, 1, 'the security key holds the new passkey');
    const onServer = await passkeysOnServer(page, rp.url);
    assert.equal(onServer.length, 2);
    const keyId = credentials[0]!.credentialId.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    assert.ok(onServer.some((p) => p.id === keyId && p.name === 'USB security key'));
    await signOut(page, log);
    await signInWithPasskey(browser.context, page, rp.url, { answer: 'hand-over', log });
    const after = await passkeysOnServer(page, rp.url);
    assert.ok(after.find((p) => p.id === keyId)?.lastUsedAt, 'the sign-in used the security key');
    await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
  });

  test('"Cancel" and closing the window reject with NotAllowedError', async () => {
    assert.ok(browser);
    const page = await browser.context.newPage();
    await page.goto(`${rp.url}/playground`);
    for (const how of ['cancel', 'close'] as const) {
      for (const op of ['create', 'get'] as const) {
        const windowOpens = nextCeremonyWindow(browser.context);
        const outcome = callFromPage(page, op);
        const win = await windowOpens;
        if (how === 'cancel') await clickClosing(win.getByRole('button', { name: 'Cancel' }));
        else await win.close();
        assert.deepEqual(await outcome, { ok: false, name: 'NotAllowedError', isDOMException: true }, `${op} then ${how}`);
      }
    }
  });
});
