// The WebAuthn L3 signal methods (§5.1.10) with Latchkey, in Chromium and Firefox ESR (which has
// none of its own), on the demo relying party's /playground (RP ID "localhost"): each method's
// validation errors (TypeError, SecurityError), that a valid call resolves with undefined whether or
// not anything matched, and what it does to Latchkey's passkeys: seen through the testing handle's
// listPasskeys and in the sign-in window (hidden passkeys not offered, shown again, new names).
// One browser per describe; its tests run in order and share it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { launchLatchkey, type LatchkeyInChromium } from '../testing/chromium';
import { launchLatchkeyFirefox, type LatchkeyInFirefox } from '../testing/firefox';
import type { LatchkeyHandle, PasskeySummary } from '../testing/handle';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { openCeremonyWindow, until, waitForWindowGone } from './flows/firefoxDemoFlow';
import { addVirtualSecurityKey, clickClosing, nextCeremonyWindow } from './lib/chromium';
import { isScriptError, type FirefoxDriver } from './lib/firefox';

const RP_ID = 'localhost';
const ADA = 'YWRh'; // user handles, base64url
const BOB = 'Ym9i';

// ---- in the page (plain JavaScript sources: run by Playwright and by Marionette alike) ------------

/** Registers a passkey (the test answers with approveAll) and returns its credential id. */
const CREATE = `async (userId, name) => {
  const id = Uint8Array.from(atob(userId.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const c = await navigator.credentials.create({ publicKey: { rp: { name: 'Playground' }, user: { id, name, displayName: name },
    challenge: crypto.getRandomValues(new Uint8Array(32)), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey: 'required' } } });
  return c.id;
}`;

/** One signal call: how its promise settled (or that it threw, which a promise-returning method must not). */
// Brand checks by tag: Marionette's script realm is not the page's, so instanceof would not do.
const SIGNAL = `async (method, options) => {
  const tag = (v) => Object.prototype.toString.call(v);
  let p;
  try { p = PublicKeyCredential[method](options); } catch (e) { return { threw: e.name }; }
  if (tag(p) !== '[object Promise]') return { notAPromise: true };
  try { const v = await p; return { resolved: v === undefined ? 'undefined' : typeof v }; }
  catch (e) { return { rejected: e.name, isDOMException: tag(e) === '[object DOMException]', isTypeError: e.name === 'TypeError' && tag(e) === '[object Error]' }; }
}`;

