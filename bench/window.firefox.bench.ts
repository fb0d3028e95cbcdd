// The window path in Firefox ESR: from the page's create() call to Latchkey's window being
// interactive (its first screen committed: the window's own User Timing mark
// `latchkey:interactive`, popup/index.tsx), budget 150 ms, as bench/window.bench.ts measures it in
// Chromium. Both ends in absolute time (performance.timeOrigin + the entry's time), which Firefox
// keeps comparable across its processes. Marionette reads the mark after the fact, so its own speed
// does not enter the figure. Cancel closes each window; nothing is stored.
// Beside it, in a second Firefox and the same alternation, the floor: a throwaway extension (no
// Latchkey code) whose page asks its background, over an open port, to open a popup window of the
// same size with a button in the markup (interactive when the document is: domInteractive).
//   node scripts/build.mjs firefox && node --import tsx bench/window.firefox.bench.ts   [N=20 HEADED=1]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchFirefox, type FirefoxDriver } from '../e2e/lib/firefox';
import { launchLatchkeyFirefox } from '../testing/firefox';
import { f, stats, startServer, table, WINDOW_CREATE_CALL, writeResults } from './lib';

const N = Number(process.env.N ?? 20);
const FLOOR_ID = 'windowfloor@latchkey.bench';
const FLOOR: Record<string, string> = {
  'manifest.json': JSON.stringify({
    manifest_version: 3, name: 'windowfloor', version: '1',
    browser_specific_settings: { gecko: { id: FLOOR_ID } },
    background: { scripts: ['bg.js'] },
    host_permissions: ['http://localhost/*'],
    content_scripts: [
      { matches: ['http://localhost/*'], js: ['main.js'], run_at: 'document_start', world: 'MAIN' },
      { matches: ['http://localhost/*'], js: ['bridge.js'], run_at: 'document_start' },
    ],
  }),
  'bg.js': `browser.runtime.onConnect.addListener((port) => {
  port.onMessage.addListener(async () => {
    const w = await browser.windows.get(port.sender.tab.windowId);
    await browser.windows.create({ url: browser.runtime.getURL('static.html'), type: 'popup', width: 440, height: 600,
      left: Math.max(0, Math.round(w.left + (w.width - 440) / 2)), top: Math.max(0, w.top + 80) });
  });
});`,
  'bridge.js': `let port = null;
window.addEventListener('message', (e) => {
  if (e.source !== window || !e.data || e.data.ch !== 'wf') return;
  port ??= browser.runtime.connect({ name: 'wf' });
  port.postMessage({});
});`,
  'main.js': `window.__open = () => { const t = performance.timeOrigin + performance.now(); window.postMessage({ ch: 'wf' }, '*'); return t; };`,
  'static.html': '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body><button type="button">Cancel</button></body></html>',
};

/** In the window: when it became interactive (Latchkey's mark, or the document for the floor). */
const STAMPS = `() => {
  const nav = performance.getEntriesByType('navigation')[0];
  if (!nav || !nav.domInteractive) return null;
  const m = performance.getEntriesByName('latchkey:interactive')[0];
  const o = performance.timeOrigin;
  return { navStart: o, domInteractive: o + nav.domInteractive, interactive: m ? o + m.startTime : null };
}`;
interface Stamps { navStart: number; domInteractive: number; interactive: number | null }

async function oneWindow(ff: FirefoxDriver, main: string, call: string, done: (s: Stamps) => boolean): Promise<{ call: number; s: Stamps }> {
  const before = await ff.windowHandles();
  const t = await ff.execute<number>(call);
  const popup = await ff.waitForNewWindow(before, 10_000);
  await ff.switchToWindow(popup);
  let s: Stamps | null = null;
  for (let k = 0; k < 400; k++) {
    s = await ff.execute<Stamps | null>(STAMPS).catch(() => null);
    if (s && done(s)) break;
  }
  if (!s || !done(s)) throw new Error('the window never became interactive');
  await ff.clickButton('Cancel');
  if (!(await ff.windowHandles()).includes(popup)) { await ff.switchToWindow(main); return { call: t, s }; }
  await ff.closeWindow(); // the floor's Cancel does nothing: close it from here
  await ff.switchToWindow(main);
  return { call: t, s };
}

const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-windowfloor-ff-'));
for (const [name, body] of Object.entries(FLOOR)) writeFileSync(join(dir, name), body);
const srv = await startServer();
// HEADED=1 (under xvfb-run or a desktop): real windows instead of headless ones.
const headless = process.env.HEADED !== '1';
const lk = await launchLatchkeyFirefox({ headless });
const floor = await launchFirefox({ headless, extensionDir: dir, extensionId: FLOOR_ID, extensionUuid: '0b1e5c1a-7a1d-4d2e-9f3a-5c6d7e8f9a0b' });
try {
  await lk.latchkey.skipPin();
  await lk.latchkey.useWindow();
  await lk.driver.navigate(srv.url);
  await floor.navigate(srv.url);
  const lkMain = await lk.driver.currentWindow();
  const floorMain = await floor.currentWindow();
  const rows: Record<string, number[]> = { floor: [], latchkey: [], floorToNavStart: [], latchkeyToNavStart: [], latchkeyNavToDom: [], latchkeyDomToInteractive: [] };
  for (let i = 0; i < N + 2; i++) { // the first 2 rounds are warm-up
    const a = await oneWindow(floor, floorMain, `() => window.__open()`, () => true);
    const b = await oneWindow(lk.driver, lkMain, WINDOW_CREATE_CALL, (s) => s.interactive !== null);
    if (i < 2) continue;
    rows.floor!.push(a.s.domInteractive - a.call);
    rows.floorToNavStart!.push(a.s.navStart - a.call);
    rows.latchkey!.push(b.s.interactive! - b.call);
    rows.latchkeyToNavStart!.push(b.s.navStart - b.call);
    rows.latchkeyNavToDom!.push(b.s.domInteractive - b.s.navStart);
    rows.latchkeyDomToInteractive!.push(b.s.interactive! - b.s.domInteractive);
  }
  const names: Record<string, string> = {
    floor: 'floor: call → a button in a new window (no script)', latchkey: "call → Latchkey's window interactive",
    floorToNavStart: 'floor: call → the window\'s navigation start', latchkeyToNavStart: 'Latchkey: call → navigation start',
    latchkeyNavToDom: 'Latchkey: navigation start → document interactive', latchkeyDomToInteractive: 'Latchkey: document → first screen committed',
  };
  console.log(`Window path, Firefox ESR ${headless ? 'headless' : 'headed'}, ${N} windows each (ms), alternated`);
  const md = table(['stage', 'median', 'p10', 'p90'], Object.entries(rows).map(([k, v]) => { const s = stats(v); return [names[k] ?? k, f(s.median, 1), f(s.p10, 1), f(s.p90, 1)]; }));
  writeResults(`window-firefox${headless ? '' : '-headed'}`, { method: { n: N, headless, userVerification: 'discouraged' }, stats: Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, stats(v)])), rows, markdown: md });
} finally {
  await lk.close();
  await floor.quit();
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
}
