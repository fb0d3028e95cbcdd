// Launches Chromium (the system build, found at CHROMIUM_PATH or /usr/bin/chromium) with an
// extension loaded, through Playwright's persistent context (extensions load only there). Used by
// the fixture (./chromium.ts), Latchkey's own e2e suites (through e2e/lib/chromium.ts) and `npm start`.
import { chromium, type BrowserContext, type Worker } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROME_DIST, CHROMIUM_PATH } from './paths.js';

export interface LaunchChromiumOptions {
  /** Reuse a profile (passkeys and PIN survive a restart); a temporary one, deleted at close(), otherwise. */
  userDataDir?: string;
  /** Default true (Chromium's new headless mode, where extensions load). */
  headless?: boolean;
  /** The unpacked extension; default Latchkey's test build (./paths.ts). */
  extensionDir?: string;
  /** Extra Chromium arguments. */
  args?: string[];
  /**
   * Extra environment variables for Chromium. On Linux its UI language (the one extensions'
   * _locales follow) comes from LANGUAGE / LANG, not from --lang: `{ LANGUAGE: 'de' }` gives German.
   */
  env?: Record<string, string>;
}

export interface LatchkeyChromium {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  userDataDir: string;
  /** Closes the browser; the profile stays when the caller gave it (to restart with it). */
  close(): Promise<void>;
}

export async function launchChromium(o: LaunchChromiumOptions = {}): Promise<LatchkeyChromium> {
  const dir = o.extensionDir ?? CHROME_DIST;
  if (!existsSync(join(dir, 'manifest.json'))) {
    throw new Error(`no extension at ${dir} (no manifest.json)${dir === CHROME_DIST ? ': in the Latchkey repository, run `npm run build` first' : ''}`);
  }
  const ownProfile = !o.userDataDir;
  const userDataDir = o.userDataDir ?? mkdtempSync(join(tmpdir(), 'latchkey-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: o.headless ?? true,
    ...(o.env ? { env: { ...process.env, ...o.env } as Record<string, string> } : {}),
    args: [
      `--disable-extensions-except=${dir}`,
      `--load-extension=${dir}`,
      // Test machines often have no network but a package registry: keep Chromium from trying.
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      ...(o.args ?? []),
    ],
  });
  // Listen before looking, so a worker that starts in between is not missed.
  const starting = context.waitForEvent('serviceworker', { timeout: 30_000 });
  const serviceWorker = context.serviceWorkers()[0] ?? await starting;
  starting.catch(() => {});
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context, extensionId, serviceWorker, userDataDir,
    async close() {
      await context.close().catch(() => {});
      if (ownProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
