// The manage page with 10,000 passkeys over 1,000 sites (Chromium): time to the first rendered list
// (navigation start to the first passkey row) and time for a search to update the list (one
// keystroke's input event to the next frame with the filtered rows, once the whole list is there).
// Since schema v4 the first page comes with the state and the rest streams in (manage/list): the
// time to the whole list (the passkeys section no longer aria-busy) is measured too. Medians of N runs.
// LATCHKEY_DIST measures another build the same way (e.g. an earlier commit's dist/chrome).
//   node scripts/build.mjs && node --import tsx bench/manage.bench.ts   [PASSKEYS=10000 SITES=1000 N=10 LATCHKEY_DIST=...]
import { p256 } from '@noble/curves/nist.js';
import { toBase64url } from '../src/core/base64url';
import { launchLatchkey } from '../testing/chromium';
import { f, stats, table, writeResults } from './lib';

const PASSKEYS = Number(process.env.PASSKEYS ?? 10_000);
const SITES = Number(process.env.SITES ?? 1000);
const N = Number(process.env.N ?? 10);

const lk = await launchLatchkey(process.env.LATCHKEY_DIST ? { extensionDir: process.env.LATCHKEY_DIST } : {});
try {
  await lk.latchkey.skipPin();
  const t0 = performance.now();
  const CHUNK = 1000;
  for (let start = 0; start < PASSKEYS; start += CHUNK) {
    const items = [];
    for (let i = start; i < Math.min(PASSKEYS, start + CHUNK); i++) {
      const d = p256.utils.randomSecretKey();
      items.push({
        credentialId: toBase64url(crypto.getRandomValues(new Uint8Array(16))), rpId: `site${i % SITES}.example`,
        userHandle: toBase64url(crypto.getRandomValues(new Uint8Array(16))), userName: `user${i}@site${i % SITES}.example`,
        userDisplayName: `User ${i}`, alg: -7, publicKey: toBase64url(p256.getPublicKey(d, false)), backupEligible: false,
        backupState: false, signCount: 0, createdAt: Date.now() - i * 1000, lastUsedAt: null, label: i % 10 === 0 ? `Laptop ${i}` : null,
        privateKey: toBase64url(d),
      });
    }
    const page = lk.context.pages().find((p) => p.url().includes('/automation/')) ?? null;
    if (!page) await lk.latchkey.listPasskeys('none.example'); // opens the automation page
    const auto = lk.context.pages().find((p) => p.url().includes('/automation/'))!;
    await auto.evaluate((x) => (window as unknown as { latchkeyAutomation: { call(n: string, a: unknown): Promise<unknown> } }).latchkeyAutomation.call('importPasskeys', { items: x }), items);
  }
  const addMs = performance.now() - t0;
  const manage = await lk.context.newPage();
  // Stamped in the page itself, at the first animation frame after the DOM changed (Playwright's
  // polling would add its own latency): the first row, then the whole list (section no longer busy).
  await manage.addInitScript(() => {
    const w = window as unknown as { firstRowAt?: number; wholeListAt?: number; pending?: boolean };
    new MutationObserver(() => {
      if (w.pending || document.querySelector('[data-credential-id]') === null) return;
      w.pending = true;
      requestAnimationFrame(() => {
        w.pending = false;
        w.firstRowAt ??= performance.now();
        if (document.querySelector('#passkeys[aria-busy="true"]') === null) w.wholeListAt ??= performance.now();
      });
    }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-busy'] });
  });
  const url = `chrome-extension://${lk.extensionId}/options/options.html`;
  const firstRender: number[] = [];
  const wholeList: number[] = [];
  const filter: number[] = [];
  for (let i = 0; i < N; i++) {
    await manage.goto(url);
    // Builds before the streamed list have no aria-busy: the whole list came with the first row.
    await manage.waitForFunction(() => (window as unknown as { wholeListAt?: number }).wholeListAt !== undefined, undefined, { timeout: 60_000 });
    const at = await manage.evaluate(() => {
      const w = window as unknown as { firstRowAt: number; wholeListAt: number };
      return { first: w.firstRowAt, whole: w.wholeListAt };
    });
    firstRender.push(at.first);
    wholeList.push(at.whole);
    const rows = await manage.evaluate(() => document.querySelector('#passkeys .summary')?.textContent ?? '');
    if (!rows.startsWith(`${PASSKEYS.toLocaleString('en')} passkeys`)) throw new Error(`the list is not complete: ${rows}`);
    const box = manage.getByLabel('Search passkeys');
    const term = `site${(i * 37) % SITES}.example`;
    await box.fill(term.slice(0, -1));
    await manage.waitForTimeout(50);
    // One keystroke: input event -> next animation frame after the list changed.
    const ms = await manage.evaluate((last) => new Promise<number>((resolve) => {
      const input = document.querySelector('input[type="search"], input[aria-label="Search passkeys"]') as HTMLInputElement | null
        ?? [...document.querySelectorAll('label')].find((l) => l.textContent?.includes('Search passkeys'))?.querySelector('input') as HTMLInputElement;
      const t = performance.now();
      const obs = new MutationObserver(() => { obs.disconnect(); requestAnimationFrame(() => resolve(performance.now() - t)); });
      obs.observe(document.body, { childList: true, subtree: true, characterData: true });
      input.value += last;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }), term.slice(-1));
    filter.push(ms);
  }
  const r = { firstRender: stats(firstRender), wholeList: stats(wholeList), filter: stats(filter) };
  const md = table(['measure', 'median ms', 'p10', 'p90'], [
    [`first list render, ${PASSKEYS} passkeys (navigation start to first row)`, f(r.firstRender.median), f(r.firstRender.p10), f(r.firstRender.p90)],
    [`the whole list there (navigation start to the last page shown)`, f(r.wholeList.median), f(r.wholeList.p10), f(r.wholeList.p90)],
    ['one search keystroke to the updated list painted', f(r.filter.median), f(r.filter.p10), f(r.filter.p90)],
  ]);
  console.log(md);
  console.log(`adding ${PASSKEYS} passkeys through the automation import: ${f(addMs / 1000)} s`);
  writeResults(process.env.LATCHKEY_DIST ? 'manage-other' : 'manage', { dist: process.env.LATCHKEY_DIST, passkeys: PASSKEYS, sites: SITES, n: N, addMs, ...r, markdown: md });
} finally {
  await lk.close();
}
