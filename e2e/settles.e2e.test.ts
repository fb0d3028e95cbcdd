// Every call settles, in Chromium and Firefox (CONTRACT.md, "In every page"):
// - the ceremony's timeout ends it with NotAllowedError and closes Latchkey's window. A page's
//   timeout is clamped to 30 s – 10 min (§5.1.3 step 6 / §5.1.4.1 step 5, README); the test asks
//   for 1 ms, which the clamp makes 30 s: the one real-timeout test, in each browser;
// - a hand-over gives the browser's own call the page's AbortSignal and timeout, so the page never
//   waits on Latchkey for an answer the browser owns: aborted after the hand-over (chosen by the
//   person, and automatic), it rejects with the signal's reason; with a timeout of its own and
//   nobody answering the browser, the browser's call ends it with NotAllowedError.
// No virtual authenticator is attached (and Firefox's soft token is off), so the browser's own call
// has nobody to answer it and waits, as for a person with no security key at hand, until its signal
// or its timeout ends it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBlankSite } from './conformance/browsers';
import { SIDES, type Side } from './lib/sides';

const CREATE_OPTIONS = `({ rp: { name: 'Settles' }, challenge: new Uint8Array(32).fill(5),
  user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'settles@latchkey.test', displayName: 'Settles' },
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }] })`;

/** A create() with the page's own timeout; resolves with the outcome (an id, or the error's name). */
const CREATE_WITH_TIMEOUT = `async (timeout) => {
  try { const c = await navigator.credentials.create({ publicKey: { ...${CREATE_OPTIONS}, timeout } }); return { id: c.id }; }
  catch (e) { return { error: e.name }; }
}`;

/** create() or get() aborted by the page a moment after the call; the reason comes back as given. */
const ABORTED_LATER = `async (op, ms) => {
  const ac = new AbortController();
  const publicKey = op === 'create' ? ${CREATE_OPTIONS} : { challenge: new Uint8Array(32).fill(6) };
  const p = navigator.credentials[op]({ publicKey, signal: ac.signal });
  setTimeout(() => ac.abort('the page stopped waiting'), ms);
  try { await p; return { resolved: true }; } catch (e) { return { reason: e }; }
}`;

/** A get() handed to the browser (no Latchkey passkey here) with the page's own timeout. */
const GET_WITH_TIMEOUT = `async (timeout) => {
  try { await navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32).fill(7), timeout } }); return { resolved: true }; }
  catch (e) { return { error: e.name }; }
}`;

let site: Awaited<ReturnType<typeof startBlankSite>>;
before(async () => { site = await startBlankSite(); });
after(async () => { await site?.close(); });

for (const { name, launch } of SIDES) {
  describe(`every call settles in ${name}`, { timeout: 300_000 }, () => {
    let side: Side;
    before(async () => {
      side = await launch({ securityKeys: false });
      await side.latchkey.skipPin();
      await side.goto(site.url);
    });
    after(async () => { await side?.close(); });

    test('the timeout (1 ms, clamped to 30 s) ends the ceremony with NotAllowedError and closes the window', async () => {
      await side.latchkey.useWindow();
      const { outcome, closed } = await side.withWindow(CREATE_WITH_TIMEOUT, [1], 20_000);
      // Nobody answers the window: only the timeout can end the ceremony.
      assert.deepEqual(await outcome, { error: 'NotAllowedError' });
      await closed(20_000);
      assert.equal((await side.latchkey.lastCeremony())?.outcome, 'NotAllowedError');
    });

    test('"Use another device or security key", then the page aborts: the browser\'s call has the page\'s signal', async () => {
      await side.latchkey.answerNext({ kind: 'hand-over' });
      assert.deepEqual(await side.run(ABORTED_LATER, ['create', 1500]), { reason: 'the page stopped waiting' });
      assert.equal((await side.latchkey.lastCeremony())?.outcome, 'handover');
    });

    test('an automatic hand-over (no Latchkey passkey for the site), then the page aborts: rejected with its reason', async () => {
      await side.latchkey.clearPasskeys();
      await side.latchkey.approveAll();
      assert.deepEqual(await side.run(ABORTED_LATER, ['get', 1500]), { reason: 'the page stopped waiting' });
    });

    test('a hand-over with the page\'s own timeout (10 s): the browser\'s call ends it with NotAllowedError', async () => {
      await side.latchkey.clearPasskeys();
      await side.latchkey.approveAll();
      // Chromium: a security key nobody touches (with no authenticator at all, Chromium's own call
      // never times out in headless mode); Firefox: no soft token, so it waits for a USB key.
      if (side.name === 'chromium') await side.addSecurityKey({ presence: false });
      assert.deepEqual(await side.run(GET_WITH_TIMEOUT, [10_000], 120_000), { error: 'NotAllowedError' });
    });

  });
}
