// Page-load cost of Latchkey's content scripts (main-world.js in the page's world and bridge.js in
// the isolated world, both at document_start in every frame): the same small page (HTML, a
// stylesheet, three scripts) from node:http on localhost loaded N times in two persistent Chromium
// contexts with the same flags, one with Latchkey and one without, alternating. Navigation timing
// from performance.getEntriesByType('navigation'). Also: the size of each shipped script in
// dist/chrome (bytes, gzip bytes) and main-world.js's own evaluation time in a page.
//   node scripts/build.mjs && node --import tsx bench/pageload.bench.ts   [N=50]
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

// The same comparison inside ONE browser (Latchkey's): the page from http://localhost (where the
// content scripts run) and from http://127.0.0.1 (same server, same bytes, a secure context too,
// but outside the manifest's matches, so no content script runs). Both tabs share the browser's
// processes, flags and state, so the difference is the content scripts alone; the two-browser
// comparison above also carries whatever differs between two browser instances (see responseEnd,
// which no script can affect).
async function sameBrowser(ctx: BrowserContext, n: number, mainWorld = true) {
  const mk = async (base: string) => {
    const page = await ctx.newPage();
    return async (): Promise<Nav> => { await page.goto(`${base}/page`, { waitUntil: 'load' }); return (await page.evaluate(NAV)) as Nav; };
  };
  const on = await mk(srv.url), off = await mk(srv.url.replace('localhost', '127.0.0.1'));
  for (let i = 0; i < 5; i++) { await on(); await off(); }
  const a: Nav[] = [], b: Nav[] = [];
  for (let i = 0; i < n; i++) { if (i % 2) { a.push(await on()); b.push(await off()); } else { b.push(await off()); a.push(await on()); } }
  if ((mainWorld && !a.every((x) => x.latchkey)) || b.some((x) => x.latchkey)) throw new Error('same browser: content scripts (not) present where expected');
  return { with: a, without: b };
}
const same = await sameBrowser(lk.context, N);
// Which script costs what: copies of dist/chrome whose manifest keeps only one of the two content
// scripts (VARIANTS=1), each measured the same way in its own browser.
const variants: Record<string, { with: Nav[]; without: Nav[] }> = {};
if (process.env.VARIANTS === '1') {
  // 'both' is the shipped manifest in a fresh browser, like the two single-script copies: it tells
  // whether a difference comes from the scripts or from the browser the first comparison ran in.
  for (const keep of ['main-world.js', 'bridge.js', 'both']) {
    const dir = mkdtempSync(join(tmpdir(), 'latchkey-bench-variant-'));
    cpSync(CHROME_DIST, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    if (keep !== 'both') manifest.content_scripts = manifest.content_scripts.filter((c: { js: string[] }) => c.js.includes(keep));
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const v = await launchLatchkey({ extensionDir: dir });
    try { variants[keep + ' only'] = await sameBrowser(v.context, N, keep !== 'bridge.js'); } finally { await v.close(); rmSync(dir, { recursive: true, force: true }); }
  }
}

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
console.log(`Page load, two browsers (one with Latchkey, one without), ${N} loads each (ms since navigation start, medians)`);
const md1 = table(['metric', 'with Latchkey', 'without', 'difference', 'difference %'], rows);
const spread = (xs: Nav[], k: keyof Nav) => { const st = stats(xs.map((x) => x[k] as number)); return `${f(st.p10)}–${f(st.p90)}`; };
function sameTable(title: string, r: { with: Nav[]; without: Nav[] }): string {
  console.log(title);
  return `${title}\n\n` + table(['metric', 'content scripts', 'p10–p90', 'none', 'p10–p90', 'difference', 'difference %'], (['responseEnd', 'domInteractive', 'dcl', 'load'] as const).map((k) => {
    const a = m(r.with, k), b = m(r.without, k);
    return [k === 'dcl' ? 'domContentLoadedEventEnd' : k === 'load' ? 'loadEventEnd' : k, f(a), spread(r.with, k), f(b), spread(r.without, k), f(a - b), f(((a - b) / b) * 100, 1) + '%'];
  }));
}
const mdSame = [sameTable(`Page load, one browser with Latchkey: http://localhost (content scripts) vs http://127.0.0.1 (none), ${N} loads each, alternating`, same),
  ...Object.entries(variants).map(([k, r]) => sameTable(`Variant: ${k} (same method)`, r))].join('\n\n');

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
  sameBrowser: { with: { dcl: stats(same.with.map((x) => x.dcl)), load: stats(same.with.map((x) => x.load)) }, without: { dcl: stats(same.without.map((x) => x.dcl)), load: stats(same.without.map((x) => x.load)) }, raw: same },
  variants,
  raw: { with: with_, without }, sizes, mainWorldEvalMs: { ...ev, first: evalTimes[0] }, markdown: [md1, mdSame, md2].join('\n\n'),
});
