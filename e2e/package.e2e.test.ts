// `npm run package`'s archives, installed as a person installs them, in both browsers: each one
// registers a passkey through Latchkey's window and signs in with it, verified by the demo relying
// party (@simplewebauthn/server). The archives are release builds, so the same test shows that the
// installed extension has no test automation: no automation page, no service-worker global, and an
// "approve everything" state planted in its storage is ignored (the window opens all the same).
// The archives pass web-ext lint: no error, no warning that docs/PACKAGING.md does not explain.
//
// Firefox installs the .xpi file itself (Marionette's Addon:Install). Chromium cannot install a zip
// from the command line (--load-extension takes a folder), so the zip is unpacked into a temporary
// folder and that folder is loaded: the same bytes, as the archive holds them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import { lintFirefox, lintProblems, packageExtensions } from '../scripts/package.mjs';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import * as chromiumFlow from './flows/chromiumDemoFlow';
import * as firefoxFlow from './flows/firefoxDemoFlow';
import { launchChromium } from './lib/chromium';
import { isScriptError, launchFirefox, type FirefoxDriver } from './lib/firefox';

const log: chromiumFlow.Log = (step) => { if (process.env.E2E_VERBOSE) console.log(`  · ${step}`); };
const work = mkdtempSync(join(tmpdir(), 'latchkey-e2e-package-'));
let rp: DemoRp;
let archives: Awaited<ReturnType<typeof packageExtensions>>;

/** What a test build would take as "approve every ceremony" (src/background/automation.ts). */
const PLANTED_AUTOMATION = { 'latchkey.automation': { mode: 'auto', queue: [], userVerified: true } };

before(async () => {
  archives = await packageExtensions({ outDir: join(work, 'out'), workDir: join(work, 'build') });
  rp = await startDemoRp({ port: 0, dataFile: join(work, 'rp.json') });
});
after(async () => {
  await rp?.close();
  rmSync(work, { recursive: true, force: true });
});

function unzipInto(archive: string, dir: string): void {
  for (const [name, bytes] of Object.entries(unzipSync(new Uint8Array(readFileSync(archive))))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
}

test('web-ext lint: no errors, and every warning explained in docs/PACKAGING.md', { timeout: 120_000 }, () => {
  const report = lintFirefox(archives.firefox.unpacked);
  assert.deepEqual(lintProblems(report), []);
  assert.equal(report.errors.length, 0);
});

describe('the Chrome archive, unzipped and loaded in Chromium', { timeout: 180_000 }, () => {
  test('one ceremony each way through the window, verified by the relying party; no automation anywhere', async () => {
    const dir = join(work, 'chrome-unzipped');
    unzipInto(archives.chrome.archive, dir);
    const browser = await launchChromium({ extensionDir: dir });
    try {
      const { context, serviceWorker, extensionId } = browser;
      assert.equal(await serviceWorker.evaluate(() => typeof (globalThis as { latchkeyAutomation?: unknown }).latchkeyAutomation), 'undefined');
      const ext = await context.newPage();
      await ext.goto(`chrome-extension://${extensionId}/options/options.html`);
      const fetchStatus = (path: string) => ext.evaluate((p) => fetch(p).then((r) => String(r.status), (e: Error) => e.name), path);
      assert.equal(await fetchStatus('/popup/ceremony.html'), '200', 'a page the release build has');
      assert.notEqual(await fetchStatus('/automation/automation.html'), '200', 'no automation page');
      // Plant the state that makes a test build approve every ceremony; the release build has no
      // code that reads it.
      await ext.evaluate((s) => (globalThis as unknown as { chrome: { storage: { session: { set(o: object): Promise<void> } } } }).chrome.storage.session.set(s), PLANTED_AUTOMATION);
      await ext.close();

      const page = await context.newPage();
      assert.equal(await page.evaluate(() => typeof (window as { latchkeyAutomation?: unknown }).latchkeyAutomation), 'undefined');
      await chromiumFlow.signInWithPassword(page, rp.url, log);
      const added = await chromiumFlow.addPasskey(context, page, { answer: 'save', name: 'From the zip', log });
      assert.equal(added.pinStep, 'set-pin', 'first use: the window asked for a PIN');
      await chromiumFlow.signOut(page, log);
      const signedIn = await chromiumFlow.signInWithPasskey(context, page, rp.url, { answer: 'account', log });
      assert.equal(signedIn.windowShown, true);
      assert.match(signedIn.status, /Signed in as demo@latchkey\.test with a passkey \(user verified: yes\)/);
    } finally {
      await browser.close();
    }
  });
});

describe('the Firefox archive, installed as an .xpi in Firefox ESR', { timeout: 180_000 }, () => {
  let ff: FirefoxDriver | null = null;
  after(async () => { await ff?.quit(); });

  test('one ceremony each way through the window, verified by the relying party; no automation anywhere', async () => {
    const driver = await launchFirefox({ extensionXpi: archives.firefox.archive, systemAccess: true });
    ff = driver;
    assert.equal(ff.timings.install, 'installed');
    await ff.navigate(`${ff.extensionOrigin}/options/options.html`);
    const fetchStatus = async (path: string) => {
      const r = await driver.executeAsync<string>(`async (p) => fetch(p).then((r) => String(r.status), (e) => e.name)`, [path]);
      assert.ok(!isScriptError(r), JSON.stringify(r));
      return r;
    };
    assert.equal(await fetchStatus('/popup/ceremony.html'), '200', 'a page the release build has');
    assert.notEqual(await fetchStatus('/automation/automation.html'), '200', 'no automation page');
    const planted = await ff.executeAsync(`async (s) => { await browser.storage.session.set(s); return true; }`, [PLANTED_AUTOMATION]);
    assert.equal(planted, true);

    await firefoxFlow.signInWithPassword(ff, rp.url, log);
    const pinStep = await firefoxFlow.addPasskey(ff, { answer: 'save', name: 'From the xpi', log });
    assert.equal(pinStep, 'set-pin', 'first use: the window asked for a PIN');
    await firefoxFlow.signOut(ff, log);
    const signedIn = await firefoxFlow.signInWithPasskey(ff, rp.url, { answer: 'account', log });
    assert.match(signedIn.status, /Signed in as demo@latchkey\.test with a passkey \(user verified: yes\)/);
  });
});