/** Every validation case at once, and what the page sees of the methods. */
const VALIDATION = `async (rpId) => {
  const P = PublicKeyCredential;
  const call = ${SIGNAL};
  const cases = {
    'unknown: no credentialId': ['signalUnknownCredential', { rpId }],
    'unknown: no argument': ['signalUnknownCredential', undefined],
    'unknown: credentialId "a+b/"': ['signalUnknownCredential', { rpId, credentialId: 'a+b/' }],
    'unknown: credentialId of 4n+1 characters': ['signalUnknownCredential', { rpId, credentialId: 'AAAAA' }],
    'unknown: another site\\'s RP ID': ['signalUnknownCredential', { rpId: 'example.com', credentialId: 'AQID' }],
    'unknown: TypeError before SecurityError': ['signalUnknownCredential', { rpId: 'example.com', credentialId: '!' }],
    'unknown: nothing matches': ['signalUnknownCredential', { rpId, credentialId: 'bm90LWEtcGFzc2tleQ' }],
    'all: userId "!"': ['signalAllAcceptedCredentials', { rpId, userId: '!', allAcceptedCredentialIds: [] }],
    'all: a bad id in the list': ['signalAllAcceptedCredentials', { rpId, userId: 'AQ', allAcceptedCredentialIds: ['AQ', 'A=='] }],
    'all: list not a sequence': ['signalAllAcceptedCredentials', { rpId, userId: 'AQ', allAcceptedCredentialIds: 7 }],
    'all: no list': ['signalAllAcceptedCredentials', { rpId, userId: 'AQ' }],
    'all: another site\\'s RP ID': ['signalAllAcceptedCredentials', { rpId: 'example.com', userId: 'AQ', allAcceptedCredentialIds: [] }],
    'all: nobody matches': ['signalAllAcceptedCredentials', { rpId, userId: 'bm9ib2R5', allAcceptedCredentialIds: [] }],
    'details: no displayName': ['signalCurrentUserDetails', { rpId, userId: 'AQ', name: 'n' }],
    'details: userId "a b"': ['signalCurrentUserDetails', { rpId, userId: 'a b', name: 'n', displayName: 'd' }],
    'details: another site\\'s RP ID': ['signalCurrentUserDetails', { rpId: 'example.com', userId: 'AQ', name: 'n', displayName: 'd' }],
    'details: a public suffix as RP ID': ['signalCurrentUserDetails', { rpId: 'com', userId: 'AQ', name: 'n', displayName: 'd' }],
    'details: nobody matches': ['signalCurrentUserDetails', { rpId, userId: 'bm9ib2R5', name: 'n', displayName: 'd' }],
  };
  const out = {};
  for (const [name, [method, options]] of Object.entries(cases)) out[name] = await call(method, options);
  const methods = {};
  for (const k of ['signalUnknownCredential', 'signalAllAcceptedCredentials', 'signalCurrentUserDetails']) {
    const d = Object.getOwnPropertyDescriptor(P, k);
    methods[k] = d && { name: d.value.name, length: d.value.length, writable: d.writable, enumerable: d.enumerable, configurable: d.configurable };
  }
  const caps = await P.getClientCapabilities();
  return { out, methods, caps: [caps.signalAllAcceptedCredentials, caps.signalCurrentUserDetails, caps.signalUnknownCredential] };
}`;

/** A create() whose excludeCredentials lists `excluded`: its error name, or 'created'. */
const CREATE_EXCLUDING = `async (excluded) => {
  const id = Uint8Array.from(atob(excluded.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  try {
    await navigator.credentials.create({ publicKey: { rp: { name: 'Playground' }, user: { id: new Uint8Array([9]), name: 'x', displayName: 'x' },
      challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }], excludeCredentials: [{ type: 'public-key', id }] } });
    return 'created';
  } catch (e) { return e.name; }
}`;

const TYPE_ERROR = { rejected: 'TypeError', isDOMException: false, isTypeError: true };
const SECURITY_ERROR = { rejected: 'SecurityError', isDOMException: true, isTypeError: false };
const UNDEFINED = { resolved: 'undefined' };
const EXPECTED: Record<string, object> = {
  'unknown: no credentialId': TYPE_ERROR,
  'unknown: no argument': TYPE_ERROR,
  'unknown: credentialId "a+b/"': TYPE_ERROR,
  'unknown: credentialId of 4n+1 characters': TYPE_ERROR,
  'unknown: another site\'s RP ID': SECURITY_ERROR,
  'unknown: TypeError before SecurityError': TYPE_ERROR,
  'unknown: nothing matches': UNDEFINED,
  'all: userId "!"': TYPE_ERROR,
  'all: a bad id in the list': TYPE_ERROR,
  'all: list not a sequence': TYPE_ERROR,
  'all: no list': TYPE_ERROR,
  'all: another site\'s RP ID': SECURITY_ERROR,
  'all: nobody matches': UNDEFINED,
  'details: no displayName': TYPE_ERROR,
  'details: userId "a b"': TYPE_ERROR,
  'details: another site\'s RP ID': SECURITY_ERROR,
  'details: a public suffix as RP ID': SECURITY_ERROR,
  'details: nobody matches': UNDEFINED,
};

function checkValidation(r: any): void {
  assert.deepEqual(r.out, EXPECTED);
  for (const k of ['signalUnknownCredential', 'signalAllAcceptedCredentials', 'signalCurrentUserDetails']) {
    assert.deepEqual(r.methods[k], { name: k, length: 1, writable: true, enumerable: true, configurable: true }, k);
  }
  assert.deepEqual(r.caps, [true, true, true], 'getClientCapabilities reports all three');
}

