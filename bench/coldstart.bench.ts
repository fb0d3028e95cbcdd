// A ceremony (automatic mode) right after Latchkey's service worker was stopped, against the same
// ceremony with the worker running. Chromium only (Firefox runs the background as an event page).
// Stopping the worker: a CDP session on a page of the context, `ServiceWorker.enable` then
// `ServiceWorker.stopAllWorkers` (stops the extension's worker too; the running status comes back in
// `ServiceWorker.workerVersionUpdated` events, which is how each stop is confirmed).
// Split of a cold ceremony: page call → the new worker's performance.timeOrigin (the browser starts
// the worker), → the answer (bg.js evaluation, listeners, the ceremony itself).
//   node scripts/build.mjs && node --import tsx bench/coldstart.bench.ts   [N=12]
import { launchLatchkey } from '../testing/chromium';
import { f, sleep, startServer, stats, table, writeResults } from './lib';

const N = Number(process.env.N ?? 12);
const srv = await startServer();
// LATCHKEY_DIST: measure another build (e.g. an earlier commit's dist/chrome) the same way.
const lk = await launchLatchkey(process.env.LATCHKEY_DIST ? { extensionDir: process.env.LATCHKEY_DIST } : {});
await lk.latchkey.skipPin();
await lk.latchkey.approveAll();
const page = await lk.context.newPage();
await page.goto(srv.url);
const cdp = await lk.context.newCDPSession(page);
const status = new Map<string, string>(); // versionId -> runningStatus, extension worker only
cdp.on('ServiceWorker.workerVersionUpdated', (e) => {
  for (const v of e.versions) if (v.scriptURL.startsWith(`chrome-extension://${lk.extensionId}/`)) status.set(v.versionId, v.runningStatus);
});
await cdp.send('ServiceWorker.enable');
const running = () => [...status.values()].some((s) => s === 'running' || s === 'starting');

async function stopWorker(): Promise<number> {
  const t = performance.now();
  await cdp.send('ServiceWorker.stopAllWorkers');
  for (let i = 0; i < 400 && running(); i++) await sleep(5);
  if (running()) throw new Error('the service worker did not stop');
  return performance.now() - t;
}

// One create + one get, timed in the page; also the page's absolute call time.
const ONE = (op: 'create' | 'get') => `(async () => {
  const rnd = (n) => crypto.getRandomValues(new Uint8Array(n));
  const at = performance.timeOrigin + performance.now();
  const t = performance.now();
  if (${JSON.stringify(op)} === 'create') {
    const c = await navigator.credentials.create({ publicKey: { rp: { id: 'localhost', name: 'Bench' },
      user: { id: rnd(16), name: 'cold@example.test', displayName: 'Cold' }, challenge: rnd(32),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' } } });
    window.__lastId = c.rawId;
  } else {
    await navigator.credentials.get({ publicKey: { rpId: 'localhost', challenge: rnd(32), allowCredentials: [{ type: 'public-key', id: window.__lastId }], userVerification: 'preferred' } });
  }
  return { ms: performance.now() - t, at };
})()`;
type One = { ms: number; at: number };
const workerOrigin = async () => {
  const sw = lk.context.serviceWorkers().find((w) => w.url().startsWith(`chrome-extension://${lk.extensionId}/`));
  return sw ? ((await sw.evaluate('performance.timeOrigin')) as number) : NaN;
};

await page.evaluate(ONE('create')); await page.evaluate(ONE('get')); // warm-up
const rows: Record<string, number>[] = [];
const stopMs: number[] = [];
for (let i = 0; i < N; i++) {
  const warmCreate = (await page.evaluate(ONE('create'))) as One;
  const warmGet = (await page.evaluate(ONE('get'))) as One;
  stopMs.push(await stopWorker());
  const coldCreate = (await page.evaluate(ONE('create'))) as One;
  const originCreate = await workerOrigin();
  stopMs.push(await stopWorker());
  const coldGet = (await page.evaluate(ONE('get'))) as One;
  const originGet = await workerOrigin();
  rows.push({
    warmCreate: warmCreate.ms, coldCreate: coldCreate.ms, warmGet: warmGet.ms, coldGet: coldGet.ms,
    coldCreateCallToWorkerOrigin: originCreate - coldCreate.at, coldGetCallToWorkerOrigin: originGet - coldGet.at,
  });
  if (i % 3 === 2) await lk.latchkey.clearPasskeys();
}
await lk.close();
await srv.close();

const keys = Object.keys(rows[0]!);
const summary = Object.fromEntries(keys.map((k) => [k, stats(rows.map((r) => r[k]!))]));
console.log(`Cold vs warm service worker, Chromium, ${rows.length} pairs (ms, page-side)`);
const md = table(['measure', 'median', 'p10', 'p90'], keys.map((k) => [k, f(summary[k]!.median, 1), f(summary[k]!.p10, 1), f(summary[k]!.p90, 1)]));
const ratio = { create: summary.coldCreate!.median / summary.warmCreate!.median, get: summary.coldGet!.median / summary.warmGet!.median };
console.log(`cold/warm: create ${f(ratio.create, 1)}x, get ${f(ratio.get, 1)}x; stopAllWorkers + confirmed stopped: median ${f(stats(stopMs).median, 1)} ms`);
writeResults('coldstart', { method: { n: rows.length, stop: 'CDP page session: ServiceWorker.enable + ServiceWorker.stopAllWorkers, confirmed by workerVersionUpdated runningStatus=stopped' }, summary, ratio, stopMs: stats(stopMs), rows, markdown: md });
