// The ceremony window's choices (Chromium): the site's hints choose the focused button, and
// "Always use the browser on this site" hands over now and from then on, with no window.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { addVirtualSecurityKey, clickClosing, fillSessionStorage, nextCeremonyWindow } from './lib/chromium';
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
/** A browser with Latchkey (no PIN) on the demo's playground page; closed however the test ends. */
async function onPlayground(run: (t: Awaited<ReturnType<typeof launchLatchkey>> & { page: Page }) => Promise<void>) {
  const lk = await launchLatchkey();
  try {
    await lk.latchkey.skipPin();
    const page = await lk.context.newPage();
    await page.goto(`${rp.url}/playground`);
    await run({ ...lk, page });
  } finally {
    await lk.close();
  }
}

/** One passkey saved in Latchkey and one made on the browser's virtual security key (hand-over). */
async function oneHereOneOnAKey(page: Page, latchkey: Awaited<ReturnType<typeof launchLatchkey>>['latchkey']) {
  await addVirtualSecurityKey(page);
  await latchkey.answerNext({ kind: 'save' }, { kind: 'hand-over' });
  const inLatchkey = await create(page);
  const onKey = await create(page);
  return { inLatchkey, onKey };
}

const focused = (win: Page) => win.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

describe('the ceremony window', { timeout: 120_000 }, () => {
  test('hints choose the focused choice: client-device or none -> Latchkey, security-key or hybrid -> the browser', async () => {
    await onPlayground(async ({ context, page }) => {
      for (const [hints, expected] of [[[], 'Save passkey'], [['client-device'], 'Save passkey'], [['security-key'], 'Use another device or security key'], [['hybrid', 'client-device'], 'Use another device or security key']] as const) {
        const opens = nextCeremonyWindow(context);
        const outcome = create(page, [...hints]);
        const win = await opens;
        // The focus moves to the choice once the choices are armed (enabled): popup/arming.ts.
        await win.locator('button:enabled', { hasText: 'Save passkey' }).waitFor();
        assert.equal(await focused(win), expected, `hints ${JSON.stringify(hints)}`);
        await clickClosing(win.getByRole('button', { name: 'Cancel' }));
        assert.equal(await outcome, 'NotAllowedError');
      }
    });
  });

  test('"Always use the browser on this site" hands over now and later without a window', async () => {
    await onPlayground(async ({ context, latchkey, page }) => {
      const { inLatchkey, onKey } = await oneHereOneOnAKey(page, latchkey);
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
    });
  });

  test('allowCredentials: an ID Latchkey holds is offered whatever its transports say; a list of only others goes to the browser without a window', async () => {
    await onPlayground(async ({ context, latchkey, page }) => {
      const { inLatchkey, onKey } = await oneHereOneOnAKey(page, latchkey);
      assert.notEqual(inLatchkey, onKey);
      const getAllowing = (allow: { id: string; transports: string[] }[]) => page.evaluate((allow) => {
        // No named functions in here: tsx would wrap them in a helper the page does not have.
        const allowCredentials = allow.map((a) => ({
          type: 'public-key' as const,
          id: Uint8Array.from(atob(a.id.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)),
          transports: a.transports as AuthenticatorTransport[],
        }));
        return navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), allowCredentials } }).then((c) => c?.id ?? null, (e: Error) => e.name);
      }, allow);
      // Both entries say "usb" (as the W3C tests and many relying parties write them): Latchkey's
      // own passkey is still Latchkey's (§5.8.3, transports are hints), and the window says the
      // site also accepts a security key or phone (the other entry).
      let opens = nextCeremonyWindow(context);
      let outcome = getAllowing([{ id: String(inLatchkey), transports: ['usb', 'nfc', 'ble'] }, { id: String(onKey), transports: ['usb', 'nfc'] }]);
      let win = await opens;
      await win.getByRole('button', { name: /w@latchkey\.test/ }).waitFor();
      assert.match(await win.locator('[data-also-elsewhere]').innerText(), /also accepts a passkey on a security key or phone/);
      await clickClosing(win.getByRole('button', { name: /w@latchkey\.test/ }));
      assert.equal(await outcome, inLatchkey);
      // Only Latchkey's own passkey listed, hinted "hybrid": the window, without the line.
      opens = nextCeremonyWindow(context);
      outcome = getAllowing([{ id: String(inLatchkey), transports: ['hybrid'] }]);
      win = await opens;
      await win.getByRole('button', { name: /w@latchkey\.test/ }).waitFor();
      assert.equal(await win.locator('[data-also-elsewhere]').count(), 0);
      await clickClosing(win.getByRole('button', { name: /w@latchkey\.test/ }));
      assert.equal(await outcome, inLatchkey);
      // Only the security key's passkey listed: nothing of Latchkey's, so the browser answers, with
      // no window. (Chromium's own client does filter its authenticators by the hint: an "internal"
      // hint would keep it from asking the USB key, so the hint here is the key's own.)
      let windows = 0;
      context.on('page', (p) => { if (p.url().includes('/popup/')) windows++; });
      assert.equal(await getAllowing([{ id: String(onKey), transports: ['usb'] }]), onKey);
      assert.equal(windows, 0, 'no Latchkey window');
    });
  });

  test('after "Save passkey" the page has its passkey at once; the window offers to name it (keyboard only), for that passkey only', async () => {
    await onPlayground(async ({ context, latchkey, page }) => {
      const label = async (id: unknown) => (await latchkey.listPasskeys('localhost')).find((p) => p.credentialId === id)?.label;
      // 1. Named with the keyboard alone: the suggestion is selected, typing replaces it, Enter saves.
      let opens = nextCeremonyWindow(context);
      let outcome = create(page);
      let win = await opens;
      await win.getByRole('button', { name: 'Save passkey' }).click();
      const first = await outcome; // resolved while the window still shows the naming step
      assert.match(String(first), /^[A-Za-z0-9_-]{16,}$/, `the page got a credential, not ${first}`);
      const box = win.getByRole('textbox', { name: 'Passkey name' });
      await box.waitFor();
      assert.equal(win.isClosed(), false);
      assert.equal(await box.inputValue(), 'w@latchkey.test', 'the suggestion is the user name');
      assert.equal(await win.evaluate(() => document.activeElement?.getAttribute('aria-describedby')), 'saved-what saved-hint', 'focus is on the name box');
      assert.match(await box.evaluate((el: HTMLInputElement) => [...(el.labels ?? [])].map((l) => l.textContent).join('')), /Passkey name/);
      // Meanwhile another ceremony's window (open at the same time) may not name this passkey.
      const firstCeremony = new URL(win.url()).hash.slice(1);
      const nameFrom = (w: Page, id: string, label: string) => w.evaluate(([id, label]) => (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<unknown> } } }).chrome.runtime.sendMessage({ type: 'ceremony/name', id, label }), [id, label] as const) as Promise<{ next: string; error?: string; message?: string }>;
      opens = nextCeremonyWindow(context);
      outcome = create(page);
      const other = await opens;
      await other.getByRole('button', { name: 'Save passkey' }).waitFor();
      const refused = await nameFrom(other, firstCeremony, 'Stolen');
      assert.equal(refused.error, 'Only the window that saved the passkey can name it.');
      await clickClosing(other.getByRole('button', { name: 'Cancel' }));
      assert.equal(await outcome, 'NotAllowedError');
      assert.equal(await label(first), null);
      // Back in the first window, with the keyboard alone.
      await win.bringToFront();
      await win.keyboard.press('Tab');
      assert.equal(await focused(win), 'Save name');
      await win.keyboard.press('Tab');
      assert.equal(await focused(win), 'Done');
      await win.keyboard.press('Shift+Tab');
      await win.keyboard.press('Shift+Tab');
      await win.keyboard.press('Control+A');
      await win.keyboard.type('Work laptop');
      let closed = win.waitForEvent('close');
      await win.keyboard.press('Enter').catch(() => { /* the window closed during the key press */ });
      await closed;
      assert.equal(await label(first), 'Work laptop');
      // 2. "Done" keeps the suggestion (no name of its own: the manage page shows the user name).
      opens = nextCeremonyWindow(context);
      outcome = create(page);
      win = await opens;
      await win.getByRole('button', { name: 'Save passkey' }).click();
      const second = await outcome;
      await win.getByRole('button', { name: 'Save name' }).waitFor();
      assert.equal((await nameFrom(win, firstCeremony, 'Stolen')).message, 'There is no new passkey to name here.', 'the first grant is used up');
      closed = win.waitForEvent('close');
      await clickClosing(win.getByRole('button', { name: 'Done' }));
      await closed;
      assert.equal(await label(second), null);
      assert.equal(await label(first), 'Work laptop');
      // 3. Closing the window at the naming step keeps the suggestion, and the page still has its passkey.
      opens = nextCeremonyWindow(context);
      outcome = create(page);
      win = await opens;
      await win.getByRole('button', { name: 'Save passkey' }).click();
      await win.getByRole('button', { name: 'Save name' }).waitFor();
      await win.close();
      const third = await outcome;
      assert.equal(await label(third), null);
      assert.equal((await latchkey.lastCeremony())?.outcome, 'created');
    });
  });

  test('storing fails (the browser\'s storage for Latchkey is full): the window says so, "Try again" saves, the page gets its passkey', async () => {
    await onPlayground(async ({ context, latchkey, extensionId, page }) => {
      const opens = nextCeremonyWindow(context);
      const outcome = create(page); outcome.catch(() => {});
      const win = await opens;
      await win.getByRole('button', { name: 'Save passkey' }).waitFor();
      // A real failure, no hook in Latchkey: an extension page of Latchkey (the automation page) fills its
      // storage.session to Chrome's quota (10 MiB), so the Save's first write is refused.
      const ext = await context.newPage();
      await ext.goto(`chrome-extension://${extensionId}/automation/automation.html`);
      const fill = (full: boolean) => fillSessionStorage(ext, full);
      await fill(true);
      await win.getByRole('button', { name: 'Save passkey' }).click();
      const alert = win.getByRole('alert');
      await alert.waitFor();
      assert.match(await alert.textContent() ?? '', /storage .*is full.*nothing was saved/i);
      assert.equal(await focused(win), 'Try again');
      assert.deepEqual(await latchkey.listPasskeys('localhost'), [], 'nothing half-saved');
      await fill(false);
      await win.getByRole('button', { name: 'Try again' }).click();
      await win.getByRole('button', { name: 'Save passkey' }).click();
      const id = await outcome;
      assert.deepEqual((await latchkey.listPasskeys('localhost')).map((p) => p.credentialId), [id]);
      await win.getByRole('button', { name: 'Save name' }).waitFor();
    });
  });

  test('an abort rejects with the signal\'s reason as given and closes the window; so does leaving the page', async () => {
    await onPlayground(async ({ context, latchkey, page }) => {
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
    });
  });
});
