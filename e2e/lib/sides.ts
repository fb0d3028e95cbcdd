// One shape for "Latchkey in Chromium" and "Latchkey in Firefox", for suites that run the same page
// scripts in both (extensions, settles, interop's verifiers, the RP zoo). A page script is the source
// of an async function; it runs in the page with the given arguments, and its value (JSON) comes back.
import type { Page } from 'playwright-core';
import { launchLatchkey } from '../../testing/chromium';
import { launchLatchkeyFirefox } from '../../testing/firefox';
import type { LatchkeyHandle } from '../../testing/handle';
import { addVirtualSecurityKey, nextCeremonyWindow } from './chromium';
import { isScriptError } from './firefox';
import { until } from '../flows/firefoxDemoFlow';

export type BrowserName = 'chromium' | 'firefox';

export interface SideOptions {
  /**
   * Firefox: enable the soft token that addSecurityKey() needs (default true). With it on and no
   * key added, Firefox's own calls reject at once (NotAllowedError); with it off, they wait for a
   * USB key, as a person's browser does. Chromium's own calls wait either way.
   */
  securityKeys?: boolean;
}

export interface Side {
  name: BrowserName;
  latchkey: LatchkeyHandle;
  /** Opens `url` in the tab the scripts run in. */
  goto(url: string): Promise<void>;
  /** Runs `async (...args) => …` in the page; a rejection comes back as `{ error: name }`. */
  run<T = unknown>(src: string, args?: unknown[], timeoutMs?: number): Promise<T>;
  /**
   * A virtual security key the browser's own client answers with (for hand-overs). With
   * `presence: false` (Chromium) nobody touches it: the browser's call waits for a touch.
   */
  addSecurityKey(o?: { presence?: boolean }): Promise<{ credentialCount(): Promise<number> }>;
  /** Starts `src` (not awaited), waits for Latchkey's window, and gives a way to wait for its end. */
  withWindow(src: string, args: unknown[], timeoutMs: number): Promise<{ outcome: Promise<unknown>; closed(timeoutMs: number): Promise<void> }>;
  close(): Promise<void>;
}

/** Turns a rejection into { error: name } in the page, so both drivers give the same shape. */
const wrap = (src: string) => `async (...args) => { try { return await (${src})(...args); } catch (e) { return { error: e && e.name ? e.name : String(e), message: e && e.message } } }`;

export async function chromiumSide(_o: SideOptions = {}): Promise<Side> {
  const lk = await launchLatchkey();
  const page: Page = await lk.context.newPage();
  return {
    name: 'chromium',
    latchkey: lk.latchkey,
    goto: async (url) => { await page.goto(url); },
    run: (src, args = []) => page.evaluate(`(${wrap(src)})(...${JSON.stringify(args)})`),
    async addSecurityKey(o = {}) {
      const { cdp, authenticatorId } = await addVirtualSecurityKey(page);
      if (o.presence === false) await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
      return { credentialCount: async () => ((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).length };
    },
    async withWindow(src, args, timeoutMs) {
      const opens = nextCeremonyWindow(lk.context, timeoutMs);
      const outcome = page.evaluate(`(${wrap(src)})(...${JSON.stringify(args)})`);
      outcome.catch(() => {});
      const win = await opens;
      return { outcome, closed: (ms) => (win.isClosed() ? Promise.resolve() : win.waitForEvent('close', { timeout: ms }).then(() => {})) };
    },
    close: () => lk.close(),
  };
}

export async function firefoxSide(o: SideOptions = {}): Promise<Side> {
  const ff = await launchLatchkeyFirefox({ virtualAuthenticator: o.securityKeys ?? true });
  const { driver } = ff;
  const run = async (src: string, args: unknown[] = [], timeoutMs = 60_000) => {
    const r = await driver.executeAsync(wrap(src), args, { timeoutMs });
    return (isScriptError(r) ? { error: r.__error.name, message: r.__error.message } : r) as never;
  };
  return {
    name: 'firefox',
    latchkey: ff.latchkey,
    goto: (url) => driver.navigate(url),
    run,
    async addSecurityKey() {
      const id = await driver.addVirtualAuthenticator({ transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true });
      return { credentialCount: async () => (await driver.getCredentials(id)).length };
    },
    async withWindow(src, args, timeoutMs) {
      // Marionette runs one command at a time: the call is started by a synchronous script and its
      // outcome kept in the page, then read back by polling.
      const before = await driver.windowHandles();
      await driver.execute(`() => { window.__sideOutcome = undefined; (${wrap(src)})(...${JSON.stringify(args)}).then((v) => { window.__sideOutcome = v === undefined ? null : v; }); }`);
      const popup = await driver.waitForNewWindow(before, timeoutMs);
      const outcome = until('the page\'s promise to settle', () => driver.execute('() => window.__sideOutcome'), timeoutMs + 120_000);
      outcome.catch(() => {});
      return { outcome, closed: (ms) => driver.waitForWindowClosed(popup, ms) };
    },
    close: () => ff.close(),
  };
}

export const SIDES: ReadonlyArray<{ name: BrowserName; launch: (o?: SideOptions) => Promise<Side> }> = [
  { name: 'chromium', launch: chromiumSide },
  { name: 'firefox', launch: firefoxSide },
];
