// What Latchkey's two content scripts cost the page's main thread per navigation, from Chromium
// traces (CDP Tracing). Two measures, one run:
// 1. The scripts' own EvaluateScript events (compile + run of main-world.js and bridge.js, in the
//    page's renderer, before the page's own first script), for N navigations of one small page (a
//    blocking script, 50 paragraphs); and ScriptInjection::InjectJs, the whole injection (it also
//    creates the isolated world's context and its extension bindings for bridge.js, which
//    EvaluateScript does not show and which costs more than both scripts' evaluation).
// 2. PAIRED (default on): the page's whole renderer main-thread work per navigation, with the
//    content scripts (http://localhost, in the manifest's matches) and without them (http://127.0.0.1:
//    same server, same bytes, also a secure context, not matched), alternating in the same browser,
//    one trace per navigation. Per navigation: the thread time (tdur, CPU time of the thread, not
//    wall time) of every top-level task on the renderer main threads from the navigation's start to
//    its load event. The difference of the two is what Latchkey adds, including any first-touch
//    cost its scripts take from the page or give to it (which measure 1 cannot see), and CPU time is
//    not blurred by other processes' load the way wall-clock DCL is. Reported: medians, the mean
//    difference of adjacent pairs with a bootstrap 95 % interval, relative to the page's own work.
// 3. COLD (default on): every navigation in a new renderer process, as after a cross-site link: a
//    copy of the extension whose content scripts also match http://127.0.0.1, and navigations
//    alternating localhost / 127.0.0.1 (two sites: site isolation gives each its own process). Per
//    navigation: ScriptInjection::InjectJs thread time (both scripts, their isolated world, no code
//    cache) and each script's EvaluateScript. This is what Latchkey costs a cross-site navigation.
// LATCHKEY_DIST measures another build the same way (e.g. an earlier commit's dist/chrome).
// FLOOR=1 measures the floor of any extension of this shape: a copy of the build whose two content
// scripts are `0;` (same manifest, same worlds, same matches), so what remains is Chromium's own cost
// of injecting a MAIN-world and an isolated-world script; Latchkey's share is its figure minus this.
//   node scripts/build.mjs chrome && node --import tsx bench/contentscripts.bench.ts   [N=20 PAIRS=60 PAIRED=0 COLD=0 FLOOR=1 LATCHKEY_DIST=...]
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CHROME_DIST } from '../e2e/lib/chromium';
import { launchLatchkey } from '../testing/chromium';
import { f, median, startServer, stats, table, writeResults } from './lib';
const js = (name: string, n: number) => `window.${name} = []; for (let i = 0; i < ${n}; i++) window.${name}.push({ i, s: 'x' + i });`;
const srv = await startServer({ '/page': { type: 'text/html', body: `<!doctype html><html><head><script src="/a.js"></script></head><body>${'<p>x</p>'.repeat(50)}</body></html>` }, '/a.js': { type: 'text/javascript', body: js('a', 2000) } });
const FLOOR = process.env.FLOOR === '1';
let distDir = resolve(process.env.LATCHKEY_DIST ?? CHROME_DIST);
let floorDir: string | undefined;
if (FLOOR) {
  floorDir = mkdtempSync(join(tmpdir(), 'latchkey-floor-'));
  cpSync(distDir, floorDir, { recursive: true });
  for (const c of JSON.parse(readFileSync(join(floorDir, 'manifest.json'), 'utf8')).content_scripts) {
    for (const file of c.js) writeFileSync(join(floorDir, file), '0;');
  }
  distDir = floorDir;
}
const lk = await launchLatchkey({ extensionDir: distDir });
const page = await lk.context.newPage();
const cdp = await lk.context.newCDPSession(page);
const N = Number(process.env.N ?? 20);
const PAIRS = process.env.PAIRED === '0' ? 0 : Number(process.env.PAIRS ?? 60);
let events: any[] = [];
cdp.on('Tracing.dataCollected', (e: any) => events.push(...e.value));
async function traced(categories: string, body: () => Promise<void>): Promise<any[]> {
  events = [];
  await cdp.send('Tracing.start', { categories, transferMode: 'ReportEvents' });
  await body();
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end'); await done;
  return events;
}

