// The manage page with the keyboard alone (Chromium): unlock, search, rename, delete with its
// confirmation, and a setting, every control reached with Tab and used with the keys a person would.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { launchLatchkey } from '../testing/chromium';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-manage-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

/** Presses Tab until the focused element's accessible name (label, aria-label or text) is `name`. */
async function tabTo(page: Page, name: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const label = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
      return label.replace(/\s+/g, ' ').trim();
    });
    if (focused === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`"${name}" was not reached with Tab`);
}

describe('the manage page, keyboard only', { timeout: 120_000 }, () => {
  test('unlock, search, rename, delete with confirmation, change a setting', async () => {
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin('4827');
      await latchkey.approveAll();
      const page = await context.newPage();
      await page.goto(`${rp.url}/playground`);
      for (const name of ['alice', 'bob', 'carol']) {
        await page.evaluate((name) => navigator.credentials.create({ publicKey: {
          rp: { name: 'P' }, user: { id: new TextEncoder().encode(name), name: `${name}@latchkey.test`, displayName: name },
          challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } }), name);
      }
      await latchkey.lock();
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      await manage.getByRole('button', { name: 'Unlock' }).waitFor();
      await tabTo(manage, 'PIN');
      await manage.keyboard.type('4827');
      await manage.keyboard.press('Enter');
      await manage.getByRole('heading', { name: 'Your passkeys' }).waitFor();
      assert.equal(await manage.locator('[data-credential-id]').count(), 3);

      await tabTo(manage, 'Search passkeys');
      await manage.keyboard.type('bob');
      await manage.waitForFunction(() => document.querySelectorAll('[data-credential-id]').length === 1);
      await tabTo(manage, 'Rename bob@latchkey.test on localhost');
      await manage.keyboard.press('Enter');
      await manage.getByLabel('Passkey name').waitFor();
      await tabTo(manage, 'Passkey name');
      await manage.keyboard.type('Work laptop');
      await manage.keyboard.press('Enter');
      await manage.getByRole('status').filter({ hasText: 'Renamed to' }).first().waitFor();
      assert.equal((await latchkey.listPasskeys('localhost')).find((p) => p.userName === 'bob@latchkey.test')?.label, 'Work laptop');

      await tabTo(manage, 'Search passkeys');
      await manage.keyboard.press('Control+A');
      await manage.keyboard.press('Backspace');
      await manage.waitForFunction(() => document.querySelectorAll('[data-credential-id]').length === 3);
      await tabTo(manage, 'Delete carol@latchkey.test on localhost');
      await manage.keyboard.press('Enter');
      await manage.getByText('You will not be able to sign in with it.').waitFor();
      await tabTo(manage, 'Delete passkey');
      await manage.keyboard.press('Enter');
      await manage.getByRole('status').filter({ hasText: 'Deleted the passkey for carol@latchkey.test' }).first().waitFor();
      assert.deepEqual((await latchkey.listPasskeys('localhost')).map((p) => p.userName).sort(), ['alice@latchkey.test', 'bob@latchkey.test']);

      await tabTo(manage, 'Lock after');
      await manage.keyboard.press('End'); // the last choice: only when the browser closes
      await manage.getByRole('status').filter({ hasText: 'Saved' }).first().waitFor();
      assert.equal((await latchkey.updateSettings({})).autoLockMinutes, 0);
    } finally {
      await close();
    }
  });
});
