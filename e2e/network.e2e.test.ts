// Latchkey makes no network request of its own with sync off (docs/SECURITY.md, "Network").
//
// Chromium: Playwright's context-level request events see every request of every context of the
// browser profile: pages and their frames (the demo relying party, Latchkey's autofill frame inside
// it), Latchkey's own pages (ceremony window, manage page, toolbar popup, automation page) and its
// service worker (request.serviceWorker()). A full run as a person would do it (password sign-in,
// create a passkey in the window with the PIN set-up, sign in with it in the window, passkey
// autofill, the manage page's rename, the toolbar popup's lock) is recorded; then:
//   - no request from an extension context goes to the network (only chrome-extension:// loads of
//     Latchkey's own files), unless `allowedExtensionRequest` says so;
//   - the pages' requests all go to the relying party (a content script that fetched something
//     would show up here, in the page's name);
//   - the recorder is shown to see what it claims: a fetch from the service worker and one from
//     the manage page, made at the end on purpose, are caught and classified as extension requests.
// A Chromium net-log of the same run (--log-net-log) is the catch-all below Playwright: every
// http(s) URL the browser requested goes to the relying party, or to a Chromium service named in
// BROWSER_OWN (the browser's own update and account checks, which happen with no extension at all).
//
// Firefox: its HTTP log (MOZ_LOG=nsHttp:3, every process) names every URL any context requested,
// the extension's included, but not which context asked. So the check there is by host: over the
// same run (create and sign-in in the window, the manage page, the toolbar popup), every URL goes
// to the relying party or to Firefox's own plugin updates (FIREFOX_OWN); a probe fetched from Latchkey's manage page shows the log sees extension
// requests.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Frame, Request } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { addPasskey, DEMO_EMAIL, DEMO_PIN, signInWithPassword, signInWithPasskey, signOut } from './flows/chromiumDemoFlow';
import { clickClosing } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import * as ffFlow from './flows/firefoxDemoFlow';
import { openManagePage } from './flows/firefoxManage';

/**
 * Network requests an extension context may make. None today. When sync and the related-origins
 * check exist, they are allowed here by name: the sync server the person configured, and
 * `https://<rp>/.well-known/webauthn` (WebAuthn L3 §5.11.1) for an RP ID the page asked for.
 */
function allowedExtensionRequest(_url: URL, _o: { syncServer: string | null }): boolean {
  return false;
}

/**
 * Chromium's own services, which it calls with no extension installed (none of them Latchkey's):
 * component updates and account checks at start, and the password leak check after the demo's
 * password sign-in form is submitted.
 */
const BROWSER_OWN = new Set(['passwordsleakcheck-pa.googleapis.com', 'update.googleapis.com', 'accounts.google.com', 'clients2.google.com', 'edgedl.me.gvt1.com', 'redirector.gvt1.com', 'optimizationguide-pa.googleapis.com', 'safebrowsingohttpgateway.googleapis.com', 'content-autofill.googleapis.com']);

/** Firefox's own: the media plugin (GMP: OpenH264, Widevine) update check and its download; no extension involved. */
const FIREFOX_OWN = new Set(['aus5.mozilla.org', 'update.googleapis.com']);

interface Seen { url: string; context: 'service-worker' | 'extension-page' | 'web-page'; where: string }

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-network-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