// ---- 1. the scripts' own evaluation ----
await page.goto(`${srv.url}/page`);
const evs = await traced('devtools.timeline,v8,blink,extensions,disabled-by-default-devtools.timeline', async () => {
  for (let i = 0; i < N; i++) await page.goto(`${srv.url}/page?${i}`, { waitUntil: 'load' });
});
const byUrl: Record<string, number[]> = {};
for (const e of evs) {
  if (e.ph !== 'X' || !e.dur) continue;
  // The whole injection of the content scripts at document_start: their isolated world's context
  // and extension bindings (bridge.js), then both scripts' EvaluateScript. Thread time.
  if (e.name === 'ScriptInjection::InjectJs') { (byUrl['ScriptInjection::InjectJs (thread time)'] ??= []).push((e.tdur ?? e.dur) / 1000); continue; }
  const url = e.args?.data?.url ?? e.args?.data?.fileName ?? e.args?.fileName ?? '';
  if (!/main-world|bridge|a\.js/.test(url)) continue;
  const k = `${e.name} ${url.replace(/.*\//, '')}`;
  (byUrl[k] ??= []).push(e.dur / 1000);
}
console.log(`Trace events per navigation, ${N} navigations (ms)`);
const md = table(['event', 'count', 'median', 'p10', 'p90', 'mean per navigation'], Object.entries(byUrl).sort().map(([k, v]) => {
  const s = stats(v);
  return [k, v.length, f(s.median, 3), f(s.p10, 3), f(s.p90, 3), f(v.reduce((a, b) => a + b, 0) / N, 3)];
}));

// ---- 2. paired: the renderer main thread's whole work per navigation, with and without ----
/** CPU (thread) time of the top-level tasks on renderer main threads, navigation start to load event end. */
function mainThreadCpu(trace: any[]): { cpu: number; wall: number } {
  const mainThreads = new Set<string>();
  for (const e of trace) if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') mainThreads.add(`${e.pid}:${e.tid}`);
  let start = Infinity, end = -Infinity;
  for (const e of trace) {
    if (e.name === 'navigationStart' && e.args?.data?.isLoadingMainFrame) start = Math.min(start, e.ts);
    if (e.name === 'loadEventEnd' || (e.name === 'MarkLoad' && e.args?.data?.isMainFrame)) end = Math.max(end, e.ts);
  }
  if (!Number.isFinite(start)) start = -Infinity;
  if (!Number.isFinite(end)) end = Infinity;
  let cpu = 0, wall = 0;
  const byThread = new Map<string, any[]>();
  for (const e of trace) {
    if (e.ph !== 'X' || !mainThreads.has(`${e.pid}:${e.tid}`) || (e.name !== 'ThreadControllerImpl::RunTask' && e.name !== 'RunTask')) continue;
    if (e.ts + (e.dur ?? 0) < start || e.ts > end) continue;
    const k = `${e.pid}:${e.tid}`;
    (byThread.get(k) ?? byThread.set(k, []).get(k)!).push(e);
  }
  for (const list of byThread.values()) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
    let until = -Infinity;
    for (const e of list) {
      if (e.ts < until) continue; // nested in the previous top-level task
      until = e.ts + e.dur;
      cpu += (e.tdur ?? e.dur) / 1000; wall += e.dur / 1000;
    }
  }
  return { cpu, wall };
}
function bootstrapMean(xs: number[], rounds = 5000): [number, number] {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const means: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[Math.floor(rnd() * xs.length)]!;
    means.push(s / xs.length);
  }
  means.sort((a, b) => a - b);
  return [means[Math.floor(rounds * 0.025)]!, means[Math.floor(rounds * 0.975)]!];
}
let paired: Record<string, unknown> | undefined;
let mdPaired = '';
if (PAIRS > 0) {
  const on = srv.url, off = srv.url.replace('localhost', '127.0.0.1');
  const cats = 'toplevel,devtools.timeline,blink.user_timing,loading';
  const sample = async (base: string, i: number) => mainThreadCpu(await traced(cats, async () => { await page.goto(`${base}/page?p${i}`, { waitUntil: 'load' }); }));
  await sample(on, -1); await sample(off, -1); // warm both origins (process, cache)
  const withL: number[] = [], without: number[] = [], diff: number[] = [], wallOn: number[] = [], wallOff: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    // Alternate which goes first, so a drift of the machine cancels out.
    const a = i % 2 ? await sample(off, i) : await sample(on, i);
    const b = i % 2 ? await sample(on, i) : await sample(off, i);
    const [x, y] = i % 2 ? [b, a] : [a, b];
    withL.push(x.cpu); without.push(y.cpu); diff.push(x.cpu - y.cpu); wallOn.push(x.wall); wallOff.push(y.wall);
  }
  const meanDiff = diff.reduce((s, v) => s + v, 0) / diff.length;
  const [lo, hi] = bootstrapMean(diff);
  const base = median(without);
  console.log(`Renderer main-thread CPU time per navigation, ${PAIRS} pairs (ms)`);
  mdPaired = table(['', 'median', 'p10', 'p90'], [
    ['with the content scripts (localhost)', f(median(withL), 3), f(stats(withL).p10, 3), f(stats(withL).p90, 3)],
    ['without (127.0.0.1)', f(base, 3), f(stats(without).p10, 3), f(stats(without).p90, 3)],
    ['paired difference', f(median(diff), 3), f(stats(diff).p10, 3), f(stats(diff).p90, 3)],
  ]);
  const line = `mean paired difference ${f(meanDiff, 3)} ms, 95 % CI ${f(lo, 3)} to ${f(hi, 3)} ms = ${f(100 * meanDiff / base, 2)} % (CI ${f(100 * lo / base, 2)} to ${f(100 * hi / base, 2)} %) of the page's own main-thread CPU time (${f(base, 2)} ms)`;
  console.log(line);
  mdPaired += `\n\n${line}`;
  paired = { pairs: PAIRS, withCpu: stats(withL), withoutCpu: stats(without), diff: stats(diff), meanDiff, ci95: [lo, hi], wallWith: stats(wallOn), wallWithout: stats(wallOff), samples: { withL, without } };
}
await lk.close();

