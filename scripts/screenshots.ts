// `npm run screenshots`: saves PNGs of the ceremony window's screens, light and dark, to
// docs/screenshots/ (shown in the README). Run after `npm run build`.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { startDemoRp } from '../e2e/demo-rp/server';
import { clickClosing, launchChromium, nextCeremonyWindow } from '../e2e/lib/chromium';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const out = resolve(import.meta.dirname, '../docs/screenshots');
mkdirSync(out, { recursive: true });
const tmp = mkdtempSync(join(tmpdir(), 'latchkey-shots-'));
const rp = await startDemoRp({ port: 0, dataFile: join(tmp, 'rp.json') });
const browser = await launchChromium({ userDataDir: join(tmp, 'profile') });

async function shoot(win: Page, name: string): Promise<void> {
  await win.setViewportSize({ width: 440, height: 600 });
  for (const scheme of ['light', 'dark'] as const) {
    await win.emulateMedia({ colorScheme: scheme });
    await win.screenshot({ path: join(out, `${name}-${scheme}.png`) });
  }
  console.log(`saved ${name}`);
}

try {
  const page = await browser.context.newPage();
  await page.goto(`${rp.url}/playground`);
  const create = () => page.evaluate(() => navigator.credentials.create({ publicKey: {
    rp: { name: 'Latchkey Demo' }, user: { id: new Uint8Array([1, 2, 3]), name: 'demo@latchkey.test', displayName: 'Demo User' },
    challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } }).then(() => 'ok', (e) => String(e)));
  let win = nextCeremonyWindow(browser.context);
  const first = create();
  let w = await win;
  await w.getByRole('button', { name: 'Save passkey' }).waitFor();
  await shoot(w, 'create');
  await w.getByRole('button', { name: 'Save passkey' }).click();
  await w.getByRole('button', { name: 'Set PIN' }).waitFor();
  await shoot(w, 'set-pin');
  await w.getByLabel('PIN', { exact: true }).fill('4827');
  await w.getByLabel('Confirm PIN').fill('4827');
  await clickClosing(w.getByRole('button', { name: 'Set PIN' }));
  await first;
  win = nextCeremonyWindow(browser.context);
  const get = page.evaluate(() => navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) } }).then(() => 'ok', (e) => String(e)));
  w = await win;
  await w.getByRole('button', { name: 'demo@latchkey.test' }).waitFor();
  await shoot(w, 'get');
  await clickClosing(w.getByRole('button', { name: 'Cancel' }));
  await get;
} finally {
  await browser.close();
  await rp.close();
  rmSync(tmp, { recursive: true, force: true });
}
