// The floor of the window path in Chromium: how soon can ANY extension show a button in a popup
// window of its own after a page's call? A throwaway extension (no Latchkey code, written to a
// temporary directory) does what Latchkey does up to the window — the page posts to its isolated-world
// bridge, the bridge to the service worker over an open port, the worker reads the requesting
// window's bounds (windows.get) and opens a popup window of Latchkey's size (windows.create) — and
// the window is one of:
//   static:    an HTML page whose <button>Save passkey</button> is in the markup (no script, no CSS);
//   asks:      the same button, disabled until one runtime.sendMessage answer from the worker arrives
//              (the least a window must do that learns what to show from the background).
// Clocks as in bench/window.bench.ts: the page stamps its call, a MutationObserver in the window
// stamps the first moment the button exists and is enabled (absolute: timeOrigin + now()).
// `latchkey` runs Latchkey's own window (dist/chrome, bench/window.bench.ts's path) in the same
// alternation, so the three meet the same machine load.
//   node scripts/build.mjs chrome && node --import tsx bench/windowfloor.bench.ts   [N=20 HEADED=1]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { clickClosing, launchChromium } from '../e2e/lib/chromium';
import { launchLatchkey } from '../testing/chromium';
import { f, machine, sleep, startServer, stats, table, WINDOW_CREATE_CALL, writeResults } from './lib';

const N = Number(process.env.N ?? 20);
const headless = process.env.HEADED !== '1';
const BUTTON = '<button type="button" id="b">Save passkey</button>';
const FILES: Record<string, string> = {
  'manifest.json': JSON.stringify({
    manifest_version: 3, name: 'windowfloor', version: '1', permissions: ['storage'],
    background: { service_worker: 'bg.js' },
    host_permissions: ['http://localhost/*'],
    content_scripts: [
      { matches: ['http://localhost/*'], js: ['main.js'], run_at: 'document_start', world: 'MAIN' },
      { matches: ['http://localhost/*'], js: ['bridge.js'], run_at: 'document_start' },
    ],
  }),
  'bg.js': `chrome.runtime.onConnect.addListener((port) => {
  port.onMessage.addListener(async (m) => {
    const w = await chrome.windows.get(port.sender.tab.windowId);
    await chrome.windows.create({ url: chrome.runtime.getURL(m.variant + '.html'), type: 'popup', width: 440, height: 600,
      focused: true, left: Math.max(0, Math.round(w.left + (w.width - 440) / 2)), top: Math.max(0, w.top + 80) });
  });
});
chrome.runtime.onMessage.addListener((m, s, send) => { send({ view: 'create' }); });
`,
  'bridge.js': `let port = null;
window.addEventListener('message', (e) => {
  if (e.source !== window || !e.data || e.data.ch !== 'wf') return;
  port ??= chrome.runtime.connect({ name: 'wf' });
  port.postMessage({ variant: e.data.variant });
});
`,
  'main.js': `window.__open = (variant) => { const t = performance.timeOrigin + performance.now(); window.postMessage({ ch: 'wf', variant }, '*'); return t; };`,
  'static.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title></head><body>${BUTTON}</body></html>`,
  'asks.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title><script src="asks.js" defer></script></head><body><button type="button" id="b" disabled>Save passkey</button></body></html>`,
  'asks.js': `chrome.runtime.sendMessage({ type: 'describe' }).then(() => { document.getElementById('b').disabled = false; });`,
  'script.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title><script src="script.js" defer></script></head><body><button type="button" id="b" disabled>Save passkey</button></body></html>`,
  'script.js': `document.getElementById('b').disabled = !location.href;`,
  'storage.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title><script src="storage.js" defer></script></head><body><button type="button" id="b" disabled>Save passkey</button></body></html>`,
  'storage.js': `chrome.storage.session.get('view').then(() => { document.getElementById('b').disabled = false; });`,
};

// In every window, before its own scripts: the first moment "Save passkey" exists and is enabled.
const STAMP = `(() => {
  if (!location.protocol.startsWith('chrome-extension')) return;
  const T = () => performance.timeOrigin + performance.now();
  const s = window.__stamps = { origin: performance.timeOrigin, init: T() };
  const check = () => {
    if (s.interactive) return;
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === 'Save passkey');
    if (b && !b.disabled) s.interactive = T();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  check(); // a script-less page may be parsed already when this runs
})()`;

const CREATE = `(${WINDOW_CREATE_CALL})()`;

interface Side { name: string; context: BrowserContext; page: Page; open(): Promise<number>; finish(w: Page): Promise<void> }

