// `@latchkey/testing/playwright`: a Playwright Test fixture with Latchkey as the passkey manager.
//
//   import { test, expect } from '@latchkey/testing/playwright';
//   test('sign up with a passkey', async ({ page, latchkey }) => {
//     await latchkey.skipPin();
//     await latchkey.approveAll();
//     await page.goto('https://localhost:3000/signup');
//     ...
//     expect((await latchkey.lastCeremony())?.outcome).toBe('created');
//   });
//
// `context` is a persistent Chromium context (the system Chromium at CHROMIUM_PATH, or
// /usr/bin/chromium) with Latchkey's test build loaded (the one the package carries; ./paths.ts);
// `page` is a fresh page in it; each test gets its own profile. Use `test.use({ latchkeyOptions: { ... } })` to change the launch.
import {
  test as base, expect,
  type PlaywrightTestArgs, type PlaywrightTestOptions, type PlaywrightWorkerArgs, type PlaywrightWorkerOptions, type TestType,
} from '@playwright/test';
import type { BrowserContext } from 'playwright-core';
import { launchLatchkey, type LaunchLatchkeyOptions } from './chromium.js';
import type { LatchkeyHandle } from './handle.js';

export type { LatchkeyHandle } from './handle.js';
export type * from './types.js';
export { launchLatchkey } from './chromium.js';

interface Fixtures {
  latchkeyOptions: LaunchLatchkeyOptions;
  latchkeyBrowser: { context: BrowserContext; latchkey: LatchkeyHandle; extensionId: string };
  latchkey: LatchkeyHandle;
}

export const test: TestType<PlaywrightTestArgs & PlaywrightTestOptions & Fixtures, PlaywrightWorkerArgs & PlaywrightWorkerOptions> = base.extend<Fixtures>({
  latchkeyOptions: [{}, { option: true }],
  latchkeyBrowser: async ({ latchkeyOptions }, use) => {
    const launched = await launchLatchkey(latchkeyOptions);
    try {
      await use(launched);
    } finally {
      await launched.close();
    }
  },
  // Replace Playwright's own context and page with Latchkey's (types are the same playwright-core ones).
  context: async ({ latchkeyBrowser }, use) => { await use(latchkeyBrowser.context as never); },
  page: async ({ latchkeyBrowser }, use) => { await use((await latchkeyBrowser.context.newPage()) as never); },
  latchkey: async ({ latchkeyBrowser }, use) => { await use(latchkeyBrowser.latchkey); },
});

export { expect };
