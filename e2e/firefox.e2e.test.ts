// End to end in headless Firefox ESR (Marionette; Playwright cannot drive ESR here) with Latchkey
// installed from dist/firefox, on the demo relying party: the same cases as the Chromium suite.
// Tests in this file run in order and share one profile.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { DEMO_EMAIL, type Log } from './flows/chromiumDemoFlow';
import { addPasskey, openCeremonyWindow, signInWithPassword, signInWithPasskey, signOut, until, waitForWindowGone } from './flows/firefoxDemoFlow';
import { launchFirefox, type FirefoxDriver } from './lib/firefox';

const FIREFOX_DIST = resolve(import.meta.dirname, '../dist/firefox');
const log: Log = (step) => { if (process.env.E2E_VERBOSE) console.log(`  · ${step}`); };

interface MePasskey { id: string; name: string; uv: boolean; lastUsedAt: number | null }
async function passkeysOnServer(ff: FirefoxDriver): Promise<MePasskey[]> {
  const r = await ff.executeAsync<{ passkeys: MePasskey[] }>(`async () => (await fetch('/api/me')).json()`);
  assert.ok(r && 'passkeys' in r, 'signed in at the relying party');
  return r.passkeys;
}

describe('Firefox ESR with Latchkey, on the demo relying party', { timeout: 300_000 }, () => {
  let rp: DemoRp;
  let ff: FirefoxDriver | null = null;
  const profileDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-firefox-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-rp-'));

  before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
  after(async () => {
    await ff?.quit();
    await rp?.close();
    rmSync(profileDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('registers a passkey through the window (PIN set-up) and signs in with it', async () => {
    ff = await launchFirefox({ profileDir, extensionDir: FIREFOX_DIST, virtualAuthenticator: true });
    await signInWithPassword(ff, rp.url, log);
    const pinStep = await addPasskey(ff, { answer: 'save', name: 'Latchkey in Firefox', log });
    assert.equal(pinStep, 'set-pin', 'first use asks to choose a PIN');
    const [saved] = await passkeysOnServer(ff);
    assert.equal(saved?.name, 'Latchkey in Firefox');
    assert.equal(saved?.uv, true);
    await signOut(ff, log);
    const signedIn = await signInWithPasskey(ff, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
    assert.equal(signedIn.pinStep, 'none', 'the PIN was entered a moment ago: not asked again');
    assert.match(signedIn.status, /Signed in as demo@latchkey\.test with a passkey \(user verified: yes\)/);
  });

  test('after a browser restart the passkey is still there and the PIN is asked', async () => {
    await ff?.quit();
    ff = await launchFirefox({ profileDir, extensionDir: FIREFOX_DIST, virtualAuthenticator: true });
    await ff.navigate(rp.url);
    const signedIn = await signInWithPasskey(ff, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
    assert.equal(signedIn.pinStep, 'unlock', 'a restarted browser is locked');
    assert.match(signedIn.status, /with a passkey \(user verified: yes\)/);
  });

  test('"Use another device or security key" registers and signs in with the browser\'s security key', async () => {
    assert.ok(ff);
    const authenticatorId = await ff.addVirtualAuthenticator({ transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true });
    await signOut(ff, log);
    await signInWithPassword(ff, rp.url, log);
    await addPasskey(ff, { answer: 'hand-over', name: 'USB security key', log });
    const credentials = await ff.getCredentials(authenticatorId);
    assert.equal(credentials.length, 1, 'the security key holds the new passkey');
    const onServer = await passkeysOnServer(ff);
    assert.equal(onServer.length, 2);
    const keyPasskey = onServer.find((p) => p.name === 'USB security key');
    assert.ok(keyPasskey);
    await signOut(ff, log);
    await signInWithPasskey(ff, rp.url, { answer: 'hand-over', log });
    const after = await passkeysOnServer(ff);
    assert.ok(after.find((p) => p.id === keyPasskey.id)?.lastUsedAt, 'the sign-in used the security key');
    await ff.removeAllCredentials(authenticatorId);
  });

  test('"Cancel" and closing the window reject with NotAllowedError', async () => {
    assert.ok(ff);
    await ff.navigate(`${rp.url}/playground`);
    for (const how of ['cancel', 'close'] as const) {
      for (const op of ['create', 'get'] as const) {
        const { main, popup } = await openCeremonyWindow(ff, () => ff!.execute(`(op) => {
          window.__outcome = null;
          const challenge = crypto.getRandomValues(new Uint8Array(32));
          const call = op === 'create'
            ? navigator.credentials.create({ publicKey: { rp: { name: 'Playground' }, user: { id: new Uint8Array([7, 7]), name: 'cancel@latchkey.test', displayName: 'Cancel' }, challenge, pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } })
            : navigator.credentials.get({ publicKey: { challenge } });
          call.then(() => { window.__outcome = { ok: true }; }, (e) => { window.__outcome = { ok: false, name: e.name, isDOMException: e instanceof DOMException }; });
        }`, [op]).then(() => undefined));
        if (how === 'cancel') await ff.clickButton('Cancel');
        else await ff.closeWindow();
        await waitForWindowGone(ff, popup);
        await ff.switchToWindow(main);
        const outcome = await until('the page\'s promise to settle', () => ff!.execute<object | null>(`() => window.__outcome`));
        assert.deepEqual(outcome, { ok: false, name: 'NotAllowedError', isDOMException: true }, `${op} then ${how}`);
      }
    }
  });
});
