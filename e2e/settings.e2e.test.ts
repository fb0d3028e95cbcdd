// The security settings (auto-lock, the user-verification grace period, the sites that always use
// the browser) cannot be changed from a web page's process (src/background/settings.ts).
//
// Chromium: code runs in Latchkey's own content-script world of a page (found over CDP, the world
// bridge.js runs in), which is what a compromised renderer can do at the least. It can write
// storage.local (the test shows the write landing), so settings there would be the attacker's.
// They are kept in the extension origin's IndexedDB instead: the effective settings stay the
// person's, before and after the service worker restarts, and a ceremony on that site still comes
// to Latchkey. Firefox: a direct write to storage.local stands for the compromised content
// process (Marionette cannot enter a content script's sandbox), with the same checks.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CDPSession } from 'playwright-core';
import { DEFAULT_SETTINGS } from '../src/messages/manage';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { stopServiceWorker } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox, stopBackground } from '../testing/firefox';
import { isScriptError } from './lib/firefox';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-settings-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

/** What a compromised page process would set: no auto-lock, an hour of grace, this site handed to the browser, the proxy off. */
const ATTACK = { autoLockMinutes: 0, uvGraceSeconds: 3600, handoverSites: ['localhost'], interceptAll: false };
/** The person's own settings (the rest at their defaults), as updateSettings answers them. */
const MINE = { ...DEFAULT_SETTINGS, autoLockMinutes: 5, uvGraceSeconds: 30, handoverSites: ['bank.example'] };
const LEGACY_KEY = 'latchkey.settings';

async function contentScriptWorld(cdp: CDPSession, contexts: { id: number; name: string; origin: string }[], extensionId: string): Promise<(expr: string) => Promise<unknown>> {
  const world = contexts.filter((c) => c.name === 'Latchkey' && c.origin === `chrome-extension://${extensionId}`).at(-1);
  assert.ok(world, "Latchkey's content-script world exists in the page");
  return async (expression) => {
    const r = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true }) as { result: { value?: unknown }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.text);
    return r.result.value;
  };
}

describe('security settings are out of reach of a page process', { timeout: 180_000 }, () => {
  test('Chromium: a content script writes storage.local, the settings in effect do not change', async () => {
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin('4827-1593');
      assert.deepEqual(await latchkey.updateSettings(MINE), MINE);
      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const contexts: { id: number; name: string; origin: string }[] = [];
      cdp.on('Runtime.executionContextCreated', (e: { context: { id: number; name: string; origin: string } }) => contexts.push(e.context));
      await cdp.send('Runtime.enable');
      await page.goto(`${rp.url}/playground`);
      const inContentScript = await contentScriptWorld(cdp, contexts, extensionId);

      // The attack lands in storage.local: it is open to content scripts.
      const landed = await inContentScript(`chrome.storage.local.set({ ${JSON.stringify(LEGACY_KEY)}: ${JSON.stringify(ATTACK)} })
        .then(() => chrome.storage.local.get(${JSON.stringify(LEGACY_KEY)})).then((r) => r[${JSON.stringify(LEGACY_KEY)}])`);
      assert.deepEqual(landed, ATTACK, 'the content script could write storage.local');
      // storage.session, by contrast, is closed to it (Chrome's default access level).
      assert.match(String(await inContentScript('chrome.storage.session.get(null).then(() => "open", (e) => String(e))')), /not allowed/);

      assert.deepEqual(await latchkey.updateSettings({}), MINE, 'in effect at once');
      await stopServiceWorker(page);
      assert.deepEqual(await latchkey.updateSettings({}), MINE, 'in effect after the worker restarted (nothing cached)');

      // And in behaviour: a create() on localhost still comes to Latchkey (not handed to the browser).
      await latchkey.approveAll();
      const made = await page.evaluate(() => navigator.credentials.create({ publicKey: {
        rp: { name: 'P' }, user: { id: new Uint8Array([1, 2, 3]), name: 'settings@latchkey.test', displayName: 'S' },
        challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } }).then((c) => (c as PublicKeyCredential).id));
      assert.ok((await latchkey.listPasskeys('localhost')).some((p) => p.credentialId === made), 'Latchkey saved the passkey');
    } finally {
      await close();
    }
  });

  test('Firefox: a direct write to storage.local does not change the settings in effect', async () => {
    const { driver, latchkey, close } = await launchLatchkeyFirefox();
    try {
      await latchkey.setPin('4827-1593');
      assert.deepEqual(await latchkey.updateSettings(MINE), MINE);
      // From an extension page (the automation tab the handle opened): stands for a content script,
      // which Firefox also lets write storage.local.
      const handles = await driver.windowHandles();
      const back = await driver.currentWindow();
      let wrote: unknown = null;
      for (const h of handles) {
        await driver.switchToWindow(h);
        if (!(await driver.url()).includes('/automation/automation.html')) continue;
        wrote = await driver.executeAsync(`async (k, v) => { await browser.storage.local.set({ [k]: v }); return (await browser.storage.local.get(k))[k]; }`, [LEGACY_KEY, ATTACK]);
      }
      await driver.switchToWindow(back);
      assert.ok(!isScriptError(wrote), String(JSON.stringify(wrote)));
      assert.deepEqual(wrote, ATTACK, 'the write landed in storage.local');
      assert.deepEqual(await latchkey.updateSettings({}), MINE);
      await stopBackground(driver);
      assert.deepEqual(await latchkey.updateSettings({}), MINE, 'after the background restarted');
    } finally {
      await close();
    }
  });
});
