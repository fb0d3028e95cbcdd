// The vault end to end in Chromium: nothing is lost or asked twice when the service worker stops
// (during a ceremony and between two), auto-lock fires, and the manage page's PIN change, export /
// import and Bitwarden import lead to a sign-in the relying party verifies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { addPasskey, DEMO_EMAIL, DEMO_PIN, signInWithPassword, signInWithPasskey, signOut, type Log } from './flows/chromiumDemoFlow';
import { addVirtualSecurityKey, askForES256Only, clickClosing, nextCeremonyWindow, stopServiceWorker } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';
import { writeBitwardenExport } from './flows/bitwardenExport';

const log: Log = (step) => { if (process.env.E2E_VERBOSE) console.log(`  · ${step}`); };
const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-vault-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Chromium: the vault survives a stopped worker and locks itself', { timeout: 180_000 }, () => {
  test('the worker stops during a ceremony and between two: nothing is lost or asked twice', async () => {
    const { context, latchkey, close } = await launchLatchkey();
    try {
      const page = await context.newPage();
      await signInWithPassword(page, rp.url, log);
      // Register through the window; the worker is stopped while the window waits for the person.
      await page.getByRole('button', { name: '+ Add sign-in method' }).click();
      await page.getByRole('button', { name: 'Passkey', exact: true }).click();
      const opens = nextCeremonyWindow(context);
      await page.getByRole('button', { name: 'Next' }).click();
      const win = await opens;
      await win.getByRole('button', { name: 'Save passkey' }).waitFor();
      await stopServiceWorker(page);
      await win.getByRole('button', { name: 'Save passkey' }).click();
      await win.getByLabel('PIN', { exact: true }).fill(DEMO_PIN);
      await win.getByLabel('Confirm PIN').fill(DEMO_PIN);
      await stopServiceWorker(page); // again, between the choice and the PIN
      await clickClosing(win.getByRole('button', { name: 'Set PIN' }));
      // And while it derives the key from the PIN (Argon2id, about a second): the window says the
      // background stopped and Try again leads on; if the stop came before or after the work, the
      // window simply goes on. Either way the request is not lost.
      await stopServiceWorker(page);
      const naming = win.getByLabel('Passkey name');
      const failed = win.getByRole('alert');
      await naming.or(failed).waitFor();
      if (await failed.isVisible()) {
        assert.equal(await failed.innerText(), "Latchkey's background stopped before it answered. The site is still waiting: try again.");
        log('the worker stopped during Set PIN; trying again');
        await win.getByRole('button', { name: 'Try again' }).click();
        await win.getByRole('button', { name: 'Save passkey' }).click();
        // The PIN was set or not, depending on where the derivation was stopped.
        const setPin = win.getByRole('button', { name: 'Set PIN' });
        const unlock = win.getByRole('button', { name: 'Unlock' });
        await setPin.or(unlock).or(naming).waitFor();
        if (await setPin.isVisible()) {
          await win.getByLabel('PIN', { exact: true }).fill(DEMO_PIN);
          await win.getByLabel('Confirm PIN').fill(DEMO_PIN);
          await setPin.click();
        } else if (await unlock.isVisible()) {
          await win.getByLabel('PIN', { exact: true }).fill(DEMO_PIN);
          await unlock.click();
        }
      }
      await naming.waitFor();
      await stopServiceWorker(page); // and while the window offers to name the passkey
      await naming.fill('Survivor in Latchkey');
      const closed = win.waitForEvent('close');
      await clickClosing(win.getByRole('button', { name: 'Save name' }));
      await closed;
      await page.getByLabel('Passkey name').fill('Survivor');
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByTestId('methods').getByText('Survivor').waitFor();
      // Between two ceremonies: stopped again; the PIN is not asked a second time.
      await stopServiceWorker(page);
      await signOut(page, log);
      const signedIn = await signInWithPasskey(context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
      assert.equal(signedIn.pinStep, 'none', 'unlocked state survived the worker');
      assert.match(signedIn.status, /with a passkey \(user verified: yes\)/);
      assert.deepEqual((await latchkey.listPasskeys('localhost')).map((p) => p.label), ['Survivor in Latchkey']);
    } finally {
      await close();
    }
  });

  test('auto-lock fires after the idle period, and the next ceremony asks for the PIN', async () => {
    const { context, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin(DEMO_PIN);
      await latchkey.approveAll();
      const page = await context.newPage();
      await page.goto(`${rp.url}/playground`);
      const created = await page.evaluate(() => navigator.credentials.create({ publicKey: {
        rp: { name: 'P' }, user: { id: new Uint8Array([5]), name: 'idle@latchkey.test', displayName: 'Idle' },
        challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } }).then((c) => c?.type, (e: Error) => e.name));
      assert.equal(created, 'public-key');
      await latchkey.useWindow();
      // 9 s, for the test: long enough that a loaded machine still sees it unlocked first.
      await latchkey.updateSettings({ autoLockMinutes: 0.15 });
      assert.equal(await latchkey.isUnlocked(), true);
      await until('auto-lock', async () => !(await latchkey.isUnlocked()), 30_000);
      const opens = nextCeremonyWindow(context);
      const outcome = page.evaluate(() => navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) } }).then((c) => c?.type, (e: Error) => e.name));
      const win = await opens;
      await win.getByRole('button', { name: 'idle@latchkey.test' }).click();
      await win.getByRole('button', { name: 'Unlock' }).waitFor();
      await win.getByLabel('PIN', { exact: true }).fill(DEMO_PIN);
      await clickClosing(win.getByRole('button', { name: 'Unlock' }));
      assert.equal(await outcome, 'public-key');
    } finally {
      await close();
    }
  });
});

