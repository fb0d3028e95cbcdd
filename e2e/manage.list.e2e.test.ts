// The manage page's list in pages (Chromium): the state carries only the first page of whole sites,
// the rest streams in with manage/list, and every passkey ends up listed and searchable, the last
// site included. (bench/manage.bench.ts measures the same path with 10,000 passkeys.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { p256 } from '@noble/curves/nist.js';
import { toBase64url } from '../src/core/base64url';
import { FIRST_PAGE } from '../src/messages/manage';
import { launchLatchkey } from '../testing/chromium';

const SITES = 150;
/** The extension API of the page the test evaluates in (Chromium's own object). */
declare const chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } };
const PER_SITE = 2;

describe('the manage page lists a long list in pages', { timeout: 180_000 }, () => {
  test('first page with the state, the rest streamed, all of it searchable', async () => {
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin('4827');
      for (let s = 0; s < SITES; s++) {
        for (let i = 0; i < PER_SITE; i++) {
          await latchkey.addPasskey({
            rpId: `site${String(s).padStart(3, '0')}.example`, credentialId: toBase64url(crypto.getRandomValues(new Uint8Array(16))),
            userHandle: toBase64url(crypto.getRandomValues(new Uint8Array(16))), userName: `user${i}@site${s}.example`,
            privateKey: toBase64url(p256.utils.randomSecretKey()),
          });
        }
      }
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      // The protocol itself, from the manage page: the state holds whole sites, about FIRST_PAGE passkeys.
      const first = await manage.evaluate(() => chrome.runtime.sendMessage({ type: 'manage/state' })) as
        { ok: true; value: { passkeys: { rpId: string }[]; passkeysNext: string | null } };
      assert.ok(first.ok);
      const { passkeys, passkeysNext } = first.value;
      assert.ok(passkeys.length >= FIRST_PAGE && passkeys.length < FIRST_PAGE + PER_SITE, `${passkeys.length} in the first page`);
      assert.equal(passkeysNext, passkeys.at(-1)?.rpId);
      const next = await manage.evaluate((after) => chrome.runtime.sendMessage({ type: 'manage/list', after, limit: 10_000 }), passkeysNext) as
        { ok: true; value: { passkeys: { rpId: string }[]; next: string | null } };
      assert.equal(next.value.passkeys.length, SITES * PER_SITE - passkeys.length);
      assert.ok(next.value.passkeys.every((p) => p.rpId > passkeysNext!), 'only the sites after the first page');
      // The page: all of it, once streamed.
      await manage.getByRole('status').filter({ hasText: `${SITES * PER_SITE} passkeys on ${SITES} sites.` }).waitFor();
      assert.equal(await manage.locator('#passkeys[aria-busy="true"]').count(), 0);
      await manage.getByLabel('Search passkeys').fill('site149.example');
      await manage.waitForFunction(() => document.querySelectorAll('[data-credential-id]').length === 2);
      // Locked: the list is refused.
      await latchkey.lock();
      const refused = await manage.evaluate(() => chrome.runtime.sendMessage({ type: 'manage/list', after: 'site000.example', limit: 10 })) as { ok: boolean; error?: string };
      assert.deepEqual(refused, { ok: false, error: 'Latchkey is locked. Unlock it with your PIN first.' });
    } finally {
      await close();
    }
  });
});