/** Waits (polling the vault) until `check` holds for this site's passkeys, which it then returns. */
async function vaultUntil(latchkey: LatchkeyHandle, what: string, check: (p: Map<string, PasskeySummary>) => boolean): Promise<Map<string, PasskeySummary>> {
  return until(what, async () => {
    const all = new Map((await latchkey.listPasskeys(RP_ID)).map((p) => [p.credentialId, p]));
    return check(all) ? all : null;
  });
}
/** Runs a page script source with JSON arguments (an expression: no eval in the page, CSP or not). */
const inPage = <T>(page: Page, src: string, args: unknown[] = []) =>
  page.evaluate(`(${src})(...${JSON.stringify(args)})`) as Promise<T>;
const isHidden = (p: PasskeySummary | undefined, by?: string) => !!p?.hidden && (by === undefined || p.hidden.by === by);

/**
 * The shared story, browser-neutral: `run` calls a page script, `accounts` opens a sign-in window
 * and returns the account names it offers (then cancels it).
 */
function story(ctx: () => { latchkey: LatchkeyHandle; run: <T>(src: string, args?: unknown[]) => Promise<T>; accounts: () => Promise<string[]> }) {
  const ids = { a1: '', a2: '', b1: '' };

  test('each method: TypeError, SecurityError, or undefined whether or not anything matched', async () => {
    const { latchkey, run } = ctx();
    await latchkey.skipPin();
    await latchkey.approveAll();
    ids.a1 = await run<string>(CREATE, [ADA, 'ada@latchkey.test']);
    ids.a2 = await run<string>(CREATE, [ADA, 'ada@latchkey.test']);
    ids.b1 = await run<string>(CREATE, [BOB, 'bob@latchkey.test']);
    await latchkey.useWindow();
    checkValidation(await run(VALIDATION, [RP_ID]));
    // Nothing above touched a passkey (the failures, and the calls that matched nothing).
    const now = await latchkey.listPasskeys(RP_ID);
    assert.equal(now.length, 3);
    assert.ok(now.every((p) => p.hidden === null && p.userName.endsWith('@latchkey.test')));
  });

  test('signalUnknownCredential hides that passkey (kept, not offered in get)', async () => {
    const { latchkey, run, accounts } = ctx();
    assert.deepEqual(await run(SIGNAL, ['signalUnknownCredential', { rpId: RP_ID, credentialId: ids.b1 }]), UNDEFINED);
    const v = await vaultUntil(latchkey, 'bob\'s passkey hidden', (m) => isHidden(m.get(ids.b1), 'unknown'));
    assert.equal(v.size, 3, 'hidden, not deleted');
    assert.ok(!isHidden(v.get(ids.a1)) && !isHidden(v.get(ids.a2)));
    assert.deepEqual((await accounts()).sort(), ['ada@latchkey.test', 'ada@latchkey.test']);
  });

  test('a hidden passkey still counts for excludeCredentials', async () => {
    const { latchkey, run } = ctx();
    await latchkey.approveAll();
    assert.equal(await run(CREATE_EXCLUDING, [ids.b1]), 'InvalidStateError');
    await latchkey.useWindow();
    assert.equal((await latchkey.listPasskeys(RP_ID)).length, 3, 'no second passkey');
  });

  test('signalAllAcceptedCredentials hides the user\'s passkeys left out, and shows listed ones again', async () => {
    const { latchkey, run, accounts } = ctx();
    assert.deepEqual(await run(SIGNAL, ['signalAllAcceptedCredentials', { rpId: RP_ID, userId: ADA, allAcceptedCredentialIds: [ids.a2] }]), UNDEFINED);
    let v = await vaultUntil(latchkey, 'a1 hidden', (m) => isHidden(m.get(ids.a1), 'not-accepted'));
    assert.ok(!isHidden(v.get(ids.a2)), 'the listed one stays');
    assert.ok(isHidden(v.get(ids.b1), 'unknown'), 'another user\'s passkey: untouched');
    assert.deepEqual(await accounts(), ['ada@latchkey.test'], 'only the accepted one is offered');

    // The site lists a1 again (its mistake undone), and bob's with bob's user id.
    await run(SIGNAL, ['signalAllAcceptedCredentials', { rpId: RP_ID, userId: ADA, allAcceptedCredentialIds: [ids.a1, ids.a2] }]);
    await run(SIGNAL, ['signalAllAcceptedCredentials', { rpId: RP_ID, userId: BOB, allAcceptedCredentialIds: [ids.b1] }]);
    v = await vaultUntil(latchkey, 'all shown again', (m) => [...m.values()].every((p) => !p.hidden));
    assert.equal(v.size, 3);
    assert.deepEqual((await accounts()).sort(), ['ada@latchkey.test', 'ada@latchkey.test', 'bob@latchkey.test']);
  });

  test('signalCurrentUserDetails renames the user\'s passkeys; the sign-in window shows the new name', async () => {
    const { latchkey, run, accounts } = ctx();
    assert.deepEqual(await run(SIGNAL, ['signalCurrentUserDetails', { rpId: RP_ID, userId: ADA, name: 'ada.lovelace@latchkey.test', displayName: 'Ada Lovelace' }]), UNDEFINED);
    const v = await vaultUntil(latchkey, 'ada renamed', (m) => m.get(ids.a1)?.userName === 'ada.lovelace@latchkey.test' && m.get(ids.a2)?.userName === 'ada.lovelace@latchkey.test');
    assert.equal(v.get(ids.a1)!.userDisplayName, 'Ada Lovelace');
    assert.equal(v.get(ids.b1)!.userName, 'bob@latchkey.test');
    assert.deepEqual((await accounts()).sort(), ['ada.lovelace@latchkey.test', 'ada.lovelace@latchkey.test', 'bob@latchkey.test']);
  });

  test('a signal for another site\'s RP ID changes nothing', async () => {
    const { latchkey, run } = ctx();
    const before = await latchkey.listPasskeys(RP_ID);
    assert.deepEqual(await run(SIGNAL, ['signalAllAcceptedCredentials', { rpId: 'example.com', userId: ADA, allAcceptedCredentialIds: [] }]), SECURITY_ERROR);
    // A later valid signal is handled after it; once that one shows, the refused one had its chance.
    await run(SIGNAL, ['signalCurrentUserDetails', { rpId: RP_ID, userId: BOB, name: 'bob2@latchkey.test', displayName: 'Bob' }]);
    const v = await vaultUntil(latchkey, 'bob renamed', (m) => m.get(ids.b1)?.userName === 'bob2@latchkey.test');
    for (const p of before) assert.equal(v.get(p.credentialId)!.hidden, null, p.credentialId);
  });
}