const NEW_PIN = '9713';
const PASSPHRASE = 'correct-battery-42';

describe('Chromium: the manage page', { timeout: 240_000 }, () => {
  const backupDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-backup-'));
  after(() => rmSync(backupDir, { recursive: true, force: true }));
  let backupFile = '';

  test('change the PIN, then sign in with the new PIN; export a backup', async () => {
    const { context, extensionId, close } = await launchLatchkey();
    try {
      const page = await context.newPage();
      await signInWithPassword(page, rp.url, log);
      await addPasskey(context, page, { answer: 'save', name: 'Backed up', log });
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      await manage.getByRole('heading', { name: 'Your passkeys' }).waitFor();
      await manage.getByText(DEMO_EMAIL).first().waitFor();
      await manage.getByLabel('Current PIN').fill(DEMO_PIN);
      await manage.getByLabel('New PIN', { exact: true }).fill(NEW_PIN);
      await manage.getByLabel('Confirm new PIN').fill(NEW_PIN);
      await manage.getByRole('button', { name: 'Change PIN' }).click();
      await manage.getByRole('status').filter({ hasText: /PIN.*changed/i }).first().waitFor();
      // Export while unlocked.
      const exportForm = manage.getByRole('region', { name: 'Export passkeys' });
      await exportForm.getByLabel('Backup passphrase', { exact: true }).fill(PASSPHRASE);
      await exportForm.getByLabel('Confirm backup passphrase').fill(PASSPHRASE);
      await exportForm.getByLabel('PIN', { exact: true }).fill(NEW_PIN); // asked again for an export
      const download = manage.waitForEvent('download');
      await exportForm.getByRole('button', { name: 'Export' }).click();
      backupFile = join(backupDir, (await download).suggestedFilename());
      await (await download).saveAs(backupFile);
      await manage.getByRole('button', { name: 'Lock now' }).click();
      await manage.getByRole('button', { name: 'Unlock' }).waitFor();
      // Sign in: locked, so the PIN is asked, and only the new one opens.
      await signOut(page, log);
      const signedIn = await signInWithPasskey(context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, pin: NEW_PIN, log });
      assert.equal(signedIn.pinStep, 'unlock');
      assert.match(signedIn.status, /with a passkey \(user verified: yes\)/);
    } finally {
      await close();
    }
  });

  test('wipe (a new profile), import the backup, sign in again', async () => {
    assert.ok(backupFile, 'the previous test exported a backup');
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin('2468');
      assert.deepEqual(await latchkey.listPasskeys(), []);
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      const importForm = manage.getByRole('region', { name: 'Import passkeys' });
      await importForm.getByLabel('Backup file').setInputFiles(backupFile);
      await importForm.getByLabel('Latchkey backup').check();
      await importForm.getByLabel('Backup passphrase').fill(PASSPHRASE);
      await importForm.getByRole('button', { name: 'Import' }).click();
      await importForm.getByRole('status').filter({ hasText: /1/ }).filter({ hasText: /added/i }).waitFor();
      assert.equal((await latchkey.listPasskeys('localhost')).length, 1);
      const page = await context.newPage();
      const signedIn = await signInWithPasskey(context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, pin: '2468', log });
      assert.match(signedIn.status, /with a passkey/);
    } finally {
      await close();
    }
  });

  test('import a Bitwarden export and sign in with it', async () => {
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin('2468');
      // Make a passkey the relying party knows on the browser's virtual key (ES256), then export it
      // the way Bitwarden's unencrypted JSON export writes passkeys.
      await latchkey.answerNext({ kind: 'hand-over' });
      const page = await context.newPage();
      const { cdp, authenticatorId } = await addVirtualSecurityKey(page);
      await askForES256Only(page);
      await signInWithPassword(page, rp.url, log);
      await addPasskey(context, page, { answer: 'automation', name: 'From Bitwarden', log });
      const [cred] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
      assert.ok(cred?.userHandle);
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
      const file = writeBitwardenExport(dataDir, { cred, userName: DEMO_EMAIL, siteUrl: rp.url, rpId: 'localhost' });
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      const importForm = manage.getByRole('region', { name: 'Import passkeys' });
      await importForm.getByLabel('Backup file').setInputFiles(file);
      await importForm.getByLabel('Bitwarden export (unencrypted JSON)').check();
      await importForm.getByRole('button', { name: 'Import' }).click();
      await importForm.getByRole('status').filter({ hasText: /added/i }).waitFor();
      const held = await latchkey.listPasskeys('localhost');
      assert.equal(held.length, 1);
      assert.equal(held[0]?.label, 'Latchkey Demo');
      await signOut(page, log);
      const signedIn = await signInWithPasskey(context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, pin: '2468', log });
      assert.match(signedIn.status, /with a passkey/);
      assert.equal((await latchkey.lastCeremony())?.credentialId, held[0]?.credentialId);
    } finally {
      await close();
    }
  });
});
