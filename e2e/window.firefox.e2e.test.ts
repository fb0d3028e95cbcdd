// The ceremony window in Firefox ESR (Marionette), the cases e2e/window.e2e.test.ts and
// e2e/window.tabs.e2e.test.ts show in Chromium: hints choose the focus; after "Save passkey" the page
// is answered at once and the window offers to name the passkey; storing fails and "Try again"
// saves; "Always use the browser on this site"; an abort or leaving the page closes the window;
// three tabs at once, answered out of order.
// One browser for the whole file; the tests run in order.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { openCeremonyWindow, until, waitForWindowGone } from './flows/firefoxDemoFlow';
import type { FirefoxDriver } from './lib/firefox';
import { launchLatchkeyFirefox, type LatchkeyInFirefox } from '../testing/firefox';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-window-ff-'));
let rp: DemoRp;
let lk: LatchkeyInFirefox;
let ff: FirefoxDriver;
before(async () => {
  rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') });
  lk = await launchLatchkeyFirefox({ virtualAuthenticator: true, prefs: { 'network.dns.localDomains': 'a.localhost,b.localhost,c.localhost' } });
  ff = lk.driver;
  await lk.latchkey.skipPin();
});
after(async () => { await lk?.close(); await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

type Outcome = { id: string; type: string; origin: string } | { error: string } | { reason: string };
interface CallOptions { hints?: string[]; userName?: string; abortable?: boolean; inFrame?: boolean }

/** Starts a WebAuthn call in the current tab (Marionette runs one command at a time); read it with outcome(). */
const START = `(op, o) => {
  window.__outcome = null;
  // In a same-origin frame: that frame's own navigator.credentials and realm.
  const w = o.inFrame ? document.querySelector('iframe').contentWindow : window;
  const challenge = w.crypto.getRandomValues(new w.Uint8Array(32));
  const publicKey = op === 'create'
    ? { rp: { name: 'Window' }, user: { id: w.crypto.getRandomValues(new w.Uint8Array(8)), name: o.userName, displayName: o.userName },
        challenge, pubKeyCredParams: [{ type: 'public-key', alg: -7 }], hints: o.hints || [], authenticatorSelection: { residentKey: 'required' } }
    : { challenge, hints: o.hints || [] };
  const extra = {};
  if (o.abortable) { window.__ac = new AbortController(); extra.signal = window.__ac.signal; }
  w.navigator.credentials[op]({ publicKey, ...extra }).then((c) => {
    const d = JSON.parse(new TextDecoder().decode(c.response.clientDataJSON));
    window.__outcome = { id: c.id, type: d.type, origin: d.origin };
  }, (e) => { window.__outcome = typeof e === 'string' ? { reason: e } : { error: e.name }; });
}`;
const start = (op: 'create' | 'get', o: CallOptions = {}) => ff.execute(START, [op, { userName: 'w@latchkey.test', ...o }]).then(() => undefined);
const outcome = () => until('the page\'s promise to settle', () => ff.execute<Outcome | null>('() => window.__outcome'));
// The focused button's text; none until the window's choices are armed (popup/arming.ts).
const focusedText = () => ff.execute<string>('() => (document.activeElement && document.activeElement.localName === "button" && document.activeElement.textContent || "").trim()');
const label = async (id: string) => (await lk.latchkey.listPasskeys()).find((p) => p.credentialId === id)?.label;
/**
 * In an extension page of Latchkey: fills its storage.session to the last bytes Firefox allows
 * (Firefox enforces a quota but exposes no QUOTA_BYTES, so the largest filler that fits is found
 * by halving), or removes the filler again.
 */
const FILL_SESSION_STORAGE = `async (full) => {
  const session = browser.storage.session;
  if (!full) { await session.remove('test.filler'); return 'freed'; }
  const fits = (n) => session.set({ 'test.filler': 'x'.repeat(n) }).then(() => true, () => false);
  let lo = 0, hi = 16 * 1024 * 1024;
  while (hi - lo > 8) { const mid = Math.floor((lo + hi) / 2); if (await fits(mid)) lo = mid; else hi = mid; }
  await fits(lo);
  return 'full';
}`;
const idOf = (o: Outcome) => ('id' in o ? o.id : assert.fail(`expected a credential, got ${JSON.stringify(o)}`));

describe('Firefox ESR: the ceremony window', { timeout: 240_000 }, () => {
  test('hints choose the focused choice', async () => {
    await ff.navigate(`${rp.url}/playground`);
    for (const [hints, expected] of [[[], 'Save passkey'], [['client-device'], 'Save passkey'], [['security-key'], 'Use another device or security key'], [['hybrid', 'client-device'], 'Use another device or security key']] as const) {
      const { main, popup } = await openCeremonyWindow(ff, () => start('create', { hints: [...hints] }));
      await ff.waitForText('Save passkey');
      assert.equal(await until('the focus', async () => (await focusedText()) || null), expected, `hints ${JSON.stringify(hints)}`);
      await ff.clickButton('Cancel');
      await waitForWindowGone(ff, popup);
      await ff.switchToWindow(main);
      assert.deepEqual(await outcome(), { error: 'NotAllowedError' });
    }
  });

  test('after "Save passkey" the page has its passkey at once; the name is saved with Enter, kept with Done or by closing the window', async () => {
    await ff.navigate(`${rp.url}/playground`);
    // 1. A new name, typed and saved with Enter.
    let { main, popup } = await openCeremonyWindow(ff, () => start('create'));
    await ff.clickButton('Save passkey');
    await ff.waitForText('Passkey saved');
    await ff.switchToWindow(main);
    const first = idOf(await outcome()); // answered while the window still offers the name
    assert.ok((await ff.windowHandles()).includes(popup));
    await ff.switchToWindow(popup);
    assert.deepEqual(await ff.execute('() => [document.activeElement.value, document.activeElement.labels[0].textContent]'), ['w@latchkey.test', 'Passkey name'], 'the name box has the focus, with the user name');
    await ff.fillTextbox('Passkey name', 'Firefox laptop\uE007'); // \uE007: the Enter key
    await waitForWindowGone(ff, popup);
    await ff.switchToWindow(main);
    assert.equal(await label(first), 'Firefox laptop');
    // 2. "Done" keeps the suggestion.
    ({ main, popup } = await openCeremonyWindow(ff, () => start('create')));
    await ff.clickButton('Save passkey');
    await ff.clickButton('Done');
    await waitForWindowGone(ff, popup);
    await ff.switchToWindow(main);
    assert.equal(await label(idOf(await outcome())), null);
    // 3. Closing the window at the naming step keeps it too; the page has its passkey.
    ({ main, popup } = await openCeremonyWindow(ff, () => start('create')));
    await ff.clickButton('Save passkey');
    await ff.waitForText('Passkey saved');
    await ff.closeWindow();
    await ff.switchToWindow(main);
    assert.equal(await label(idOf(await outcome())), null);
    assert.equal((await lk.latchkey.lastCeremony())?.outcome, 'created');
  });

  test('storing fails (the browser\'s storage for Latchkey is full): the window says so, "Try again" saves, the page gets its passkey', async () => {
    await ff.navigate(`${rp.url}/playground`);
    const { main, popup } = await openCeremonyWindow(ff, () => start('create', { userName: 'full@latchkey.test' }));
    await ff.waitForText('Save passkey');
    // A real failure, no hook in Latchkey: the window (an extension page) fills Latchkey's
    // storage.session up to Firefox's quota, so the Save's first write is refused.
    assert.equal(await ff.executeAsync(FILL_SESSION_STORAGE, [true]), 'full');
    await ff.clickButton('Save passkey');
    await ff.waitForText('Something went wrong');
    const alert = await ff.execute<string>('() => document.querySelector(\'[role="alert"]\').textContent');
    assert.match(alert, /storage .*is full.*nothing was saved/i);
    assert.equal(await until('the focus', async () => (await focusedText()) || null), 'Try again');
    assert.equal((await lk.latchkey.listPasskeys()).filter((p) => p.userName === 'full@latchkey.test').length, 0, 'nothing half-saved');
    assert.equal(await ff.executeAsync(FILL_SESSION_STORAGE, [false]), 'freed');
    await ff.clickButton('Try again');
    await ff.clickButton('Save passkey');
    await ff.waitForText('Passkey saved');
    await ff.switchToWindow(main);
    const id = idOf(await outcome());
    assert.deepEqual((await lk.latchkey.listPasskeys()).filter((p) => p.userName === 'full@latchkey.test').map((p) => p.credentialId), [id]);
    await ff.switchToWindow(popup);
    await ff.clickButton('Done');
    await waitForWindowGone(ff, popup);
    await ff.switchToWindow(main);
  });

  test('"Always use the browser on this site" hands over now and later without a window', async () => {
    const authenticatorId = await ff.addVirtualAuthenticator({ transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true });
    try {
      await ff.navigate(`${rp.url}/playground`);
      await lk.latchkey.answerNext({ kind: 'hand-over' });
      await start('create', { userName: 'key@latchkey.test' });
      const onKey = idOf(await outcome());
      await lk.latchkey.useWindow();
      const { main, popup } = await openCeremonyWindow(ff, () => start('get'));
      await ff.clickButton('Always use the browser on this site');
      await waitForWindowGone(ff, popup);
      await ff.switchToWindow(main);
      assert.equal(idOf(await outcome()), onKey, 'the browser answered, with the security key');
      assert.deepEqual((await lk.latchkey.updateSettings({})).handoverSites, ['localhost']);
      const before = await ff.windowHandles();
      await start('get');
      assert.equal(idOf(await outcome()), onKey);
      assert.deepEqual(await ff.windowHandles(), before, 'no window the second time');
    } finally {
      await lk.latchkey.updateSettings({ handoverSites: [] });
      await ff.removeVirtualAuthenticator(authenticatorId);
    }
  });

  test('an abort rejects with the signal\'s reason and closes the window; so does leaving the page', async () => {
    await ff.navigate(`${rp.url}/playground`);
    let { main, popup } = await openCeremonyWindow(ff, () => start('create', { abortable: true }));
    await ff.waitForText('Save passkey');
    await ff.switchToWindow(main);
    await ff.execute('() => window.__ac.abort("stop right there")');
    assert.deepEqual(await outcome(), { reason: 'stop right there' });
    await waitForWindowGone(ff, popup);
    ({ main, popup } = await openCeremonyWindow(ff, () => start('create')));
    await ff.waitForText('Save passkey');
    await ff.switchToWindow(main);
    await ff.navigate(`${rp.url}/`);
    await waitForWindowGone(ff, popup);
    assert.equal((await lk.latchkey.lastCeremony())?.outcome, 'dropped');
  });

  test('three tabs on three sites at once, answered out of order: each answer reaches its own tab and frame', async () => {
    const site = (s: string) => `http://${s}.localhost:${rp.port}`;
    const authenticatorId = await ff.addVirtualAuthenticator({ transport: 'usb', hasResidentKey: true, hasUserVerification: true, isUserVerified: true });
    try {
      const tabs: Record<string, string> = {};
      for (const s of ['a', 'b', 'c']) {
        tabs[s] = (await ff.send<{ handle: string }>('WebDriver:NewWindow', { type: 'tab', focus: true })).handle;
        await ff.switchToWindow(tabs[s]);
        await ff.navigate(`${site(s)}/playground`);
      }
      // b.localhost needs a passkey in Latchkey for its get() to open a window; a.localhost asks from a frame.
      await ff.switchToWindow(tabs.b!);
      await lk.latchkey.answerNext({ kind: 'save' });
      await start('create', { userName: 'b@latchkey.test' });
      idOf(await outcome());
      await lk.latchkey.useWindow();
      await ff.switchToWindow(tabs.a!);
      await ff.executeAsync(`async () => { const f = document.createElement('iframe'); f.src = '/playground';
        await new Promise((r) => { f.onload = r; document.body.append(f); }); }`);

      const known = await ff.windowHandles();
      for (const [s, op] of [['a', 'create'], ['b', 'get'], ['c', 'create']] as const) {
        await ff.switchToWindow(tabs[s]!);
        await start(op, { userName: `${s}@latchkey.test`, inFrame: s === 'a' });
      }
      const popups = await until('three ceremony windows', async () => {
        const fresh = (await ff.windowHandles()).filter((h) => !known.includes(h));
        return fresh.length === 3 ? fresh : null;
      });
      const windowOf: Record<string, string> = {};
      for (const h of popups) {
        await ff.switchToWindow(h);
        await ff.waitForText('Cancel');
        const host = await ff.execute<string>('() => document.querySelector(".site").textContent');
        windowOf[host.split('.')[0]!] = h;
      }
      assert.deepEqual(Object.keys(windowOf).sort(), ['a', 'b', 'c'], 'one window per tab');

      // c: hand over to the browser (the virtual security key); then a: save; then b: cancel.
      await ff.switchToWindow(windowOf.c!);
      await ff.clickButton('Use another device or security key');
      await waitForWindowGone(ff, windowOf.c!);
      await ff.switchToWindow(tabs.c!);
      const c = await outcome();
      assert.deepEqual({ ...c, id: undefined }, { id: undefined, type: 'webauthn.create', origin: site('c') });
      assert.deepEqual((await ff.getCredentials(authenticatorId)).map((k) => Buffer.from(k.credentialId, 'base64').toString('base64url')), [idOf(c)]);

      await ff.switchToWindow(windowOf.a!);
      await ff.clickButton('Save passkey');
      await ff.clickButton('Done');
      await waitForWindowGone(ff, windowOf.a!);
      await ff.switchToWindow(tabs.a!);
      const a = await outcome();
      assert.deepEqual({ ...a, id: undefined }, { id: undefined, type: 'webauthn.create', origin: site('a') }, 'the frame in tab a got it');

      assert.ok((await ff.windowHandles()).includes(windowOf.b!), 'b still waits for its person');
      await ff.switchToWindow(windowOf.b!);
      await ff.clickButton('Cancel');
      await waitForWindowGone(ff, windowOf.b!);
      await ff.switchToWindow(tabs.b!);
      assert.deepEqual(await outcome(), { error: 'NotAllowedError' });

      const held = await lk.latchkey.listPasskeys();
      assert.equal(held.find((p) => p.rpId === 'a.localhost')?.credentialId, idOf(a));
      assert.deepEqual(held.filter((p) => p.rpId.endsWith('.localhost')).map((p) => p.rpId).sort(), ['a.localhost', 'b.localhost']);
    } finally {
      await ff.removeVirtualAuthenticator(authenticatorId);
    }
  });
});
