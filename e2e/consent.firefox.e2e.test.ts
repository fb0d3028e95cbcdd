// Unintended consent (issue 15), Firefox ESR over Marionette: the cases e2e/consent.e2e.test.ts shows
// in Chromium. A key held down (WebDriver key actions: a second key down of a key still pressed is
// a repeat, WebDriver "dispatch a keyDown action"), untrusted events, and a second call from the same
// tab while the first window asks.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { openCeremonyWindow, until, waitForWindowGone } from './flows/firefoxDemoFlow';
import type { FirefoxDriver } from './lib/firefox';
import { launchLatchkeyFirefox, type LatchkeyInFirefox } from '../testing/firefox';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-consent-ff-'));
let rp: DemoRp;
let lk: LatchkeyInFirefox;
let ff: FirefoxDriver;
before(async () => {
  rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') });
  lk = await launchLatchkeyFirefox();
  ff = lk.driver;
  await lk.latchkey.skipPin();
});
after(async () => { await lk?.close(); await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

/** Starts create() (userVerification discouraged); every outcome is pushed to window.__outcomes. */
const START = `(name) => {
  window.__outcomes = window.__outcomes || [];
  const publicKey = { rp: { name: 'Consent' }, user: { id: crypto.getRandomValues(new Uint8Array(8)), name, displayName: name },
    challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey: 'required', userVerification: 'discouraged' } };
  navigator.credentials.create({ publicKey }).then((c) => window.__outcomes.push('created ' + c.id), (e) => window.__outcomes.push(e.name));
}`;
const start = (name = 'c@latchkey.test') => ff.execute(START, [name]).then(() => undefined);
const outcomes = () => ff.execute<string[]>('() => window.__outcomes || []');
const outcomesAtLeast = (n: number) => until(`${n} outcomes`, async () => { const o = await outcomes(); return o.length >= n ? o : null; });
const saveDisabled = () => ff.execute<boolean | null>(`() => { const b = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Save passkey'); return b ? b.disabled : null; }`);
const focusedButton = () => ff.execute<string | null>('() => document.activeElement && document.activeElement.localName === "button" ? document.activeElement.textContent.trim() : null');
const keys = (...actions: { type: 'keyDown' | 'keyUp'; value: string }[]) =>
  ff.send('WebDriver:PerformActions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
const ENTER = '\uE007';

/** Nothing was approved: no passkey, the page waits, the window is open; then a real click saves. */
async function nothingApprovedThenClick(main: string, popup: string, waitingBefore: number): Promise<void> {
  await ff.execute('() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)))');
  assert.deepEqual(await lk.latchkey.listPasskeys('localhost'), [], 'no passkey was saved');
  assert.ok((await ff.windowHandles()).includes(popup), 'the window is still open');
  await ff.clickButton('Save passkey');
  await ff.clickButton('Done');
  await waitForWindowGone(ff, popup);
  await ff.switchToWindow(main);
  const all = await outcomesAtLeast(waitingBefore + 1);
  assert.match(String(all[waitingBefore]), /^created /, 'a real click after arming saves');
  await lk.latchkey.clearPasskeys();
}

describe('Firefox ESR: unintended consent', { timeout: 240_000 }, () => {
  test('Enter held down since before the window was armed does not approve the focused "Save passkey"', async () => {
    await ff.navigate(`${rp.url}/playground`);
    // The first key down must reach the window while it still waits; a slow machine may arm it
    // first, so a new window is tried (up to 8 times).
    let pressedEarly = false;
    let w: { main: string; popup: string } | null = null;
    for (let attempt = 0; attempt < 8 && !pressedEarly; attempt++) {
      if (w) {
        await keys({ type: 'keyUp', value: ENTER });
        await ff.clickButton('Cancel');
        await waitForWindowGone(ff, w.popup);
        await ff.switchToWindow(w.main);
        await outcomesAtLeast(attempt);
      }
      w = await openCeremonyWindow(ff, () => start());
      await keys({ type: 'keyDown', value: ENTER });
      pressedEarly = (await saveDisabled()) === true;
    }
    assert.ok(pressedEarly, 'the window took input at once: a key down right after it opened reached an enabled "Save passkey"');
    const waiting = (await outcomes()).length;
    // (Today's window would be busy saving now: its buttons disabled because the key approved.)
    assert.deepEqual(await lk.latchkey.listPasskeys('localhost'), [], 'the first key down approved nothing');
    assert.equal(await until('the focus on the armed choice', focusedButton), 'Save passkey');
    // The key is still down: further key downs are its repeats, then its release.
    for (let i = 0; i < 5; i++) await keys({ type: 'keyDown', value: ENTER });
    await keys({ type: 'keyUp', value: ENTER });
    await nothingApprovedThenClick(w!.main, w!.popup, waiting);
  });

  test('a mouse press that began before the window was armed (a double click meant for the page) does not approve', async () => {
    await ff.navigate(`${rp.url}/playground`);
    await ff.execute('() => { window.__outcomes = []; }');
    const SAVE = `() => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Save passkey') || null`;
    const mouse = (...actions: Record<string, unknown>[]) =>
      ff.send('WebDriver:PerformActions', { actions: [{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }] });
    let pressedEarly = false;
    let w: { main: string; popup: string } | null = null;
    for (let attempt = 0; attempt < 8 && !pressedEarly; attempt++) {
      if (w) {
        await mouse({ type: 'pointerUp', button: 0 });
        await ff.clickButton('Cancel');
        await waitForWindowGone(ff, w.popup);
        await ff.switchToWindow(w.main);
        await outcomesAtLeast(attempt);
      }
      w = await openCeremonyWindow(ff, () => start());
      const save = await until('the Save passkey button', () => ff.execute<Record<string, string> | null>(SAVE));
      await mouse({ type: 'pointerMove', origin: save, x: 0, y: 0 }, { type: 'pointerDown', button: 0 });
      pressedEarly = (await saveDisabled()) === true;
    }
    assert.ok(pressedEarly, 'the window took input at once: a press right after it opened reached an enabled "Save passkey"');
    assert.deepEqual(await lk.latchkey.listPasskeys('localhost'), [], 'the press approved nothing');
    const waiting = (await outcomes()).length;
    assert.equal(await until('the focus on the armed choice', focusedButton), 'Save passkey');
    // The release comes after arming, on the button: a click, if the press had counted.
    await mouse({ type: 'pointerUp', button: 0 });
    await nothingApprovedThenClick(w!.main, w!.popup, waiting);
  });

  test('untrusted events in the window (a script\'s click(), a synthetic Enter) do not approve', async () => {
    await ff.navigate(`${rp.url}/playground`);
    const { main, popup } = await openCeremonyWindow(ff, () => start());
    assert.equal(await until('the focus on the armed choice', focusedButton), 'Save passkey');
    await ff.execute(`() => {
      const save = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Save passkey');
      save.click();
      save.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
      save.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    }`);
    await nothingApprovedThenClick(main, popup, 0);
  });

  test('one ceremony window per tab: a second create() while the first asks gets NotAllowedError and no window', async () => {
    await ff.navigate(`${rp.url}/playground`);
    const { main, popup } = await openCeremonyWindow(ff, () => start('first@latchkey.test'));
    await ff.waitForText('Save passkey');
    const handles = await ff.windowHandles();
    await ff.switchToWindow(main);
    for (let i = 0; i < 3; i++) await start(`storm${i}@latchkey.test`);
    assert.deepEqual(await outcomesAtLeast(3), ['NotAllowedError', 'NotAllowedError', 'NotAllowedError']);
    assert.deepEqual((await ff.windowHandles()).sort(), [...handles].sort(), 'no other window opened');
    await ff.switchToWindow(popup);
    await ff.clickButton('Save passkey');
    await ff.clickButton('Done');
    await waitForWindowGone(ff, popup);
    await ff.switchToWindow(main);
    assert.match(String((await outcomesAtLeast(4))[3]), /^created /, 'the first call goes on and is answered');
    assert.deepEqual((await lk.latchkey.listPasskeys('localhost')).map((p) => p.userName), ['first@latchkey.test']);
  });
});
