// The ceremony window's choices (Chromium): the site's hints choose the focused button, and
// "Always use the browser on this site" hands over now and from then on, with no window.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { addVirtualSecurityKey, clickClosing, nextCeremonyWindow } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-window-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

function create(page: Page, hints: string[] = []) {
  return page.evaluate((hints) => {
    // hints (WebAuthn L3) are not in TypeScript's DOM types yet: built apart, then passed.
    const publicKey = {
      rp: { name: 'P' }, user: { id: crypto.getRandomValues(new Uint8Array(8)), name: 'w@latchkey.test', displayName: 'W' },
      challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key' as const, alg: -7 }], hints,
      authenticatorSelection: { residentKey: 'required' as const },
    };
    return navigator.credentials.create({ publicKey }).then((c) => c?.id ?? null, (e: Error) => e.name);
  }, hints);
}
function get(page: Page, hints: string[] = []) {
  return page.evaluate((hints) => {
    const publicKey = { challenge: new Uint8Array(32), hints };
    return navigator.credentials.get({ publicKey }).then((c) => c?.id ?? null, (e: Error) => e.name);
  }, hints);
}
const focused = (win: Page) => win.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('the ceremony window', { timeout: 120_000 }, () => {
  test('hints choose the focused choice: client-device or none -> Latchkey, security-key or hybrid -> the browser', async () => {
    const { context, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.skipPin();
      const page = await context.newPage();
      await page.goto(`${rp.url}/playground`);
      for (const [hints, expected] of [[[], 'Save passkey'], [['client-device'], 'Save passkey'], [['security-key'], 'Use another device or security key'], [['hybrid', 'client-device'], 'Use another device or security key']] as const) {
        const opens = nextCeremonyWindow(context);
        const outcome = create(page, [...hints]);
        const win = await opens;
        await win.getByRole('button', { name: 'Save passkey' }).waitFor();
        assert.equal(await focused(win), expected, `hints ${JSON.stringify(hints)}`);
        await clickClosing(win.getByRole('button', { name: 'Cancel' }));
        assert.equal(await outcome, 'NotAllowedError');
      }
    } finally {
      await close();
    }
  });

  test('"Always use the browser on this site" hands over now and later without a window', async () => {
    const { context, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.skipPin();
      const page = await context.newPage();
      await page.goto(`${rp.url}/playground`);
      await addVirtualSecurityKey(page);
      await latchkey.answerNext({ kind: 'save' }, { kind: 'hand-over' });
      const inLatchkey = await create(page);
      const onKey = await create(page);
      assert.equal((await latchkey.listPasskeys('localhost'))[0]?.credentialId, inLatchkey);
      const opens = nextCeremonyWindow(context);
      const first = get(page);
      const win = await opens;
      await clickClosing(win.getByRole('button', { name: 'Always use the browser on this site' }));
      assert.equal(await first, onKey, 'the browser answered, with the security key');
      assert.deepEqual((await latchkey.updateSettings({})).handoverSites, ['localhost']);
      let windows = 0;
      context.on('page', (p) => { if (p.url().includes('/popup/')) windows++; });
      assert.equal(await get(page), onKey);
      assert.equal(windows, 0, 'no window the second time');
    } finally {
      await close();
    }
  });

  test('an abort rejects with the signal\'s reason as given and closes the window; so does leaving the page', async () => {
    const { context, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.skipPin();
      const page = await context.newPage();
      await page.goto(`${rp.url}/playground`);
      let opens = nextCeremonyWindow(context);
      const aborted = page.evaluate(() => {
        const ac = new AbortController();
        (window as unknown as { ac: AbortController }).ac = ac;
        return navigator.credentials.create({ signal: ac.signal, publicKey: {
          rp: { name: 'P' }, user: { id: new Uint8Array([1]), name: 'a@latchkey.test', displayName: 'A' },
          challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } }).then(() => 'created', (e: unknown) => e);
      });
      let win = await opens;
      const closed = win.waitForEvent('close');
      await page.evaluate(() => (window as unknown as { ac: AbortController }).ac.abort('stop right there'));
      assert.equal(await aborted, 'stop right there', 'the reason exactly as given, even a plain string');
      await closed;
      // Navigating away ends the request: its window closes.
      opens = nextCeremonyWindow(context);
      void create(page).catch(() => {});
      win = await opens;
      const closedToo = win.waitForEvent('close');
      await page.goto(`${rp.url}/`);
      await closedToo;
      assert.equal((await latchkey.lastCeremony())?.outcome, 'dropped');
    } finally {
      await close();
    }
  });
});
