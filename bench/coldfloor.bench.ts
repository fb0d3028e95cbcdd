// The floor of a cold start in Chromium: how soon can ANY extension answer a page after its service
// worker was stopped? A throwaway extension (no Latchkey code, written to a temporary directory) does
// what Latchkey does up to the background — the page posts to its isolated-world bridge, the bridge
// to the service worker over a runtime port (reconnected when the worker went away), and the worker
// answers at once. Latchkey's automatic get() (bench/coldstart.bench.ts's ceremony) runs in the same
// alternation, warm and cold, so both meet the same machine load. Latchkey's own share of a cold
// start is what it needs above the floor's cold answer.
// An open page of the extension keeps the extension's renderer process alive, so a worker restarted
// beside it needs no new process: Latchkey's automation page does that in automatic mode (testing/
// chromium.ts). EXT_PAGE=open (the default) gives the floor an open page too; EXT_PAGE=closed closes
// Latchkey's automation page once automatic mode is on, as a person's browser has no such page.
//   node scripts/build.mjs chrome && node --import tsx bench/coldfloor.bench.ts   [N=15 EXT_PAGE=closed]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { launchChromium } from '../e2e/lib/chromium';
import { launchLatchkey } from '../testing/chromium';
import { f, machine, sleep, startServer, stats, table, writeResults } from './lib';

const N = Number(process.env.N ?? 15);
const extPage = process.env.EXT_PAGE === 'closed' ? 'closed' : 'open';
const FILES: Record<string, string> = {
  'manifest.json': JSON.stringify({
    manifest_version: 3, name: 'coldfloor', version: '1',
    background: { service_worker: 'bg.js' },
    content_scripts: [
      { matches: ['http://localhost/*'], js: ['main.js'], run_at: 'document_start', world: 'MAIN' },
      { matches: ['http://localhost/*'], js: ['bridge.js'], run_at: 'document_start' },
    ],
  }),
  'page.html': '<!doctype html><title>coldfloor</title>',
  'bg.js': `chrome.runtime.onConnect.addListener((port) => { port.onMessage.addListener((m) => port.postMessage({ n: m.n })); });`,
  'bridge.js': `let port = null;
const open = () => {
  const p = chrome.runtime.connect({ name: 'cf' });
  p.onMessage.addListener((m) => window.postMessage({ ch: 'cf-back', n: m.n }, '*'));
  p.onDisconnect.addListener(() => { if (port === p) port = null; });
  return p;
};
window.addEventListener('message', (e) => {
  if (e.source !== window || !e.data || e.data.ch !== 'cf') return;
  port ??= open();
  port.postMessage({ n: e.data.n });
});
`,
  'main.js': `let n = 0;
window.__ask = () => new Promise((resolve) => {
  const id = ++n, t = performance.now();
  const back = (e) => { if (e.source === window && e.data && e.data.ch === 'cf-back' && e.data.n === id) { removeEventListener('message', back); resolve(performance.now() - t); } };
  addEventListener('message', back);
  postMessage({ ch: 'cf', n: id }, '*');
});`,
};

// Latchkey's automatic get() of a passkey made in the warm-up, timed in the page.
const GET = `(async () => {
  const t = performance.now();
  await navigator.credentials.get({ publicKey: { rpId: 'localhost', challenge: crypto.getRandomValues(new Uint8Array(32)), allowCredentials: [{ type: 'public-key', id: window.__lastId }], userVerification: 'preferred' } });
  return performance.now() - t;
})()`;
const CREATE = `(async () => {
  const c = await navigator.credentials.create({ publicKey: { rp: { id: 'localhost', name: 'Bench' },
    user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'cold@example.test', displayName: 'Cold' }, challenge: crypto.getRandomValues(new Uint8Array(32)),
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' } } });
  window.__lastId = c.rawId;
})()`;

interface Side { name: string; context: BrowserContext; extensionId: string; page: Page; cdp: CDPSession; status: Map<string, string>; call(): Promise<number> }

