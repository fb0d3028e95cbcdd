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
  return page.evaluate((hints) => navigator.credentials.create({ publicKey: {
    rp: { name: 'P' }, user: { id: crypto.getRandomValues(new Uint8Array(8)), name: 'w@latchkey.test', displayName: 'W' },
    challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }], hints,
    authenticatorSelection: { residentKey: 'required' } } }).then((c) => c?.id ?? null, (e: Error) => e.name), hints);
}
function get(page: Page, hints: string[] = []) {
  return page.evaluate((hints) => navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), hints } })
    .then((c) => c?.id ?? null, (e: Error) => e.name), hints);
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
});