describe('no network request with sync off', { timeout: 240_000 }, () => {
  test('Chromium: a full create, sign-in and manage run; every context recorded', async () => {
    const netlog = join(dataDir, 'netlog.json');
    const { context, extensionId, latchkey, close } = await launchLatchkey({ args: [`--log-net-log=${netlog}`, '--net-log-capture-mode=Default'] });
    const seen: Seen[] = [];
    const extOrigin = `chrome-extension://${extensionId}`;
    const classify = (r: Request): Seen => {
      if (r.serviceWorker()) return { url: r.url(), context: 'service-worker', where: r.serviceWorker()!.url() };
      let frame: Frame | null = null;
      try { frame = r.frame(); } catch { /* a request of no frame */ }
      const where = frame?.url() ?? '';
      return { url: r.url(), context: where.startsWith(extOrigin) || r.url().startsWith(extOrigin) ? 'extension-page' : 'web-page', where };
    };
    context.on('request', (r) => seen.push(classify(r)));
    const log = (s: string) => { if (process.env.E2E_VERBOSE) console.log(`  · ${s}`); };
    let closed = false;
    try {
      const page = await context.newPage();
      await signInWithPassword(page, rp.url, log);
      assert.equal((await addPasskey(context, page, { answer: 'save', name: 'Laptop', pin: DEMO_PIN, log })).pinStep, 'set-pin');
      await signOut(page, log);
      await latchkey.lock();
      assert.equal((await signInWithPasskey(context, page, rp.url, { answer: 'account', pin: DEMO_PIN, log })).pinStep, 'unlock');
      await signOut(page, log);

      // Passkey autofill: the offer is Latchkey's frame inside the page.
      await page.goto(`${rp.url}/?autofill`);
      await page.getByLabel('Email').click();
      let frame: Frame | undefined;
      for (let i = 0; i < 200 && !frame; i++) {
        frame = page.frames().find((x) => x.url().includes('/autofill/autofill.html') && !x.isDetached());
        if (!frame) await page.waitForTimeout(50);
      }
      assert.ok(frame, 'the autofill offer appeared');
      await frame.getByRole('button', { name: new RegExp(DEMO_EMAIL) }).click();
      await page.getByRole('heading', { name: 'Security info' }).waitFor();

      // The manage page: rename the passkey.
      const manage = await context.newPage();
      await manage.goto(`${extOrigin}/options/options.html`);
      await manage.getByRole('heading', { name: 'Your passkeys' }).waitFor();
      await manage.getByRole('button', { name: `Rename ${DEMO_EMAIL} on localhost` }).click();
      await manage.getByLabel('Passkey name').fill('Renamed');
      await manage.keyboard.press('Enter');
      await manage.getByRole('status').filter({ hasText: 'Renamed to' }).first().waitFor();

      // The toolbar popup: lock.
      const popup = await context.newPage();
      await popup.goto(`${extOrigin}/action/action.html`);
      await clickClosing(popup.getByRole('button', { name: /^Lock/ }));
      assert.equal(await latchkey.isUnlocked(), false);

      // The checks that show the recorder sees what it claims: one fetch from the worker, one from a page.
      const probe = `${rp.url}/recorder-probe`;
      await context.serviceWorkers()[0]!.evaluate((u) => fetch(u).then((r) => r.status, () => 0), `${probe}?from=worker`);
      await manage.evaluate((u) => fetch(u).then((r) => r.status, () => 0), `${probe}?from=page`);
      await manage.waitForTimeout(200);
      const contexts = new Set(seen.map((s) => `${s.context} ${new URL(s.where || s.url).pathname}`));
      for (const must of ['service-worker', 'extension-page /popup/ceremony.html', 'extension-page /options/options.html', 'extension-page /action/action.html', 'extension-page /autofill/autofill.html'].map((x) => [...contexts].some((c) => c.startsWith(x)))) assert.ok(must, `every context was recorded (the worker by its probe): ${[...contexts].join(', ')}`);


      const network = (u: string) => /^(https?|wss?|ftp):/.test(u);
      const fromExtension = seen.filter((s) => s.context !== 'web-page' && network(s.url) && !allowedExtensionRequest(new URL(s.url), { syncServer: null }));
      assert.deepEqual(fromExtension.map((s) => `${s.context} ${s.url}`).sort(), [`extension-page ${probe}?from=page`, `service-worker ${probe}?from=worker`],
        'no request from an extension context but the two probes');
      const pagesElsewhere = seen.filter((s) => s.context === 'web-page' && network(s.url) && new URL(s.url).origin !== rp.url);
      assert.deepEqual(pagesElsewhere, [], 'the pages spoke only to the relying party');
      console.log(`NETWORK_COUNTS ${JSON.stringify({ requests: seen.length, serviceWorker: seen.filter((s) => s.context === 'service-worker').length, extensionPages: seen.filter((s) => s.context === 'extension-page').length, webPages: seen.filter((s) => s.context === 'web-page').length })}`);

      await close();
      closed = true;
      // Below Playwright: the browser's own log of every URL it requested.
      const text = readFileSync(netlog, 'utf8');
      const urls = [...new Set([...text.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!))].filter(network);
      assert.ok(urls.some((u) => u.startsWith(`${probe}?from=worker`)), 'the net-log has the worker probe');
      const rpHost = new URL(rp.url).host;
      const unexplained = urls.filter((u) => { const x = new URL(u); return x.host !== rpHost && !BROWSER_OWN.has(x.hostname); });
      assert.deepEqual(unexplained, [], 'every URL the browser requested is the relying party or Chromium\'s own service');
    } finally {
      if (!closed) await close();
    }
  });

  test('Firefox: the same run; every URL any context requested goes to the relying party', async () => {
    const logDir = mkdtempSync(join(dataDir, 'moz-log-'));
    const saved = { MOZ_LOG: process.env.MOZ_LOG, MOZ_LOG_FILE: process.env.MOZ_LOG_FILE };
    process.env.MOZ_LOG = 'nsHttp:3';
    process.env.MOZ_LOG_FILE = join(logDir, 'http.log');
    let ff: Awaited<ReturnType<typeof launchLatchkeyFirefox>>;
    try { ff = await launchLatchkeyFirefox({ virtualAuthenticator: true }); } finally {
      for (const [k, v] of Object.entries(saved)) { if (v === undefined) delete process.env[k]; else process.env[k] = v; }
    }
    const { driver, close } = ff;
    const log = (s: string) => { if (process.env.E2E_VERBOSE) console.log(`  · ${s}`); };
    const probe = `${rp.url}/recorder-probe?from=extension-page`;
    try {
      await ffFlow.signInWithPassword(driver, rp.url, log);
      assert.equal(await ffFlow.addPasskey(driver, { answer: 'save', name: 'Laptop', pin: DEMO_PIN, log }), 'set-pin');
      await ffFlow.signOut(driver, log);
      await ffFlow.signInWithPasskey(driver, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
      await openManagePage(driver);
      await driver.waitForText('Your passkeys');
      await driver.executeAsync(`async (u) => { try { return (await fetch(u)).status; } catch { return 0; } }`, [probe]);
      await driver.navigate(`${driver.extensionOrigin}/action/action.html`);
      await driver.waitForText('Latchkey is unlocked.');
      await driver.clickButton('Lock now');
      await driver.waitForText('Latchkey is locked.');
    } finally {
      await close();
    }
    const text = readdirSync(logDir).map((f) => readFileSync(join(logDir, f), 'utf8')).join('\n');
    const urls = [...new Set([...text.matchAll(/ uri=(\S+)/g)].map((m) => m[1]!))].filter((u) => /^(https?|wss?):/.test(u));
    assert.ok(urls.includes(probe), 'the log sees a request from an extension page');
    const rpHost = new URL(rp.url).host;
    assert.deepEqual(urls.filter((u) => new URL(u).host !== rpHost && !FIREFOX_OWN.has(new URL(u).hostname)), [], 'every URL Firefox requested is the relying party or Firefox\'s own');
    console.log(`NETWORK_COUNTS_FIREFOX ${JSON.stringify({ urls: urls.length })}`);
  });
});