async function side(name: string, context: BrowserContext, extensionId: string, page: Page, call: () => Promise<number>): Promise<Side> {
  const cdp = await context.newCDPSession(page);
  const status = new Map<string, string>();
  cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
    for (const v of e.versions) if (v.scriptURL.startsWith(`chrome-extension://${extensionId}/`)) status.set(v.versionId, v.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  return { name, context, extensionId, page, cdp, status, call };
}

async function stopWorker(s: Side): Promise<void> {
  await s.cdp.send('ServiceWorker.stopAllWorkers');
  const running = () => [...s.status.values()].some((v) => v === 'running' || v === 'starting');
  for (let i = 0; i < 400 && running(); i++) await sleep(5);
  if (running()) throw new Error(`${s.name}: the service worker did not stop`);
}

const STARTUP_BG = `const ready = Promise.all([
  chrome.storage.session.get('s'), chrome.storage.local.get('l'),
  new Promise((resolve, reject) => { const r = indexedDB.open('coldfloor', 1); r.onupgradeneeded = () => r.result.createObjectStore('x'); r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error); }),
]);
chrome.windows.onRemoved.addListener(() => {});
chrome.storage.onChanged.addListener(() => {});
chrome.alarms.onAlarm.addListener(() => {});
chrome.runtime.onMessage.addListener(() => {});
chrome.runtime.onConnect.addListener((port) => { port.onMessage.addListener(async (m) => { await ready; port.postMessage({ n: m.n }); }); });`;
const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-coldfloor-'));
const dir2 = mkdtempSync(join(tmpdir(), 'latchkey-bench-coldfloor-startup-'));
for (const [name, body] of Object.entries(FILES)) writeFileSync(join(dir, name), body);
for (const [name, body] of Object.entries(FILES)) writeFileSync(join(dir2, name), name === 'bg.js' ? STARTUP_BG : name === 'manifest.json' ? body.replace('"name":"coldfloor"', '"name":"coldfloor-startup","permissions":["storage","alarms"]') : body);
const srv = await startServer();
const floor = await launchChromium({ extensionDir: dir });
const floor2 = await launchChromium({ extensionDir: dir2 });
// LATCHKEY_DISTS=dirA,dirB: several builds of Latchkey (each a dist/chrome) in the same alternation.
const dists = process.env.LATCHKEY_DISTS?.split(',') ?? [undefined];
const lks = await Promise.all(dists.map((extensionDir) => launchLatchkey(extensionDir ? { extensionDir } : {})));
const lkName = (i: number) => (dists.length > 1 ? `latchkey get ${dists[i]}` : 'latchkey get');
try {
  const floorPage = await floor.context.newPage();
  await floorPage.goto(srv.url);
  await floorPage.waitForFunction('!!window.__ask');
  const sides = [await side('floor', floor.context, floor.extensionId, floorPage, () => floorPage.evaluate('window.__ask()') as Promise<number>)];
  const floor2Page = await floor2.context.newPage();
  await floor2Page.goto(srv.url);
  await floor2Page.waitForFunction('!!window.__ask');
  sides.push(await side('floor + startup', floor2.context, floor2.extensionId, floor2Page, () => floor2Page.evaluate('window.__ask()') as Promise<number>));
  if (extPage === 'open') {
    await (await floor.context.newPage()).goto(`chrome-extension://${floor.extensionId}/page.html`);
    await (await floor2.context.newPage()).goto(`chrome-extension://${floor2.extensionId}/page.html`);
  }
  for (const [i, lk] of lks.entries()) {
    await lk.latchkey.skipPin();
    await lk.latchkey.approveAll();
    const lkPage = await lk.context.newPage();
    await lkPage.goto(srv.url);
    await lkPage.evaluate(CREATE);
    if (extPage === 'closed') for (const p of lk.context.pages()) if (p.url().startsWith(`chrome-extension://${lk.extensionId}/`)) await p.close();
    sides.push(await side(lkName(i), lk.context, lk.extensionId, lkPage, () => lkPage.evaluate(GET) as Promise<number>));
  }
  const rows: Record<string, { warm: number[]; cold: number[] }> = Object.fromEntries(sides.map((s) => [s.name, { warm: [], cold: [] }]));
  for (let i = 0; i < N + 1; i++) { // round 0 is warm-up
    for (const s of sides) {
      await s.call(); // the worker is running and has answered once
      const warm = await s.call();
      await stopWorker(s);
      const cold = await s.call();
      if (i === 0) continue;
      rows[s.name]!.warm.push(warm);
      rows[s.name]!.cold.push(cold);
      await sleep(100);
    }
  }
  const st = (xs: number[]) => stats(xs);
  const fl = rows.floor!;
  console.log(`Cold start floor vs Latchkey, Chromium (ms, page-side, ${N} each, alternated; extension page ${extPage})`);
  const md = table(['', 'warm median (p10–p90)', 'cold median (p10–p90)', 'cold − warm'], sides.map((s) => {
    const r = rows[s.name]!; const w = st(r.warm), c = st(r.cold);
    return [s.name, `${f(w.median, 1)} (${f(w.p10, 1)}–${f(w.p90, 1)})`, `${f(c.median, 1)} (${f(c.p10, 1)}–${f(c.p90, 1)})`, f(c.median - w.median, 1)];
  }));
  for (const [i] of lks.entries()) console.log(`${lkName(i)}: cold get above the floor's cold answer ${f(st(rows[lkName(i)]!.cold).median - st(fl.cold).median, 1)} ms (median to median)`);
  writeResults(`coldfloor-${extPage}`, { machine: machine(), method: { n: N, extensionPage: extPage }, stats: Object.fromEntries(sides.map((s) => [s.name, { warm: st(rows[s.name]!.warm), cold: st(rows[s.name]!.cold) }])), rows, markdown: md });
} finally {
  await Promise.all(lks.map((lk) => lk.close()));
  await floor.close();
  await floor2.close();
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(dir2, { recursive: true, force: true });
}
