// `npm start`: the demo relying party with Latchkey loaded in Chromium.
// With a display, Chromium opens at the demo (headed, with a profile kept in e2e/.data/ so your
// passkeys and PIN survive the next start); close the browser to stop. Without a display (or with
// LATCHKEY_HEADLESS=1) the seed flow runs headless and each step is printed. Either way it is the
// release build (dist/chrome, no test automation): what a person installs, answered by clicks.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDemoRp, type DemoRp } from '../e2e/demo-rp/server';
import { addPasskey, DEMO_EMAIL, DEMO_PASSWORD, DEMO_PIN, signInWithPassword, signInWithPasskey, signOut } from '../e2e/flows/chromiumDemoFlow';
import { CHROME_RELEASE_DIST, launchChromium } from '../e2e/lib/chromium';

const dataDir = resolve(import.meta.dirname, '../e2e/.data');

async function startRp(dataFile: string): Promise<DemoRp> {
  const wanted = Number(process.env.PORT ?? 8080);
  try {
    return await startDemoRp({ port: wanted, dataFile });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    console.log(`port ${wanted} is busy; using a free one`);
    return startDemoRp({ port: 0, dataFile });
  }
}

async function headed(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const rp = await startRp(join(dataDir, 'demo-rp.json'));
  const browser = await launchChromium({ userDataDir: join(dataDir, 'chromium-profile'), headless: false, extensionDir: CHROME_RELEASE_DIST });
  const page = browser.context.pages()[0] ?? await browser.context.newPage();
  await page.goto(rp.url);
  console.log(`Latchkey is loaded in Chromium at the demo relying party: ${rp.url}`);
  console.log(`Sign in as ${DEMO_EMAIL} / ${DEMO_PASSWORD}, open "+ Add sign-in method", choose "Passkey".`);
  console.log('Close the browser window to stop.');
  await new Promise<void>((done) => browser.context.on('close', () => done()));
  await rp.close();
}

async function transcript(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'latchkey-demo-'));
  const rp = await startRp(join(tmp, 'demo-rp.json'));
  let n = 0;
  const log = (step: string) => console.log(`${String(++n).padStart(2)}. ${step}`);
  console.log(`No display: running the demo headless. Relying party at ${rp.url}, Chromium with Latchkey (dist/chrome).`);
  let browser = await launchChromium({ userDataDir: join(tmp, 'profile'), extensionDir: CHROME_RELEASE_DIST });
  try {
    const page = await browser.context.newPage();
    await signInWithPassword(page, rp.url, log);
    await addPasskey(browser.context, page, { answer: 'save', name: 'Latchkey on this computer', pin: DEMO_PIN, log });
    await signOut(page, log);
    await signInWithPasskey(browser.context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
    await browser.close();
    log('closed the browser; starting it again with the same profile (Latchkey is locked now)');
    browser = await launchChromium({ userDataDir: join(tmp, 'profile'), extensionDir: CHROME_RELEASE_DIST });
    const again = await browser.context.newPage();
    await signInWithPasskey(browser.context, again, rp.url, { answer: 'account', userName: DEMO_EMAIL, log });
    console.log('Demo finished: a passkey was saved in Latchkey, verified by the relying party, and used to sign in twice.');
  } finally {
    await browser.close();
    await rp.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

const noDisplay = !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
(noDisplay || process.env.LATCHKEY_HEADLESS === '1' ? transcript() : headed()).catch((e: unknown) => {
  console.error('npm start failed:', e);
  process.exit(1);
});