// ---- 3. cold: a new renderer process for every navigation ----
let cold: Record<string, unknown> | undefined;
let mdCold = '';
if (process.env.COLD !== '0') {
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-cold-'));
  cpSync(distDir, dir, { recursive: true });
  const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  for (const c of m.content_scripts) c.matches.push('http://127.0.0.1/*');
  m.host_permissions.push('http://127.0.0.1/*');
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
  const lk2 = await launchLatchkey({ extensionDir: dir });
  const p2 = await lk2.context.newPage();
  const cdp2 = await lk2.context.newCDPSession(p2);
  const got: any[] = [];
  cdp2.on('Tracing.dataCollected', (e: any) => got.push(...e.value));
  const hosts = [srv.url, srv.url.replace('localhost', '127.0.0.1')];
  await p2.goto(`${hosts[1]}/page`);
  await cdp2.send('Tracing.start', { categories: 'devtools.timeline,extensions', transferMode: 'ReportEvents' });
  for (let i = 0; i < N; i++) await p2.goto(`${hosts[i % 2]}/page?c${i}`, { waitUntil: 'load' });
  const done2 = new Promise((r) => cdp2.once('Tracing.tracingComplete', r));
  await cdp2.send('Tracing.end'); await done2;
  const per: Record<string, number[]> = {};
  for (const e of got) {
    if (e.ph !== 'X') continue;
    const k = e.name === 'ScriptInjection::InjectJs' ? 'ScriptInjection::InjectJs (thread time)'
      : e.name === 'EvaluateScript' && /main-world|bridge/.test(e.args?.data?.url ?? '') ? `EvaluateScript ${e.args.data.url.replace(/.*\//, '')} (thread time)` : null;
    if (k) (per[k] ??= []).push((e.tdur ?? e.dur) / 1000);
  }
  console.log(`Cold: ${N} navigations alternating two sites, a new renderer process each (ms)`);
  // Per navigation: the mean event times how often it happens per navigation (InjectJs: once per
  // world, so twice), not the sum over N: an event cut off at the trace's start or end is not lost weight.
  const perNav = (k: string, v: number[]) => (v.reduce((a, b) => a + b, 0) / v.length) * (k.startsWith('ScriptInjection') ? 2 : 1);
  mdCold = table(['event', 'count', 'median', 'p10', 'p90', 'mean per navigation'], Object.entries(per).sort().map(([k, v]) => {
    const st = stats(v);
    return [k, v.length, f(st.median, 3), f(st.p10, 3), f(st.p90, 3), f(perNav(k, v), 3)];
  }));
  cold = Object.fromEntries(Object.entries(per).map(([k, v]) => [k, { ...stats(v), perNavigation: perNav(k, v) }]));
  await lk2.close();
  rmSync(dir, { recursive: true, force: true });
}
await srv.close();
if (floorDir) rmSync(floorDir, { recursive: true, force: true });
writeResults(FLOOR ? 'contentscripts-floor' : process.env.LATCHKEY_DIST ? 'contentscripts-other-build' : 'contentscripts', { method: { n: N, pairs: PAIRS, dist: FLOOR ? 'floor: content scripts are `0;`' : process.env.LATCHKEY_DIST ?? 'dist/chrome' }, stats: Object.fromEntries(Object.entries(byUrl).map(([k, v]) => [k, stats(v)])), paired, cold, markdown: [md, mdPaired, mdCold].filter(Boolean).join('\n\n') });
