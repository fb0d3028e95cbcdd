// What Latchkey's two content scripts cost the page's main thread per navigation, from a Chromium
// trace (CDP Tracing, categories devtools.timeline and v8): the EvaluateScript event of main-world.js
// and of bridge.js (compile + run, in the page's renderer, before the page's own first script), for
// N navigations of one small page (a blocking script, 50 paragraphs). Unlike navigation timing this
// is not blurred by everything else the machine does: it is the scripts' own work. LATCHKEY_DIST
// measures another build the same way (e.g. an earlier commit's dist/chrome).
//   node scripts/build.mjs chrome && node --import tsx bench/contentscripts.bench.ts   [N=20 LATCHKEY_DIST=...]
import { launchLatchkey } from '../testing/chromium';
import { f, startServer, stats, table, writeResults } from './lib';
const js = (name: string, n: number) => `window.${name} = []; for (let i = 0; i < ${n}; i++) window.${name}.push({ i, s: 'x' + i });`;
const srv = await startServer({ '/page': { type: 'text/html', body: `<!doctype html><html><head><script src="/a.js"></script></head><body>${'<p>x</p>'.repeat(50)}</body></html>` }, '/a.js': { type: 'text/javascript', body: js('a', 2000) } });
const lk = await launchLatchkey(process.env.LATCHKEY_DIST ? { extensionDir: process.env.LATCHKEY_DIST } : {});
const page = await lk.context.newPage();
const cdp = await lk.context.newCDPSession(page);
const N = Number(process.env.N ?? 20);
const events: any[] = [];
cdp.on('Tracing.dataCollected', (e: any) => events.push(...e.value));
await page.goto(`${srv.url}/page`);
await cdp.send('Tracing.start', { categories: 'devtools.timeline,v8,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
for (let i = 0; i < N; i++) await page.goto(`${srv.url}/page?${i}`, { waitUntil: 'load' });
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.end'); await done;
const byUrl: Record<string, number[]> = {};
for (const e of events) {
  if (e.ph !== 'X' || !e.dur) continue;
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
await lk.close();
await srv.close();
writeResults(process.env.LATCHKEY_DIST ? 'contentscripts-other-build' : 'contentscripts', { method: { n: N, dist: process.env.LATCHKEY_DIST ?? 'dist/chrome' }, stats: Object.fromEntries(Object.entries(byUrl).map(([k, v]) => [k, stats(v)])), markdown: md });