const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-windowfloor-'));
for (const [name, body] of Object.entries(FILES)) writeFileSync(join(dir, name), body);
const srv = await startServer();
const floor = await launchChromium({ extensionDir: dir, headless });
// LATCHKEY_DISTS=dirA,dirB: several builds of Latchkey (each a dist/chrome) in the same alternation.
const dists = process.env.LATCHKEY_DISTS?.split(',') ?? [undefined];
const lks = await Promise.all(dists.map((extensionDir) => launchLatchkey({ headless, ...(extensionDir ? { extensionDir } : {}) })));
try {
  await floor.context.addInitScript(STAMP);
  const floorPage = await floor.context.newPage();
  await floorPage.goto(srv.url);
  await floorPage.waitForFunction('!!window.__open');
  const lkPages: Page[] = [];
  for (const lk of lks) {
    await lk.context.addInitScript(STAMP);
    await lk.latchkey.skipPin();
    await lk.latchkey.useWindow();
    const p = await lk.context.newPage();
    await p.goto(srv.url);
    lkPages.push(p);
  }
  const closeWindow = async (w: Page) => { const closed = w.waitForEvent('close'); await w.close(); await closed; };
  const sides: Side[] = [
    { name: 'static', context: floor.context, page: floorPage, open: () => floorPage.evaluate(`window.__open('static')`) as Promise<number>, finish: closeWindow },
    ...['script', 'asks', 'storage'].map((name) => ({ name, context: floor.context, page: floorPage, open: () => floorPage.evaluate(`window.__open('${name}')`) as Promise<number>, finish: closeWindow })),
    ...lks.map((lk, i) => ({
      name: dists.length > 1 ? `latchkey ${dists[i]}` : 'latchkey', context: lk.context, page: lkPages[i]!, open: () => lkPages[i]!.evaluate(CREATE) as Promise<number>,
      // Cancel, so the page's promise settles and nothing is stored.
      finish: async (w: Page) => { const closed = w.waitForEvent('close'); await clickClosing(w.getByRole('button', { name: 'Cancel' })); await closed; },
    })),
  ];
  const rows: Record<string, number[]> = Object.fromEntries(sides.map((s) => [s.name, []]));
  const parts: Record<string, { toNavStart: number[]; navToDoc: number[]; docToInteractive: number[] }> =
    Object.fromEntries(sides.map((s) => [s.name, { toNavStart: [], navToDoc: [], docToInteractive: [] }]));
  for (let i = 0; i < N + 2; i++) { // the first 2 rounds are warm-up
    for (const s of sides) {
      const opens = s.context.waitForEvent('page', { predicate: (p) => p.url().startsWith('chrome-extension://'), timeout: 10_000 });
      const call = await s.open();
      const w = await opens;
      let st: Record<string, number> | undefined;
      for (let k = 0; k < 500; k++) {
        st = (await w.evaluate('window.__stamps').catch(() => undefined)) as Record<string, number> | undefined;
        if (st?.interactive) break;
        await sleep(5);
      }
      if (!st?.interactive) throw new Error(`${s.name}: the window never showed an enabled button`);
      await s.finish(w);
      if (i < 2) continue;
      rows[s.name]!.push(st.interactive - call);
      parts[s.name]!.toNavStart.push(st.origin! - call);
      parts[s.name]!.navToDoc.push(st.init! - st.origin!);
      parts[s.name]!.docToInteractive.push(st.interactive - st.init!);
      await sleep(50);
    }
  }
  const names: Record<string, string> = {
    static: 'floor: a button in the markup (no script)',
    script: 'floor: button enabled by a deferred script (no extension API)',
    asks: 'floor: button enabled after one message to the worker',
    storage: 'floor: button enabled after one storage.session read',
    latchkey: "Latchkey's ceremony window",
  };
  console.log(`Call to an enabled button in a new popup window, Chromium ${headless ? 'new headless' : 'headed'} (ms, ${N} each, alternated)`);
  const md = table(['window', 'median', 'p10', 'p90', 'call → nav start', 'nav start → document', 'document → interactive'],
    sides.map((s) => {
      const a = stats(rows[s.name]!); const p = parts[s.name]!;
      return [names[s.name] ?? s.name, f(a.median, 1), f(a.p10, 1), f(a.p90, 1), f(stats(p.toNavStart).median, 1), f(stats(p.navToDoc).median, 1), f(stats(p.docToInteractive).median, 1)];
    }));
  writeResults(`windowfloor${headless ? '' : '-headed'}`, { machine: machine(), method: { n: N, headless }, stats: Object.fromEntries(sides.map((s) => [s.name, stats(rows[s.name]!)])), rows, parts, markdown: md });
} finally {
  await Promise.all(lks.map((lk) => lk.close()));
  await floor.close();
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
}
