// Latchkey in Chromium for test suites, without @playwright/test: launch a persistent context with
// Latchkey loaded and get the `latchkey` handle. testing/playwright.ts builds its fixture on this.
//
//   const { context, latchkey, close } = await launchLatchkey();
//   await latchkey.skipPin();
//   await latchkey.approveAll();
//   ... drive your sign-up page with context.newPage() ...
//   await close();
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium, type LatchkeyChromium, type LaunchChromiumOptions } from './launchChromium.js';
import { createLatchkeyHandle, type LatchkeyHandle } from './handle.js';

export type { LatchkeyHandle } from './handle.js';
export type * from './types.js';

/** userDataDir, headless, extensionDir (default: the test build of Latchkey the package carries), args. */
export type LaunchLatchkeyOptions = LaunchChromiumOptions;

export interface LatchkeyInChromium {
  context: BrowserContext;
  latchkey: LatchkeyHandle;
  extensionId: string;
  close(): Promise<void>;
}

/**
 * Automation calls go through Latchkey's automation page, opened in its own tab: the extension page
 * wakes the service worker whenever needed, so calls work even after the worker was stopped.
 */
function pageTransport(context: BrowserContext, extensionId: string) {
  let page: Promise<Page> | null = null;
  const open = async () => {
    const p = await context.newPage();
    await p.goto(`chrome-extension://${extensionId}/automation/automation.html`);
    return p;
  };
  return async (name: string, args?: unknown): Promise<unknown> => {
    page ??= open();
    let p = await page;
    if (p.isClosed()) { page = open(); p = await page; }
    return p.evaluate(([n, a]) => (window as unknown as { latchkeyAutomation: { call(n: string, a: unknown): Promise<unknown> } }).latchkeyAutomation.call(n, a), [name, args ?? {}] as const);
  };
}

export async function launchLatchkey(o: LaunchLatchkeyOptions = {}): Promise<LatchkeyInChromium> {
  const browser: LatchkeyChromium = await launchChromium(o);
  return {
    context: browser.context,
    extensionId: browser.extensionId,
    latchkey: createLatchkeyHandle(pageTransport(browser.context, browser.extensionId)),
    close: () => browser.close(),
  };
}