describe('signal methods with Latchkey', { timeout: 300_000 }, () => {
  let rp: DemoRp;
  const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-signal-'));
  before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
  after(async () => {
    await rp?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('Chromium', () => {
    let lk: LatchkeyInChromium | null = null;
    let page: Page;
    before(async () => {
      lk = await launchLatchkey();
      page = await lk.context.newPage();
      await page.goto(`${rp.url}/playground`);
    });
    after(async () => { await lk?.close(); });

    story(() => ({
      latchkey: lk!.latchkey,
      run: <T>(src: string, args: unknown[] = []) => inPage<T>(page, src, args),
      accounts: async () => {
        const opens = nextCeremonyWindow(lk!.context);
        const outcome = page.evaluate(() => navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) } }).then(() => 'ok', (e: Error) => e.name));
        const win = await opens;
        await win.getByRole('button', { name: 'Cancel' }).waitFor();
        const names = await win.locator('button strong').allTextContents();
        await clickClosing(win.getByRole('button', { name: 'Cancel' }));
        assert.equal(await outcome, 'NotAllowedError');
        return names;
      },
    }));

    test('a valid signal also reaches the browser\'s own method (its virtual security key forgets the passkey)', async () => {
      assert.ok(lk);
      const { cdp, authenticatorId } = await addVirtualSecurityKey(page);
      await lk.latchkey.answerNext({ kind: 'hand-over' });
      const onKey = await inPage<string>(page, CREATE, [BOB, 'bob@latchkey.test']);
      const listKey = async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.map((c) => c.credentialId);
      assert.equal((await listKey()).length, 1, 'made by the browser, on the security key');
      assert.deepEqual(await inPage(page, SIGNAL, ['signalUnknownCredential', { rpId: RP_ID, credentialId: onKey }]), UNDEFINED);
      await until('the security key to drop it', async () => ((await listKey()).length === 0 ? true : null));
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    });

    test('the manage page marks a hidden passkey and shows it again (keyboard, by accessible name)', async () => {
      assert.ok(lk);
      const bob = (await lk.latchkey.listPasskeys(RP_ID)).find((p) => p.userHandle === BOB);
      assert.ok(bob);
      await inPage(page, SIGNAL, ['signalUnknownCredential', { rpId: RP_ID, credentialId: bob.credentialId }]);
      await vaultUntil(lk.latchkey, 'bob hidden', (m) => isHidden(m.get(bob.credentialId)));
      const manage = await lk.context.newPage();
      await manage.goto(`chrome-extension://${lk.extensionId}/options/options.html`);
      const row = manage.locator(`[data-credential-id="${bob.credentialId}"]`);
      await row.waitFor();
      assert.equal(await row.getAttribute('aria-label'), `${bob.userName}, ${bob.userName} on ${RP_ID}, hidden`);
      assert.match(await row.innerText(), /Hidden from sign-ins since \d{4}-\d{2}-\d{2}: the site said it does not know this passkey/);
      assert.equal(await manage.getByRole('button', { name: /in sign-ins again$/ }).count(), 1, 'only the hidden one offers it');
      const showAgain = manage.getByRole('button', { name: `Show ${bob.userName} on ${RP_ID} in sign-ins again` });
      await showAgain.focus();
      await manage.keyboard.press('Enter');
      await manage.getByText(`The passkey for ${bob.userName} on ${RP_ID} is offered in sign-ins again.`).waitFor();
      await showAgain.waitFor({ state: 'detached' });
      assert.equal(await manage.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Rename ${bob.userName} on ${RP_ID}`, 'focus stays in the row');
      assert.equal(await row.getAttribute('aria-label'), `${bob.userName}, ${bob.userName} on ${RP_ID}`);
      assert.equal((await lk.latchkey.listPasskeys(RP_ID)).find((p) => p.credentialId === bob.credentialId)!.hidden, null);
      await manage.close();
    });
  });

  describe('Firefox ESR (no signal methods of its own)', () => {
    let lk: LatchkeyInFirefox | null = null;
    before(async () => {
      lk = await launchLatchkeyFirefox();
      await lk.driver.navigate(`${rp.url}/playground`);
    });
    after(async () => { await lk?.close(); });
    const run = async <T>(d: FirefoxDriver, src: string, args: unknown[] = []): Promise<T> => {
      const r = await d.executeAsync<T>(src, args);
      if (isScriptError(r)) assert.fail(`${r.__error.name}: ${r.__error.message}`);
      return r;
    };

    story(() => ({
      latchkey: lk!.latchkey,
      run: <T>(src: string, args: unknown[] = []) => run<T>(lk!.driver, src, args),
      accounts: async () => {
        const ff = lk!.driver;
        const { main, popup } = await openCeremonyWindow(ff, () => ff.execute(`() => {
          window.__outcome = null;
          navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) } }).then(() => { window.__outcome = 'ok'; }, (e) => { window.__outcome = e.name; });
        }`).then(() => undefined));
        await ff.waitForText('Cancel');
        const names = await until('the accounts', () => ff.execute<string[] | null>(`() => {
          const n = [...document.querySelectorAll('button strong')].map((s) => s.textContent);
          return n.length ? n : null;
        }`));
        await ff.clickButton('Cancel');
        await waitForWindowGone(ff, popup);
        await ff.switchToWindow(main);
        assert.equal(await until('the get() to settle', () => ff.execute<string | null>(`() => window.__outcome`)), 'NotAllowedError');
        return names;
      },
    }));
  });
});
