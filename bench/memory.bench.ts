// Latchkey's background with 10,000 passkeys (over 1,000 RP IDs), Chromium: JS heap of the service
// worker (CDP on the worker target: HeapProfiler.collectGarbage then Runtime.getHeapUsage) before
// adding, after adding, and after a get() ceremony for one site (automatic mode); the IndexedDB
// size (navigator.storage.estimate() from the extension's automation page); the time to add them;
// and the page-side time of get() for a site among 10,000 passkeys (vs. an empty vault).
// The passkeys go in through the automation call `addPasskey` (what latchkey.addPasskey sends),
// issued from the automation page in parallel groups of GROUP, with raw 32-byte P-256 keys made in
// Node by @noble/curves.
// CDP to the worker: a browser CDP session (context.browser() is set for Playwright's persistent
// context) → Target.attachToTarget {flatten:false} → Target.sendMessageToTarget.
//   node scripts/build.mjs && node --import tsx bench/memory.bench.ts   [PASSKEYS=10000 SITES=1000 GROUP=20]
import { p256 } from '@noble/curves/nist.js';
import type { CDPSession } from 'playwright-core';
import { toBase64url } from '../src/core/base64url';
import { launchLatchkey } from '../testing/chromium';
import { f, startServer, stats, table, writeResults } from './lib';

const PASSKEYS = Number(process.env.PASSKEYS ?? 10_000);
const SITES = Number(process.env.SITES ?? 1000);
const GROUP = Number(process.env.GROUP ?? 20);
const CHUNK = 500; // passkeys per page.evaluate

const srv = await startServer();
const lk = await launchLatchkey();
await lk.latchkey.skipPin();
await lk.latchkey.approveAll();
const bs: CDPSession = await lk.context.browser()!.newBrowserCDPSession();

async function workerHeap(): Promise<{ usedMiB: number; totalMiB: number; embedderMiB: number }> {
  const { targetInfos } = await bs.send('Target.getTargets');
  const t = targetInfos.find((x) => x.type === 'service_worker' && x.url.includes(lk.extensionId));
  if (!t) throw new Error('no service worker target');
  const { sessionId } = await bs.send('Target.attachToTarget', { targetId: t.targetId, flatten: false });
  let id = 0;
  const waiting = new Map<number, (v: { result?: Record<string, number>; error?: unknown }) => void>();
  const on = (e: { sessionId: string; message: string }) => { if (e.sessionId !== sessionId) return; const m = JSON.parse(e.message); waiting.get(m.id)?.(m); };
  bs.on('Target.receivedMessageFromTarget', on);
  const send = (method: string) => new Promise<{ result?: Record<string, number>; error?: unknown }>((ok) => {
    const i = ++id; waiting.set(i, ok);
    void bs.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i, method, params: {} }) });
  });
  try {
    await send('HeapProfiler.collectGarbage');
    await send('HeapProfiler.collectGarbage');
    const r = (await send('Runtime.getHeapUsage')).result!;
    const mib = (x: number) => +(x / 2 ** 20).toFixed(2);
    return { usedMiB: mib(r.usedSize!), totalMiB: mib(r.totalSize!), embedderMiB: mib(r.embedderHeapUsedSize ?? 0) };
  } finally {
    bs.off('Target.receivedMessageFromTarget', on);
    await bs.send('Target.detachFromTarget', { sessionId }).catch(() => {});
  }
}

const auto = await lk.context.newPage();
await auto.goto(`chrome-extension://${lk.extensionId}/automation/automation.html`);
const estimate = async () => {
  const e = (await auto.evaluate('navigator.storage.estimate()')) as { usage: number; usageDetails?: Record<string, number> };
  return { usageMiB: +(e.usage / 2 ** 20).toFixed(2), indexedDBMiB: e.usageDetails?.indexedDB !== undefined ? +(e.usageDetails.indexedDB / 2 ** 20).toFixed(2) : null };
};

