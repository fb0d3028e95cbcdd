// The vault end to end in Firefox ESR (Marionette), the same cases as e2e/vault.e2e.test.ts in
// Chromium: nothing is lost or asked twice when the event page stops (during a ceremony and between
// two), auto-lock fires, and the manage page's PIN change, export / import and Bitwarden import lead
// to a sign-in the relying party verifies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { DEMO_EMAIL, DEMO_PIN, type Log } from './flows/chromiumDemoFlow';
import { addPasskey, answerPin, openCeremonyWindow, signInWithPassword, signInWithPasskey, signOut, until, waitForWindowGone } from './flows/firefoxDemoFlow';
import { checkIn, chooseFileIn, clickIn, downloadPrefs, fillIn, openManagePage, waitForDownload, waitForStatusIn } from './flows/firefoxManage';
import { isScriptError, type FirefoxDriver } from './lib/firefox';
import { launchLatchkeyFirefox, stopBackground } from '../testing/firefox';
import { writeBitwardenExport } from './flows/bitwardenExport';

const log: Log = (step) => { if (process.env.E2E_VERBOSE) console.log(`  · ${step}`); };
const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-vault-ff-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

/** The page's WebAuthn call, started by a sync script; its outcome is read later from window.__outcome. */
const START_GET = `() => {
  window.__outcome = null;
  navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) } })
    .then((c) => { window.__outcome = c ? c.type : 'null'; }, (e) => { window.__outcome = e.name; });
}`;
const outcomeOf = (ff: FirefoxDriver) => until('the page\'s promise to settle', () => ff.execute<string | null>(`() => window.__outcome`).catch(() => null));

