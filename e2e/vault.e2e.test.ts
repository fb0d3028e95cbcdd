// The vault end to end in Chromium: nothing is lost or asked twice when the service worker stops
// (during a ceremony and between two), auto-lock fires, and the manage page's PIN change, export /
// import and Bitwarden import lead to a sign-in the relying party verifies.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { DEMO_EMAIL, DEMO_PIN, signInWithPassword, signInWithPasskey, signOut, type Log } from './flows/chromiumDemoFlow';
import { clickClosing, nextCeremonyWindow, stopServiceWorker } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';

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
      await page.getByLabel('Passkey name').fill('Survivor');
      await page.getByRole('button', { name: 'Done' }).click();
      await page.getByTestId('methods').getByText('Survivor').waitFor();
      // Between two ceremonies: stopped again; the PIN is not asked a second time.
      await stopServiceWorker(page);
      await signOut(page, log);
      const signedIn = await signInWithPasskey(context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
      assert.equal(signedIn.pinStep, 'none', 'unlocked state survived the worker');
      assert.match(signedIn.status, /with a passkey \(user verified: yes\)/);
      assert.equal((await latchkey.listPasskeys('localhost')).length, 1);
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
      await latchkey.updateSettings({ autoLockMinutes: 0.05 }); // 3 s, for the test
      assert.equal(await latchkey.isUnlocked(), true);
      await until('auto-lock', async () => !(await latchkey.isUnlocked()), 20_000);
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