const page = await lk.context.newPage();
await page.goto(srv.url);
const GET = `(async () => {
  const t = performance.now();
  const a = await navigator.credentials.get({ publicKey: { rpId: 'localhost', challenge: crypto.getRandomValues(new Uint8Array(32)), userVerification: 'preferred' } });
  return performance.now() - t;
})()`;
const CREATE = `(async () => { const r = (n) => crypto.getRandomValues(new Uint8Array(n));
  await navigator.credentials.create({ publicKey: { rp: { id: 'localhost', name: 'B' }, user: { id: r(16), name: 'mem@example.test', displayName: 'Mem' }, challenge: r(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } }); })()`;
await page.evaluate(CREATE); // one passkey for localhost
const getTimes = async (n: number) => { const xs: number[] = []; for (let i = 0; i < n; i++) xs.push((await page.evaluate(GET)) as number); return xs; };
const getEmpty = await getTimes(20);

const before = { heap: await workerHeap(), storage: await estimate() };
console.log('before', before);
const t0 = performance.now();
for (let start = 0; start < PASSKEYS; start += CHUNK) {
  const batch = Array.from({ length: Math.min(CHUNK, PASSKEYS - start) }, (_, j) => {
    const i = start + j;
    return {
      rpId: `site${i % SITES}.example`, credentialId: toBase64url(crypto.getRandomValues(new Uint8Array(16))),
      userHandle: toBase64url(crypto.getRandomValues(new Uint8Array(16))), userName: `user${i}@site${i % SITES}.example`,
      privateKey: toBase64url(p256.utils.randomSecretKey()),
    };
  });
  await auto.evaluate(`(async (items, group) => {
    for (let k = 0; k < items.length; k += group) await Promise.all(items.slice(k, k + group).map((p) => window.latchkeyAutomation.call('addPasskey', p)));
  })(${JSON.stringify(batch)}, ${GROUP})`);
  if ((start / CHUNK) % 4 === 3) console.log(`  ${start + CHUNK} added, ${f((performance.now() - t0) / 1000, 1)} s`);
}
const addSeconds = (performance.now() - t0) / 1000;
const count = (await lk.latchkey.listPasskeys()).length;
const after = { heap: await workerHeap(), storage: await estimate() };
const getFull = await getTimes(20);
const afterGet = { heap: await workerHeap(), storage: await estimate() };
// Listing one site among 10,000 (the automation call itself, from the automation page).
const listSite = (await auto.evaluate(`(async () => { const xs = []; for (let i = 0; i < 50; i++) { const t = performance.now(); await window.latchkeyAutomation.call('listPasskeys', { rpId: 'site' + (i * 7 % ${SITES}) + '.example' }); xs.push(performance.now() - t); } return xs; })()`)) as number[];
await lk.close();
await srv.close();

console.log(`${count} passkeys (incl. 1 for localhost) added in ${f(addSeconds, 1)} s (${f((addSeconds * 1000) / PASSKEYS, 2)} ms each, groups of ${GROUP})`);
const md1 = table(['when', 'SW heap used MiB', 'SW heap total MiB', 'embedder MiB', 'origin storage MiB', 'IndexedDB MiB'], ([['before', before], ['after adding', after], ['after a get()', afterGet]] as const).map(([k, v]) => [
  k, v.heap.usedMiB, v.heap.totalMiB, v.heap.embedderMiB, v.storage.usageMiB, String(v.storage.indexedDBMiB),
]));
const ge = stats(getEmpty), gf = stats(getFull), ls = stats(listSite);
const md2 = table(['measure (ms)', 'median', 'p10', 'p90'], [
  ['get() for localhost, vault with 1 passkey', f(ge.median), f(ge.p10), f(ge.p90)],
  [`get() for localhost, vault with ${count}`, f(gf.median), f(gf.p10), f(gf.p90)],
  [`automation listPasskeys(rpId) among ${count} (page → worker → IndexedDB → page)`, f(ls.median), f(ls.p10), f(ls.p90)],
]);
writeResults('memory', { method: { passkeys: PASSKEYS, sites: SITES, group: GROUP }, count, addSeconds, before, after, afterGet, getEmpty: ge, getFull: gf, listSite: ls, markdown: [md1, md2].join('\n\n') });
