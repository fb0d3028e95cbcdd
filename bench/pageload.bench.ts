// Page-load cost of Latchkey's content scripts (main-world.js in the page's world and bridge.js in
// the isolated world, both at document_start in every frame): the same small page (HTML, a
// stylesheet, three scripts) from node:http on localhost loaded N times in two persistent Chromium
// contexts with the same flags, one with Latchkey and one without, alternating. Navigation timing
// from performance.getEntriesByType('navigation'). Also: the size of each shipped script in
// dist/chrome (bytes, gzip bytes) and main-world.js's own evaluation time in a page.
//   node scripts/build.mjs && node --import tsx bench/pageload.bench.ts   [N=50]
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext } from 'playwright-core';
import { CHROME_DIST, CHROMIUM_PATH } from '../e2e/lib/chromium';
import { launchLatchkey } from '../testing/chromium';
import { f, median, startServer, stats, table, writeResults } from './lib';

const N = Number(process.env.N ?? 50);
const js = (name: string, n: number) => `window.${name} = []; for (let i = 0; i < ${n}; i++) window.${name}.push({ i, s: 'x' + i }); document.documentElement.dataset.${name} = String(window.${name}.length);`;
const srv = await startServer({
  '/page': { type: 'text/html; charset=utf-8', body: `<!doctype html><html><head><meta charset="utf-8"><title>page-load bench</title>
<link rel="stylesheet" href="/style.css"><script src="/a.js"></script><script src="/b.js" defer></script>
</head><body><h1>Page-load bench</h1>${'<p>Some text with <a href="#">a link</a> in it.</p>'.repeat(50)}
<script>document.body.dataset.inline = '1';</script><script src="/c.js" async></script></body></html>` },
  '/style.css': { type: 'text/css', body: 'body { font: 16px sans-serif; margin: 2em; } p { color: #333; } a { color: #06c; }' },
  '/a.js': { type: 'text/javascript', body: js('a', 2000) },
  '/b.js': { type: 'text/javascript', body: js('b', 2000) },
  '/c.js': { type: 'text/javascript', body: js('c', 2000) },
});

// Same flags in both (launchChromium's), only the extension differs.
const FLAGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const lk = await launchLatchkey();
const plainDir = mkdtempSync(join(tmpdir(), 'latchkey-bench-plain-'));
const plain = await chromium.launchPersistentContext(plainDir, { executablePath: CHROMIUM_PATH, headless: true, args: FLAGS });

const NAV = `(async () => {
  for (let i = 0; i < 100; i++) {
    const e = performance.getEntriesByType('navigation')[0];
    if (e && e.loadEventEnd > 0) return { dcl: e.domContentLoadedEventEnd, load: e.loadEventEnd, responseEnd: e.responseEnd, domInteractive: e.domInteractive, latchkey: typeof navigator.credentials.create === 'function' && !/native code/.test(String(navigator.credentials.create)) };
    await new Promise((r) => setTimeout(r, 5));
  }
  return null;
})()`;
type Nav = { dcl: number; load: number; responseEnd: number; domInteractive: number; latchkey: boolean };

async function loads(ctx: BrowserContext) {
  const page = await ctx.newPage();
  return {
    async once(): Promise<Nav> {
      await page.goto(`${srv.url}/page`, { waitUntil: 'load' });
      return (await page.evaluate(NAV)) as Nav;
    },
    page,
  };
}
const L = await loads(lk.context);
const P = await loads(plain);
for (let i = 0; i < 5; i++) { await L.once(); await P.once(); } // warm-up
const with_: Nav[] = [], without: Nav[] = [];
for (let i = 0; i < N; i++) {
  // Alternate which goes first, so neither always runs right after the other's load.
  if (i % 2) { with_.push(await L.once()); without.push(await P.once()); } else { without.push(await P.once()); with_.push(await L.once()); }
}
if (!with_.every((x) => x.latchkey) || without.some((x) => x.latchkey)) throw new Error('Latchkey was (not) present where expected');

// main-world.js's own cost: evaluate its source in a plain page (no extension), 50 times.
const mainWorld = readFileSync(resolve(CHROME_DIST, 'main-world.js'), 'utf8');
const evalTimes = (await P.page.evaluate(`(() => { const src = ${JSON.stringify(mainWorld)}; const out = [];
  for (let i = 0; i < 50; i++) { const t = performance.now(); (0, eval)(src); out.push(performance.now() - t); }
  return out; })()`)) as number[];
await lk.close();
await plain.close();
rmSync(plainDir, { recursive: true, force: true });
await srv.close();

const m = (xs: Nav[], k: keyof Nav) => median(xs.map((x) => x[k] as number));
const rows = (['responseEnd', 'domInteractive', 'dcl', 'load'] as const).map((k) => {
  const a = m(with_, k), b = m(without, k);
  return [k === 'dcl' ? 'domContentLoadedEventEnd' : k === 'load' ? 'loadEventEnd' : k, f(a), f(b), f(a - b), f(((a - b) / b) * 100, 1) + '%'];
});
console.log(`Page load, ${N} loads each (ms since navigation start, medians)`);
const md1 = table(['metric', 'with Latchkey', 'without', 'difference', 'difference %'], rows);

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => { const p = join(dir, n); return statSync(p).isDirectory() ? walk(p) : [p]; });
}
const sizes = walk(CHROME_DIST).filter((p) => /\.(js|css|html)$/.test(p)).map((p) => {
  const b = readFileSync(p);
  return { file: relative(CHROME_DIST, p), bytes: b.length, gzip: gzipSync(b, { level: 9 }).length };
}).sort((a, b) => b.bytes - a.bytes);
console.log('Shipped files in dist/chrome');
const md2 = table(['file', 'bytes', 'gzip bytes'], sizes.map((s) => [s.file, s.bytes, s.gzip]));
const ev = stats(evalTimes);
console.log(`main-world.js evaluated in a page: median ${f(ev.median, 3)} ms (first ${f(evalTimes[0]!, 3)} ms, p90 ${f(ev.p90, 3)} ms)`);

writeResults('pageload', {
  method: { n: N, flags: FLAGS },
  with: { dcl: stats(with_.map((x) => x.dcl)), load: stats(with_.map((x) => x.load)) },
  without: { dcl: stats(without.map((x) => x.dcl)), load: stats(without.map((x) => x.load)) },
  raw: { with: with_, without }, sizes, mainWorldEvalMs: { ...ev, first: evalTimes[0] }, markdown: [md1, md2].join('\n\n'),
});
