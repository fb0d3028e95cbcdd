// Unintended consent (issue 15), Chromium: the ceremony window's choices cannot be approved by a
// key the person was holding down for the page, by a press that began before the window was armed
// (the second click of a double click meant for the page), or by an untrusted event; and a tab gets
// one ceremony window at a time, so a page cannot open a storm of them.
// Keys and the mouse are sent as the browser's own input (CDP Input.dispatch*Event: trusted events,
// with autoRepeat for a held key), to the window, as the operating system would deliver them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { clickClosing, nextCeremonyWindow } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-consent-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

type Lk = Awaited<ReturnType<typeof launchLatchkey>>;
async function onPlayground(run: (t: Lk & { page: Page }) => Promise<void>) {
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

/** Starts create() (userVerification discouraged: nothing but the click stands between the page and a passkey). */
function startCreate(page: Page, name = 'c@latchkey.test'): Promise<void> {
  return page.evaluate((name) => {
    const w = window as unknown as { outcomes: string[] };
    w.outcomes ??= [];
    const publicKey = {
      rp: { name: 'Consent' }, user: { id: crypto.getRandomValues(new Uint8Array(8)), name, displayName: name },
      challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key' as const, alg: -7 }],
      authenticatorSelection: { residentKey: 'required' as const, userVerification: 'discouraged' as const },
    };
    void navigator.credentials.create({ publicKey }).then((c) => { w.outcomes.push(`created ${c?.id}`); }, (e: Error) => { w.outcomes.push(e.name); });
  }, name);
}
const outcomes = (page: Page) => page.evaluate(() => (window as unknown as { outcomes?: string[] }).outcomes ?? []);
async function waitForOutcomes(page: Page, n: number): Promise<string[]> {
  await page.waitForFunction((n) => ((window as unknown as { outcomes?: string[] }).outcomes ?? []).length >= n, n, { timeout: 10_000 });
  return outcomes(page);
}

/** The window once its choices are armed (enabled), with the focus on "Save passkey". */
async function armedWindow(context: BrowserContext, page: Page): Promise<Page> {
  const opens = nextCeremonyWindow(context);
  await startCreate(page);
  const win = await opens;
  await win.locator('button:enabled', { hasText: 'Save passkey' }).waitFor();
  assert.equal(await win.evaluate(() => document.activeElement?.textContent?.trim()), 'Save passkey', 'the choice the person would approve is focused');
  return win;
}

const ENTER = { key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, nativeVirtualKeyCode: 13 };
const SPACE = { key: ' ', code: 'Space', windowsVirtualKeyCode: 32, nativeVirtualKeyCode: 32 };

/**
 * Shows that nothing was approved: no passkey, the page still waiting, the window still open. Then
 * the person's own click (a fresh, trusted press after arming) still saves: the window works.
 */
async function nothingApproved(latchkey: Lk['latchkey'], page: Page, win: Page): Promise<void> {
  // A round trip through the window and the background after the last input: had anything been
  // approved, the background would have saved the passkey before answering this.
  await win.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  assert.deepEqual(await latchkey.listPasskeys('localhost'), [], 'no passkey was saved');
  assert.deepEqual(await outcomes(page), [], 'the page is still waiting');
  assert.equal(win.isClosed(), false);
  await win.getByRole('button', { name: 'Save passkey' }).click();
  const [outcome] = await waitForOutcomes(page, 1);
  assert.match(String(outcome), /^created /, 'a real click after arming saves');
}

describe('unintended consent: the ceremony window', { timeout: 120_000 }, () => {
  test('a key held down (Enter, then Space) does not approve the focused "Save passkey"', async () => {
    await onPlayground(async ({ context, latchkey, page }) => {
      const win = await armedWindow(context, page);
      const cdp: CDPSession = await context.newCDPSession(win);
      // The repeats of keys pressed before the window appeared: each Enter repeat would click the
      // focused button; Space's repeats and then its release would too.
      for (let i = 0; i < 5; i++) {
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...ENTER, text: '\r', unmodifiedText: '\r', autoRepeat: true });
      }
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...ENTER });
      for (let i = 0; i < 5; i++) {
        await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...SPACE, text: ' ', unmodifiedText: ' ', autoRepeat: true });
      }
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...SPACE });
      await nothingApproved(latchkey, page, win);
    });
  });

  test('a mouse press that began before the window was armed (a double click meant for the page) does not approve', async () => {
    await onPlayground(async ({ context, latchkey, page }) => {
      // The press must reach the window while it still waits; on a slow machine the first window
      // may already be armed when the press arrives, so try again with a new one (up to 5 times).
      let pressedEarly = false;
      let win: Page | null = null;
      let cdp: CDPSession | null = null;
      let center = { x: 0, y: 0 };
      for (let attempt = 0; attempt < 5 && !pressedEarly; attempt++) {
        if (win) { await clickClosing(win.getByRole('button', { name: 'Cancel' })); await waitForOutcomes(page, attempt); }
        const opens = nextCeremonyWindow(context);
        await startCreate(page);
        win = await opens;
        const save = win.getByRole('button', { name: 'Save passkey' });
        await save.waitFor();
        const box = (await save.boundingBox())!;
        center = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        cdp = await context.newCDPSession(win);
        await cdp.send('Input.dispatchMouseEvent', { type: 'mouseMoved', ...center });
        await cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...center, button: 'left', buttons: 1, clickCount: 1 });
        // Input.dispatchMouseEvent returns once the window handled the press: if the button is
        // still disabled now, the press certainly came before arming.
        pressedEarly = await save.isDisabled();
      }
      assert.ok(pressedEarly, 'the window took input at once: a press right after it opened reached an enabled "Save passkey"');
      const cancelled = (await outcomes(page)).length;
      await win!.locator('button:enabled', { hasText: 'Save passkey' }).waitFor();
      // The release comes after arming, on the button: a click, if the press had counted.
      await cdp!.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...center, button: 'left', buttons: 0, clickCount: 1 });
      await win!.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
      assert.deepEqual(await latchkey.listPasskeys('localhost'), [], 'no passkey was saved');
      assert.equal((await outcomes(page)).length, cancelled, 'the page is still waiting');
      await win!.getByRole('button', { name: 'Save passkey' }).click();
      const all = await waitForOutcomes(page, cancelled + 1);
      assert.match(String(all[cancelled]), /^created /);
    });
  });

  test('untrusted events (a script\'s click(), a synthetic Enter) do not approve', async () => {
    await onPlayground(async ({ context, latchkey, page }) => {
      const win = await armedWindow(context, page);
      await win.evaluate(() => {
        const save = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Save passkey')!;
        save.click();
        save.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
        save.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
      });
      // And the page's own synthetic events stay in the page: they never reach the window.
      await page.evaluate(() => {
        for (const type of ['keydown', 'keypress', 'keyup']) document.body.dispatchEvent(new KeyboardEvent(type, { key: 'Enter', bubbles: true }));
        document.body.click();
      });
      await nothingApproved(latchkey, page, win);
    });
  });

  test('one ceremony window per tab: a second create() while the first asks gets NotAllowedError and no window', async () => {
    await onPlayground(async ({ context, latchkey, page }) => {
      let windows = 0;
      context.on('page', (p) => { if (p.url().includes('/popup/')) windows++; });
      const opens = nextCeremonyWindow(context);
      await startCreate(page, 'first@latchkey.test');
      const win = await opens;
      await win.getByRole('button', { name: 'Save passkey' }).waitFor();
      // A storm: five more calls while the first window is open.
      for (let i = 0; i < 5; i++) await startCreate(page, `storm${i}@latchkey.test`);
      assert.deepEqual(await waitForOutcomes(page, 5), Array(5).fill('NotAllowedError'));
      assert.equal(windows, 1, 'only the first call opened a window');
      await win.getByRole('button', { name: 'Save passkey' }).click();
      const all = await waitForOutcomes(page, 6);
      assert.match(String(all[5]), /^created /, 'the first call goes on and is answered');
      assert.deepEqual((await latchkey.listPasskeys('localhost')).map((p) => p.userName), ['first@latchkey.test']);
      // Once it is answered, the tab may ask again.
      const again = nextCeremonyWindow(context);
      await startCreate(page, 'later@latchkey.test');
      const second = await again;
      await clickClosing(second.getByRole('button', { name: 'Cancel' }));
      assert.equal((await waitForOutcomes(page, 7))[6], 'NotAllowedError');
      assert.equal(windows, 2);
    });
  });
});
