// Ceremony time as the page sees it (performance.now() around `await navigator.credentials.create()`
// and `.get()`), Latchkey in automatic mode (skipPin + approveAll, no window) against the browser's
// own virtual authenticator in a browser WITHOUT the extension. Chromium: CDP WebAuthn virtual
// authenticator; Firefox ESR: Marionette WebAuthn soft token. Batches alternate between the two so
// both see the same machine load. Not a test: prints tables, writes bench/results/ceremony.json.
//   node scripts/build.mjs && node --import tsx bench/ceremony.bench.ts   [BATCHES=10 BATCH=3 SKIP_FIREFOX=1]
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH } from '../e2e/lib/chromium';
import { isScriptError, launchFirefox } from '../e2e/lib/firefox';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import { CEREMONY_LOOP, f, median, SW_INSTRUMENT, SW_READ, startServer, stats, table, writeResults, type LoopResult, type SwCounters } from './lib';

// Chromium's virtual authenticator refuses a 4th resident credential here (NotAllowedError), so
// batches are 3 create+get pairs, and both sides clear their credentials after each batch.
const BATCHES = Number(process.env.BATCHES ?? 10);
const BATCH = Number(process.env.BATCH ?? 3);
const UV = 'preferred';
const ARGS = ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const srv = await startServer();
const rpId = 'localhost';
const out: Record<string, unknown> = { method: { batches: BATCHES, batch: BATCH, uv: UV, rpId } };
const md: string[] = [];

function merge(into: LoopResult, r: LoopResult) { into.create.push(...r.create); into.get.push(...r.get); into.split.push(...r.split); }
const empty = (): LoopResult => ({ create: [], get: [], split: [] });

// ---------------------------------------------------------------- Chromium
{
  console.log('Chromium: Latchkey (automatic) vs CDP virtual authenticator');
  const lk = await launchLatchkey({ args: [] });
  // BASELINE_DIST: another build of Latchkey (e.g. an earlier commit's dist/chrome), run in the same
  // alternation, so "before" and "after" meet the same machine load.
  const base = process.env.BASELINE_DIST ? await launchLatchkey({ args: [], extensionDir: process.env.BASELINE_DIST }) : null;
  const plain = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
  try {
    await lk.latchkey.skipPin();
    await lk.latchkey.approveAll();
    const lkPage = await lk.context.newPage();
    await lkPage.goto(srv.url);
    let basePage: typeof lkPage | null = null;
    if (base) { await base.latchkey.skipPin(); await base.latchkey.approveAll(); basePage = await base.context.newPage(); await basePage.goto(srv.url); }
    const natCtx = await plain.newContext();
    const natPage = await natCtx.newPage();
    await natPage.goto(srv.url);
    const cdp = await natCtx.newCDPSession(natPage);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    const run = async (page: typeof lkPage, n: number) => (await page.evaluate(`(${CEREMONY_LOOP})(${JSON.stringify({ n, rpId, uv: UV })})`)) as LoopResult;
    // Warm-up (first-use costs: JIT, IndexedDB open, CDP authenticator set-up).
    await run(lkPage, 3); await run(natPage, 3);
    if (basePage) { await run(basePage, 3); await base!.latchkey.clearPasskeys(); }
    await lk.latchkey.clearPasskeys(); await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
    const L = empty(); const N = empty(); const B = empty();
    for (let b = 0; b < BATCHES; b++) {
      merge(L, await run(lkPage, BATCH));
      merge(N, await run(natPage, BATCH));
      if (basePage) { merge(B, await run(basePage, BATCH)); await base!.latchkey.clearPasskeys(); }
      await lk.latchkey.clearPasskeys();
      await cdp.send('WebAuthn.clearCredentials', { authenticatorId });
    }
    // Where the time goes: page-side split (from the same runs) and background counters (a separate,
    // instrumented run: the instrument itself costs a little).
    const sw = lk.context.serviceWorkers()[0]!;
    await sw.evaluate(SW_INSTRUMENT);
    await lkPage.reload(); // the frame's port opens again, now seen by the instrument
    await sw.evaluate(SW_READ);
    const inst = await run(lkPage, 5);
    const counters = (await sw.evaluate(SW_READ)) as SwCounters;
    await lk.latchkey.clearPasskeys();

    const sc = stats(L.create), sg = stats(L.get), nc = stats(N.create), ng = stats(N.get);
    md.push('### Chromium (ms, page-side, medians of ' + sc.n + ')');
    md.push(table(['op', 'Latchkey median', 'p10', 'p90', 'virtual auth median', 'p10', 'p90', 'ratio'], [
      ['create', f(sc.median), f(sc.p10), f(sc.p90), f(nc.median), f(nc.p10), f(nc.p90), f(sc.median / nc.median, 1) + 'x'],
      ['get', f(sg.median), f(sg.p10), f(sg.p90), f(ng.median), f(ng.p10), f(ng.p90), f(sg.median / ng.median, 1) + 'x'],
    ]));
    if (basePage) {
      const bc = stats(B.create), bg = stats(B.get);
      md.push(`Baseline build (${process.env.BASELINE_DIST}), same alternation:`);
      md.push(table(['op', 'baseline median', 'p10', 'p90', 'ratio to virtual auth', 'this build', 'change'], [
        ['create', f(bc.median), f(bc.p10), f(bc.p90), f(bc.median / nc.median, 1) + 'x', f(sc.median), f(((sc.median - bc.median) / bc.median) * 100, 0) + '%'],
        ['get', f(bg.median), f(bg.p10), f(bg.p90), f(bg.median / ng.median, 1) + 'x', f(sg.median), f(((sg.median - bg.median) / bg.median) * 100, 0) + '%'],
      ]));
      out.baseline = { dist: process.env.BASELINE_DIST, create: bc, get: bg, raw: B };
    }
    const split = (op: string) => L.split.filter((s) => s.op === op);
    md.push('Latchkey page-side split (median ms): call → envelope posted (option conversion), posted → answer envelope (bridge + port + background), answer → promise settled (credential objects)');
    md.push(table(['op', 'to post', 'round trip', 'to resolve'], ['create', 'get'].map((op) => [
      op, f(median(split(op).map((s) => s.toPost))), f(median(split(op).map((s) => s.roundTrip))), f(median(split(op).map((s) => s.toResolve))),
    ])));
    const perCeremony = Object.fromEntries(Object.entries(counters.counts).map(([k, v]) => [k, `${(v / (inst.create.length * 2)).toFixed(1)} calls, ${(counters.times[k]! / (inst.create.length * 2)).toFixed(2)} ms`]));
    md.push(`Background, per ceremony (average of ${inst.create.length} create + ${inst.get.length} get, instrumented run): request message → result message posted, median ${f(median(counters.ports))} ms; port connected → first request message, ${f(median(counters.connectToMessage ?? []))} ms`);
    md.push(table(['operation', 'per ceremony (count, summed ms)'], Object.entries(perCeremony).sort()));
    out.chromium = { latchkey: { create: sc, get: sg, raw: L }, native: { create: nc, get: ng, raw: N }, ratio: { create: sc.median / nc.median, get: sg.median / ng.median }, backgroundCounters: counters, backgroundPortMs: stats(counters.ports), instrumentedRun: inst };
  } finally {
    await lk.close();
    await base?.close();
    await plain.close();
  }
}

