// Conformance: every case of e2e/conformance/cases.ts (create() and get() arguments and behaviour,
// none needing a stored passkey) runs in four browsers in one go: Chromium with Latchkey (approving
// everything, no PIN) and without it, Firefox ESR with Latchkey and without it. Without Latchkey the
// browser's own WebAuthn client answers, with its virtual authenticator. For each case and browser,
// Latchkey's outcome must equal the browser's own, or be the documented difference of
// e2e/conformance/differences.ts (docs/DIFFERENCES.md), in which case both outcomes must be exactly
// the recorded ones. One launch per browser; cases run in batches inside the page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CASES } from './conformance/cases';
import { chromiumRunner, firefoxRunner, runAll, startBlankSite, type CaseRunner, type Outcomes } from './conformance/browsers';
import { DIFFERENCES, differenceFor, type Browser } from './conformance/differences';

let site: Awaited<ReturnType<typeof startBlankSite>>;
before(async () => { site = await startBlankSite(); });
after(async () => { await site?.close(); });

test('the table: over 130 cases, unique names, every difference names a case', () => {
  assert.ok(CASES.length > 130, `${CASES.length} cases`);
  assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  const names = new Set(CASES.map((c) => c.name));
  for (const d of DIFFERENCES) assert.ok(names.has(d.case), `difference ${d.id} names no case: ${d.case}`);
});

function suite(browser: Browser, runner: (url: string, withLatchkey: boolean) => Promise<CaseRunner>) {
  describe(`conformance in ${browser}: Latchkey against the browser's own client`, { timeout: 240_000 }, () => {
    let latchkey: Outcomes = {};
    let native: Outcomes = {};
    before(async () => {
      const runners = await Promise.allSettled([runner(site.url, true), runner(site.url, false)]);
      try {
        const [withLk, without] = runners.map((r) => { if (r.status === 'rejected') throw r.reason; return r.value; }) as [CaseRunner, CaseRunner];
        [latchkey, native] = await Promise.all([runAll(withLk, CASES), runAll(without, CASES)]);
      } finally {
        await Promise.all(runners.map((r) => (r.status === 'fulfilled' ? r.value.close() : undefined)));
      }
    });

    for (const c of CASES) {
      test(c.name, () => {
        const lk = latchkey[c.name];
        const na = native[c.name];
        assert.notEqual(na, undefined, 'the case ran without Latchkey');
        assert.notEqual(lk, undefined, 'the case ran with Latchkey');
        const d = differenceFor(c.name, browser);
        if (d) {
          assert.deepStrictEqual(na, d.native, `${d.id}: the browser's own outcome changed`);
          assert.deepStrictEqual(lk, d.latchkey, `${d.id}: Latchkey's outcome changed`);
        } else {
          assert.notDeepStrictEqual(na, { timeout: true }, 'a case that never settles in the browser proves nothing');
          assert.deepStrictEqual(lk, na, 'Latchkey differs from the browser');
        }
      });
    }
  });
}

suite('chromium', chromiumRunner);
suite('firefox', firefoxRunner);
