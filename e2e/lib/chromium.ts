// Chromium for the end-to-end suites. The launcher lives in the test fixture (testing/
// launchChromium.ts, which other people's suites install); this module re-exports it and adds the
// helpers only Latchkey's own suites use. See shared/docs/BROWSERS.md.
import type { BrowserContext, CDPSession, Locator, Page } from 'playwright-core';
import { resolve } from 'node:path';

export { launchChromium, type LatchkeyChromium } from '../../testing/launchChromium';
/** CHROME_DIST is the test build (dist/chrome-testing, with automation), which the suites load. */
export { CHROMIUM_PATH, CHROME_DIST } from '../../testing/paths';
/** The release build (dist/chrome): what people install, with no test automation. */
export const CHROME_RELEASE_DIST = resolve(import.meta.dirname, '../../dist/chrome');

/** Waits for the next ceremony window (a popup page of the extension) and its first paint. */
export async function nextCeremonyWindow(context: BrowserContext, timeout = 10_000): Promise<Page> {
  const page = await context.waitForEvent('page', { predicate: (p) => p.url().includes('/popup/ceremony.html'), timeout });
  await page.waitForLoadState('domcontentloaded');
  return page;
}

/** The DevTools virtual authenticator: the stand-in for a USB security key (BROWSERS.md). */
export async function addVirtualSecurityKey(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

/** Clicks a button that closes its own window: the click can race the window's end, which is fine. */
export async function clickClosing(locator: Locator): Promise<void> {
  await locator.click({ noWaitAfter: true }).catch((e: unknown) => {
    if (!/closed/i.test(String((e as Error)?.message))) throw e;
  });
}

/**
 * Waits for `locator` in the ceremony window; if the window closes first, says 'closed' instead of
 * rejecting. For Promise.race between the screens a window may show next: a closing window makes
 * every pending waitFor reject with "closed", sometimes before its close event is delivered, and
 * a rejection would end the race.
 */
export function shownOrClosed<T extends string>(win: Page, locator: Locator, name: T): Promise<T | 'closed'> {
  const closed = win.waitForEvent('close').then(() => 'closed' as const, () => 'closed' as const);
  const shown = locator.waitFor().then(() => name, (e: unknown) => {
    if (win.isClosed() || /closed/i.test(String((e as Error)?.message))) return 'closed' as const;
    throw e;
  });
  return Promise.race([shown, closed]);
}

/** Stops Latchkey's service worker, as Chrome does to an idle worker (CDP ServiceWorker.stopAllWorkers). */
export async function stopServiceWorker(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await cdp.detach();
}

/**
 * Makes the demo relying party ask for ES256 only (it lists EdDSA first, and a security key would
 * take that): for tests about P-256 keys, such as importing a key into Latchkey.
 */
export async function askForES256Only(page: Page): Promise<void> {
  await page.route('**/api/register/options', async (route) => {
    const res = await route.fetch();
    const options = await res.json() as { pubKeyCredParams: { alg: number }[] };
    options.pubKeyCredParams = options.pubKeyCredParams.filter((p) => p.alg === -7);
    await route.fulfill({ response: res, json: options });
  });
}

/**
 * Fills Latchkey's storage.session to Chrome's quota (10 MiB) from one of its own extension pages
 * (`full`), or frees it again: a real storage failure for the next write, with no hook in Latchkey.
 */
export function fillSessionStorage(extensionPage: Page, full: boolean): Promise<void> {
  return extensionPage.evaluate(async (full) => {
    const session = (globalThis as unknown as { chrome: { storage: { session: { QUOTA_BYTES: number; getBytesInUse(k: null): Promise<number>; set(o: object): Promise<void>; remove(k: string): Promise<void> } } } }).chrome.storage.session;
    if (!full) return session.remove('test.filler');
    const used = await session.getBytesInUse(null);
    return session.set({ 'test.filler': 'x'.repeat(session.QUOTA_BYTES - used - 'test.filler'.length - 2) });
  }, full);
}