// ---------------------------------------------------------------- Firefox
if (process.env.SKIP_FIREFOX !== '1') {
  console.log('Firefox: Latchkey (automatic) vs Marionette virtual authenticator');
  const lk = await launchLatchkeyFirefox({});
  const nat = await launchFirefox({ virtualAuthenticator: true });
  try {
    await lk.latchkey.skipPin();
    await lk.latchkey.approveAll();
    await lk.driver.navigate(srv.url);
    const authId = await nat.addVirtualAuthenticator({ transport: 'internal' });
    await nat.navigate(srv.url);
    const run = async (d: typeof nat, n: number) => {
      const r = await d.executeAsync<LoopResult>(CEREMONY_LOOP, [{ n, rpId, uv: UV }], { timeoutMs: 120_000 });
      if (isScriptError(r)) throw new Error(`${r.__error.name}: ${r.__error.message}`);
      return r;
    };
    await run(lk.driver, 3); await run(nat, 3);
    await lk.latchkey.clearPasskeys(); await nat.removeAllCredentials(authId);
    const L = empty(); const N = empty();
    for (let b = 0; b < BATCHES; b++) {
      merge(L, await run(lk.driver, BATCH));
      merge(N, await run(nat, BATCH));
      await lk.latchkey.clearPasskeys();
      await nat.removeAllCredentials(authId);
    }
    const sc = stats(L.create), sg = stats(L.get), nc = stats(N.create), ng = stats(N.get);
    md.push('### Firefox ESR (ms, page-side, medians of ' + sc.n + ')');
    md.push(table(['op', 'Latchkey median', 'p10', 'p90', 'virtual auth median', 'p10', 'p90', 'ratio'], [
      ['create', f(sc.median), f(sc.p10), f(sc.p90), f(nc.median), f(nc.p10), f(nc.p90), f(sc.median / nc.median, 1) + 'x'],
      ['get', f(sg.median), f(sg.p10), f(sg.p90), f(ng.median), f(ng.p10), f(ng.p90), f(sg.median / ng.median, 1) + 'x'],
    ]));
    const split = (op: string) => L.split.filter((s) => s.op === op);
    md.push(table(['op (Latchkey split)', 'to post', 'round trip', 'to resolve'], ['create', 'get'].map((op) => [
      op, f(median(split(op).map((s) => s.toPost))), f(median(split(op).map((s) => s.roundTrip))), f(median(split(op).map((s) => s.toResolve))),
    ])));
    out.firefox = { latchkey: { create: sc, get: sg, raw: L }, native: { create: nc, get: ng, raw: N }, ratio: { create: sc.median / nc.median, get: sg.median / ng.median } };
  } finally {
    await lk.close();
    await nat.quit();
  }
}

await srv.close();
out.markdown = md.join('\n\n');
writeResults('ceremony', out);