describe('Firefox ESR: the vault survives a stopped background and locks itself', { timeout: 240_000 }, () => {
  test('the background stops during a ceremony and between two: nothing is lost or asked twice', { timeout: 120_000 }, async () => {
    const { driver: ff, latchkey, close } = await launchLatchkeyFirefox();
    try {
      await signInWithPassword(ff, rp.url, log);
      // Register through the window; the background is stopped while the window waits for the person.
      await ff.clickButton('+ Add sign-in method');
      await ff.clickButton('Passkey');
      const { main, popup } = await openCeremonyWindow(ff, () => ff.clickButton('Next'));
      await ff.waitForText('Save a passkey for localhost');
      await stopBackground(ff);
      await ff.switchToWindow(popup);
      await ff.clickButton('Save passkey');
      await ff.fillTextbox('PIN', DEMO_PIN);
      await ff.fillTextbox('Confirm PIN', DEMO_PIN);
      await stopBackground(ff); // again, between the choice and the PIN
      await ff.switchToWindow(popup);
      await ff.clickButton('Set PIN');
      await ff.waitForText('Passkey saved', 20_000);
      await stopBackground(ff); // and while the window offers to name the passkey
      await ff.switchToWindow(popup);
      await ff.fillTextbox('Passkey name', 'Survivor in Latchkey');
      await ff.clickButton('Save name');
      await waitForWindowGone(ff, popup);
      await ff.switchToWindow(main);
      await ff.fillTextbox('Passkey name', 'Survivor', { timeoutMs: 20_000 });
      await ff.clickButton('Done');
      await ff.waitForText('Passkey “Survivor” added.');
      // Between two ceremonies: stopped again; the PIN is not asked a second time.
      await stopBackground(ff);
      await ff.switchToWindow(main);
      await signOut(ff, log);
      const signedIn = await signInWithPasskey(ff, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
      assert.equal(signedIn.pinStep, 'none', 'unlocked state survived the stopped background');
      assert.match(signedIn.status, /with a passkey \(user verified: yes\)/);
      assert.deepEqual((await latchkey.listPasskeys('localhost')).map((p) => p.label), ['Survivor in Latchkey']);
    } finally {
      await close();
    }
  });

  test('auto-lock fires after the idle period, and the next ceremony asks for the PIN', { timeout: 120_000 }, async () => {
    const { driver: ff, latchkey, close } = await launchLatchkeyFirefox();
    try {
      await latchkey.setPin(DEMO_PIN);
      await latchkey.approveAll();
      await ff.navigate(`${rp.url}/playground`);
      const created = await ff.executeAsync<string>(`async () => navigator.credentials.create({ publicKey: {
        rp: { name: 'P' }, user: { id: new Uint8Array([5]), name: 'idle@latchkey.test', displayName: 'Idle' },
        challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } }).then((c) => c && c.type, (e) => e.name)`);
      assert.equal(created, 'public-key');
      await latchkey.useWindow();
      // 9 s, for the test: long enough that a loaded machine still sees it unlocked first.
      await latchkey.updateSettings({ autoLockMinutes: 0.15 });
      assert.equal(await latchkey.isUnlocked(), true);
      await until('auto-lock', async () => ((await latchkey.isUnlocked()) ? null : true), 30_000);
      const { main, popup } = await openCeremonyWindow(ff, () => ff.execute(START_GET).then(() => undefined));
      await ff.clickButton('idle@latchkey.test');
      assert.equal(await answerPin(ff, popup, DEMO_PIN, log), 'unlock');
      await waitForWindowGone(ff, popup);
      await ff.switchToWindow(main);
      assert.equal(await outcomeOf(ff), 'public-key');
      assert.equal((await latchkey.lastCeremony())?.userVerified, true);
    } finally {
      await close();
    }
  });
});

const NEW_PIN = '9713';
const PASSPHRASE = 'correct-battery-42';
const b64url = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

describe('Firefox ESR: the manage page', { timeout: 360_000 }, () => {
  const backupDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-backup-ff-'));
  after(() => rmSync(backupDir, { recursive: true, force: true }));
  let backupFile = '';

  test('change the PIN, then sign in with the new PIN; export a backup', { timeout: 120_000 }, async () => {
    const { driver: ff, close } = await launchLatchkeyFirefox({ prefs: downloadPrefs(backupDir) });
    try {
      await signInWithPassword(ff, rp.url, log);
      const main = await ff.currentWindow();
      await addPasskey(ff, { answer: 'save', name: 'Backed up', log });
      await openManagePage(ff);
      await ff.waitForText('Your passkeys');
      await ff.waitForText(DEMO_EMAIL);
      await ff.fillTextbox('Current PIN', DEMO_PIN);
      await ff.fillTextbox('New PIN', NEW_PIN);
      await ff.fillTextbox('Confirm new PIN', NEW_PIN);
      await ff.clickButton('Change PIN');
      await waitForStatusIn(ff, 'Change PIN', [/PIN.*changed/i]);
      // Export while unlocked: the file goes to the downloads directory without a dialog.
      await fillIn(ff, 'Export passkeys', 'Backup passphrase', PASSPHRASE);
      await fillIn(ff, 'Export passkeys', 'Confirm backup passphrase', PASSPHRASE);
      await fillIn(ff, 'Export passkeys', 'PIN', NEW_PIN); // asked again for an export
      await clickIn(ff, 'Export passkeys', 'Export');
      await waitForStatusIn(ff, 'Export passkeys', [/saved as .*\.json/i]);
      backupFile = await waitForDownload(backupDir, '.json');
      log(`the backup was downloaded to ${backupFile}`);
      await ff.clickButton('Lock now');
      await ff.waitForText('Latchkey is locked');
      assert.ok(await ff.execute<boolean>(`() => [...document.querySelectorAll('button')].some((b) => b.textContent.trim() === 'Unlock')`), 'the locked screen offers Unlock');
      // Sign in: locked, so the PIN is asked, and only the new one opens.
      await ff.switchToWindow(main);
      await signOut(ff, log);
      const signedIn = await signInWithPasskey(ff, rp.url, { answer: 'account', userName: DEMO_EMAIL, pin: NEW_PIN, log });
      assert.equal(signedIn.pinStep, 'unlock');
      assert.match(signedIn.status, /with a passkey \(user verified: yes\)/);
    } finally {
      await close();
    }
  });

  test('wipe (a new profile), import the backup, sign in again', { timeout: 120_000 }, async () => {
    assert.ok(backupFile, 'the previous test exported a backup');
    const { driver: ff, latchkey, close } = await launchLatchkeyFirefox();
    try {
      await latchkey.setPin('2468');
      assert.deepEqual(await latchkey.listPasskeys(), []);
      const main = await ff.currentWindow();
      await openManagePage(ff);
      await chooseFileIn(ff, 'Import passkeys', 'Backup file', backupFile);
      await checkIn(ff, 'Import passkeys', 'Latchkey backup');
      await fillIn(ff, 'Import passkeys', 'Backup passphrase', PASSPHRASE);
      await clickIn(ff, 'Import passkeys', 'Import');
      await waitForStatusIn(ff, 'Import passkeys', [/1/, /added/i], 30_000);
      assert.equal((await latchkey.listPasskeys('localhost')).length, 1);
      await ff.switchToWindow(main);
      const signedIn = await signInWithPasskey(ff, rp.url, { answer: 'account', userName: DEMO_EMAIL, pin: '2468', log });
      assert.match(signedIn.status, /with a passkey/);
    } finally {
      await close();
    }
  });

  test('import a Bitwarden export and sign in with it', { timeout: 120_000 }, async () => {
    const { driver: ff, latchkey, close } = await launchLatchkeyFirefox({ virtualAuthenticator: true });
    try {
      await latchkey.setPin('2468');
      // Make a passkey the relying party knows on the browser's virtual key (ES256), then export it
      // the way Bitwarden's unencrypted JSON export writes passkeys.
      await latchkey.answerNext({ kind: 'hand-over' });
      const authenticatorId = await ff.addVirtualAuthenticator({ transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true });
      await signInWithPassword(ff, rp.url, log);
      const main = await ff.currentWindow();
      const registered = await registerEs256OnTheBrowser(ff, 'From Bitwarden');
      log(`the relying party registered the security key's passkey ${registered}`);
      const [cred] = await ff.getCredentials(authenticatorId);
      assert.ok(cred?.userHandle, 'a resident credential with its user handle');
      assert.equal(b64url(cred.credentialId), registered);
      await ff.removeVirtualAuthenticator(authenticatorId);
      const file = writeBitwardenExport(dataDir, { cred, userName: DEMO_EMAIL, siteUrl: rp.url, rpId: 'localhost' });
      await openManagePage(ff);
      await chooseFileIn(ff, 'Import passkeys', 'Backup file', file);
      await checkIn(ff, 'Import passkeys', 'Bitwarden export (unencrypted JSON)');
      await clickIn(ff, 'Import passkeys', 'Import');
      await waitForStatusIn(ff, 'Import passkeys', [/added/i], 30_000);
      const held = await latchkey.listPasskeys('localhost');
      assert.equal(held.length, 1);
      assert.equal(held[0]?.label, 'Latchkey Demo');
      await ff.switchToWindow(main);
      await signOut(ff, log);
      const signedIn = await signInWithPasskey(ff, rp.url, { answer: 'account', userName: DEMO_EMAIL, pin: '2468', log });
      assert.match(signedIn.status, /with a passkey/);
      assert.equal((await latchkey.lastCeremony())?.credentialId, held[0]?.credentialId);
      assert.equal(held[0]?.credentialId, registered, 'signed in with the imported key');
    } finally {
      await close();
    }
  });
});

/**
 * Registers a passkey at the demo relying party from the signed-in page, as its client.js does,
 * but asking for ES256 alone (the relying party lists EdDSA first and the security key would take
 * it; Bitwarden exports are read as P-256 keys here). Marionette cannot rewrite responses like page.route, so the
 * page fetches the options itself. Returns the passkey's id as the relying party stored it.
 */
async function registerEs256OnTheBrowser(ff: FirefoxDriver, name: string): Promise<string> {
  const r = await ff.executeAsync<string>(`async (name) => {
    const toBuffer = (s) => {
      const b64 = s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '=');
      // A view, not its ArrayBuffer: this script runs in Marionette's sandbox, another realm than
      // the page's, and Latchkey's content script refuses an ArrayBuffer of another realm.
      return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    };
    const toB64url = (buf) => {
      const bytes = ArrayBuffer.isView(buf) ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : new Uint8Array(buf);
      let bin = '';
      for (const b of bytes) bin += String.fromCharCode(b);
      return btoa(bin).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
    };
    const jsonValue = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? toB64url(v)
      : Array.isArray(v) ? v.map(jsonValue)
      : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonValue(x)])) : v;
    const api = async (path, body) => {
      const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(data.error ?? 'The server answered ' + res.status);
      return data;
    };
    const options = await api('/api/register/options');
    options.pubKeyCredParams = options.pubKeyCredParams.filter((p) => p.alg === -7);
    const cred = await navigator.credentials.create({ publicKey: {
      ...options,
      challenge: toBuffer(options.challenge),
      user: { ...options.user, id: toBuffer(options.user.id) },
      excludeCredentials: (options.excludeCredentials ?? []).map((c) => ({ ...c, id: toBuffer(c.id) })),
    } });
    const r = cred.response;
    const optional = (fn) => { try { return fn(); } catch { return undefined; } };
    const credential = {
      id: cred.id, rawId: toB64url(cred.rawId), type: cred.type,
      authenticatorAttachment: cred.authenticatorAttachment ?? undefined,
      clientExtensionResults: jsonValue(cred.getClientExtensionResults?.() ?? {}),
      response: {
        clientDataJSON: toB64url(r.clientDataJSON),
        attestationObject: toB64url(r.attestationObject),
        transports: optional(() => r.getTransports?.()) ?? [],
      },
    };
    const { passkey } = await api('/api/register/verify', { credential, name });
    return passkey.id;
  }`, [name]);
  if (isScriptError(r)) throw new Error(`registering on the browser's security key failed: ${r.__error.name}: ${r.__error.message}`);
  return r;
}
