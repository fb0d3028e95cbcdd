// Existence leak (issue 15), Chromium: nothing a page can observe before the person acts depends on
// whether Latchkey holds a passkey for the site. The page here is as early as a page can be: its
// first inline script listens to every `message` event (capture, bubble, onmessage) and watches the
// DOM, before it asks. The same requests are made with a vault that holds a passkey for the site and
// with one that holds none; the page must see the same thing both times: its own request message,
// no answer message, and no element added to its document.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { addVirtualSecurityKey, clickClosing, nextCeremonyWindow } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-existence-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

/** The hostile page: it records every message event and every element added once it starts asking. */
const WATCHING_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Watching</title><script>
  window.seen = []; window.added = []; window.recording = false;
  const note = (how) => (e) => { if (!recording) return; let d; try { d = JSON.stringify(e.data, (k, v) => (k === 'id' ? '#' : v)); } catch { d = '?'; } seen.push(how + ' ' + d); };
  addEventListener('message', note('capture'), true);
  addEventListener('message', note('bubble'));
  onmessage = note('onmessage');
  new MutationObserver((ms) => { if (!recording) return; for (const m of ms) for (const n of m.addedNodes) added.push(n.nodeName); })
    .observe(document.documentElement, { childList: true, subtree: true });
</script></head><body><h1>Sign in</h1><input id="user" autocomplete="username webauthn"></body></html>`;

/** What the page saw, apart from its own request messages (which it sent itself). */
const observed = (page: Page) => page.evaluate(() => {
  const w = window as unknown as { seen: string[]; added: string[] };
  return { messages: w.seen.filter((s) => !s.includes('"dir":"to-bridge"')), ownRequests: w.seen.filter((s) => s.includes('"dir":"to-bridge"')).length, added: w.added };
});

function p256Pkcs8(): string {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url');
}

describe('existence leak: what the page sees does not depend on the vault', { timeout: 180_000 }, () => {
  test('modal get(): no answer message reaches the page\'s listeners, with or without a passkey here', async () => {
    const lk = await launchLatchkey();
    try {
      await lk.latchkey.skipPin();
      const page = await lk.context.newPage();
      await page.route(`${rp.url}/watching`, (route) => route.fulfill({ contentType: 'text/html', body: WATCHING_PAGE }));
      await page.goto(`${rp.url}/watching`);
      // A passkey on the browser's own (virtual) security key, so that a hand-over is answered.
      await addVirtualSecurityKey(page);
      await lk.latchkey.answerNext({ kind: 'hand-over' });
      const onKey = await page.evaluate(() => navigator.credentials.create({ publicKey: {
        rp: { name: 'W' }, user: { id: new Uint8Array([1, 2, 3]), name: 'key@latchkey.test', displayName: 'K' },
        challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required' },
      } }).then((c) => c?.id));
      assert.equal((await lk.latchkey.listPasskeys('localhost')).length, 0);
      const get = () => page.evaluate(() => {
        (window as unknown as { recording: boolean }).recording = true;
        return navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32).fill(7), rpId: 'localhost' } }).then((c) => c?.id ?? null, (e: Error) => e.name);
      });
      const reset = () => page.evaluate(() => { const w = window as unknown as { seen: string[]; added: string[]; recording: boolean }; w.seen = []; w.added = []; w.recording = false; });

      // 1. Latchkey holds nothing for localhost: it hands over, the browser's key answers.
      assert.equal(await get(), onKey);
      const without = await observed(page);
      await reset();

      // 2. Latchkey holds a passkey for localhost: its window asks the person.
      await lk.latchkey.addPasskey({ rpId: 'localhost', credentialId: randomBytes(16).toString('base64url'), userHandle: randomBytes(8).toString('base64url'), userName: 'held@latchkey.test', privateKey: p256Pkcs8() });
      const opens = nextCeremonyWindow(lk.context);
      const asked = get();
      const win = await opens;
      await win.getByRole('button', { name: /held@latchkey\.test/ }).waitFor();
      const withPasskey = await observed(page);
      await clickClosing(win.getByRole('button', { name: 'Cancel' }));
      assert.equal(await asked, 'NotAllowedError');
      const afterCancel = await observed(page);

      assert.deepEqual(without, { messages: [], ownRequests: 3, added: [] }, 'with no passkey: the page saw only its own request');
      assert.deepEqual(withPasskey, without, 'the same with a passkey, before the person acts');
      assert.deepEqual(afterCancel.messages, [], 'even the answer to the page\'s call travels unseen');
    } finally {
      await lk.close();
    }
  });

  test('conditional get(): no answer message and no offer before the person\'s own input on the field, with or without a passkey', async () => {
    const lk = await launchLatchkey();
    try {
      await lk.latchkey.skipPin();
      const page = await lk.context.newPage();
      await page.route(`${rp.url}/watching`, (route) => route.fulfill({ contentType: 'text/html', body: WATCHING_PAGE }));
      const key = await addVirtualSecurityKey(page);
      // An extension page of Latchkey, to look at its state as the background sees it.
      const ext = await lk.context.newPage();
      await ext.goto(`chrome-extension://${lk.extensionId}/automation/automation.html`);
      /** The page focuses its field itself (no person), then asks for autofill. */
      const askConditional = () => page.evaluate(() => {
        document.getElementById('user')!.focus();
        (window as unknown as { recording: boolean }).recording = true;
        void navigator.credentials.get({ mediation: 'conditional', publicKey: { challenge: new Uint8Array(32).fill(9), rpId: 'localhost' } });
      });
      /** Latchkey's offer script is in the page's frame (the background injects it only where it has passkeys). */
      const offerStarted = () => ext.evaluate(async (url) => {
        const c = (globalThis as unknown as { chrome: {
          storage: { session: { get(k: null): Promise<Record<string, unknown>> } };
          tabs: { query(q: object): Promise<{ id?: number; url?: string }[]> };
          scripting: { executeScript(o: { target: { tabId: number }; func: () => boolean }): Promise<{ result?: unknown }[]> };
        } }).chrome;
        const all = await c.storage.session.get(null);
        if (!Object.keys(all).some((k) => k.startsWith('latchkey.offer.'))) return false;
        const tab = (await c.tabs.query({})).find((t) => t.url === url);
        const [r] = await c.scripting.executeScript({ target: { tabId: tab!.id! }, func: [() => !!(globalThis as { latchkeyAutofill?: unknown }).latchkeyAutofill][0]! }); // unnamed: tsx names (and wraps) a function assigned to a property
        return r?.result === true;
      }, `${rp.url}/watching`);

      // 1. No passkey for localhost.
      await page.goto(`${rp.url}/watching`);
      await askConditional();
      // A modal get() after it on the same port, answered by the browser's key once Latchkey hands
      // it over: by then the background has answered the conditional request (no offer) too.
      await lk.latchkey.answerNext({ kind: 'hand-over' });
      await page.evaluate(() => navigator.credentials.create({ publicKey: {
        rp: { name: 'W' }, user: { id: new Uint8Array([4]), name: 'key@latchkey.test', displayName: 'K' },
        challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required' },
      } }).then(() => 'created', (e: Error) => e.name));
      const without = await observed(page);
      assert.equal(await offerStarted(), false, 'nothing to offer');

      // 2. A passkey for localhost. (The browser's key goes: its passkey would answer the browser's
      // own conditional get(), which runs beside Latchkey's, and end the request.)
      await key.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: key.authenticatorId });
      await lk.latchkey.addPasskey({ rpId: 'localhost', credentialId: randomBytes(16).toString('base64url'), userHandle: randomBytes(8).toString('base64url'), userName: 'held@latchkey.test', privateKey: p256Pkcs8() });
      await page.goto(`${rp.url}/watching`);
      await askConditional();
      for (let i = 0; i < 100 && !(await offerStarted()); i++) await page.waitForTimeout(100);
      assert.equal(await offerStarted(), true, 'the offer is ready in the frame');
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      const withPasskey = await observed(page);

      assert.deepEqual(without.messages, [], 'with no passkey: no answer message');
      assert.deepEqual(without.added, [], 'with no passkey: nothing added to the page');
      assert.deepEqual({ ...withPasskey, ownRequests: 0 }, { messages: [], ownRequests: 0, added: [] }, 'with a passkey: the same, before the person acts');

      // The page focuses the field again, now that the offer script listens (focus events after a
      // script's focus() are trusted too): still nothing.
      await page.evaluate(() => { const f = document.getElementById('user')!; f.blur(); document.body.focus(); f.focus(); });
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      assert.deepEqual((await observed(page)).added, [], 'the page\'s own focus() shows no offer');

      // The person clicks the field (trusted input): now the offer appears.
      await page.locator('#user').click();
      await page.waitForFunction(() => (window as unknown as { added: string[] }).added.length > 0);
      assert.ok(page.frames().some((f) => f.url().includes('/autofill/autofill.html')), 'the offer\'s frame is there after the click');
    } finally {
      await lk.close();
    }
  });
});
