// Exporting every private key asks for the PIN again (issue 15, "Export without the PIN"), in
// Chromium: a request without it or with a wrong one is refused, wrong PINs are counted by the
// same lockout as unlock (the 4th makes Latchkey wait), and the form's PIN box leads to the file.
// Also: the Change PIN form warns about a short PIN (issue 15, "Short PINs at rest").
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { p256 } from '@noble/curves/nist.js';
import { toBase64url } from '../src/core/base64url';
import { launchLatchkey } from '../testing/chromium';

declare const chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
type Answer = { ok: boolean; error?: string; retryAfterMs?: number; value?: { fileName: string; content: string } };
const PIN = '4827';
const PASSPHRASE = 'correct-battery-42';

describe('export asks for the PIN', { timeout: 120_000 }, () => {
  test('no PIN or a wrong one: no file, counted; the right one in the form: the file', async () => {
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin(PIN);
      await latchkey.addPasskey({ rpId: 'shop.example', credentialId: toBase64url(crypto.getRandomValues(new Uint8Array(16))),
        userHandle: toBase64url(crypto.getRandomValues(new Uint8Array(16))), userName: 'ada@shop.example', privateKey: toBase64url(p256.utils.randomSecretKey()) });
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      await manage.getByRole('heading', { name: 'Your passkeys' }).waitFor();
      const send = (m: unknown) => manage.evaluate((msg) => chrome.runtime.sendMessage(msg), m) as Promise<Answer>;

      // An unlocked session alone, as before this change: refused, no file.
      const bare = await send({ type: 'exchange/export', format: 'latchkey', passphrase: PASSPHRASE });
      assert.equal(bare.ok, false);
      assert.equal(bare.value, undefined);

      // The form (docs/CONTRACT.md names), with the right PIN: the browser's download.
      const form = manage.getByRole('region', { name: 'Backup, import and export' });
      const fillForm = async () => {
        await form.getByRole('group', { name: 'Kind of file' }).getByRole('radio', { name: 'Latchkey backup', exact: true }).check();
        await form.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
        await form.getByLabel('Confirm passphrase', { exact: true }).fill(PASSPHRASE);
        await form.getByRole('button', { name: 'Export', exact: true }).click();
        await form.getByLabel('PIN', { exact: true }).fill(PIN);
      };
      await fillForm();
      const download = manage.waitForEvent('download');
      await form.getByRole('button', { name: 'Unlock' }).click();
      assert.match((await download).suggestedFilename(), /^latchkey-/);

      // Wrong PINs: each refused and counted; the 4th starts the wait, as at unlock.
      for (let i = 1; i <= 3; i++) {
        const wrong = await send({ type: 'exchange/export', format: 'latchkey', passphrase: PASSPHRASE, pin: '0000' });
        assert.deepEqual([wrong.ok, wrong.value], [false, undefined]);
        assert.match(wrong.error ?? '', /Wrong PIN/);
      }
      const fourth = await send({ type: 'exchange/export', format: 'latchkey', passphrase: PASSPHRASE, pin: '0000' });
      assert.equal(fourth.ok, false);
      assert.match(fourth.error ?? '', /Too many wrong PINs: try again in \d+ seconds/);
      assert.ok((fourth.retryAfterMs ?? 0) > 0);
      // While waiting even the right PIN is refused, in the form too (role alert), and so is unlock.
      await fillForm();
      await form.getByRole('button', { name: 'Unlock' }).click();
      await form.getByRole('alert').filter({ hasText: /Too many wrong PINs/ }).waitFor();
      const state = await send({ type: 'manage/state' }) as unknown as { value: { vault: { retryAfterMs: number } } };
      assert.ok(state.value.vault.retryAfterMs > 0, 'the same lockout as unlock');

      // Change PIN says what a short PIN is worth against a copy of the profile (warned, not refused).
      const change = manage.getByRole('region', { name: 'Change PIN' });
      await change.getByLabel('New PIN', { exact: true }).fill('1234');
      await change.getByText(/could try every PIN like this one in about 58 minutes/).waitFor();
      await change.getByLabel('New PIN', { exact: true }).fill('correct horse battery staple');
      await change.getByText(/only a long PIN helps/).waitFor();
    } finally {
      await close();
    }
  });
});
