// The toolbar popup (action/): it tells whether Latchkey is locked and locks it, in both browsers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { until } from './flows/firefoxDemoFlow';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';

describe('the toolbar popup', { timeout: 120_000 }, () => {
  test('Chromium: shows the lock state; "Lock now" locks', async () => {
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      const popup = await context.newPage();
      await popup.goto(`chrome-extension://${extensionId}/action/action.html`);
      await popup.getByRole('status').filter({ hasText: 'No PIN set yet' }).waitFor();
      await latchkey.setPin('4827');
      await popup.reload();
      await popup.getByRole('status').filter({ hasText: 'Latchkey is unlocked.' }).waitFor();
      await popup.getByRole('button', { name: 'Lock now' }).click();
      await popup.getByRole('status').filter({ hasText: 'Latchkey is locked.' }).waitFor();
      assert.equal(await latchkey.isUnlocked(), false);
      assert.equal(await popup.getByRole('button', { name: 'Manage passkeys' }).count(), 1);
    } finally {
      await close();
    }
  });

  test('Firefox: shows the lock state; "Lock now" locks', async () => {
    const { driver: ff, latchkey, close } = await launchLatchkeyFirefox();
    try {
      await latchkey.setPin('4827');
      await ff.navigate(`${ff.extensionOrigin}/action/action.html`);
      await ff.waitForText('Latchkey is unlocked.');
      await ff.clickButton('Lock now');
      await ff.waitForText('Latchkey is locked.');
      assert.equal(await until('the lock', async () => ((await latchkey.isUnlocked()) ? null : 'locked')), 'locked');
    } finally {
      await close();
    }
  });
});
