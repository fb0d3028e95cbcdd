/**
 * The demo relying party end to end, without the extension: headless Chromium, with the DevTools
 * virtual authenticator standing in for a passkey provider. Proves the demo itself works, so that
 * a failure in the extension's suites points at the extension.
 *
 *   node --import tsx --test e2e/demo-rp/server.test.ts     (CHROMIUM_PATH overrides /usr/bin/chromium)
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './server.js';
import { SEED_EMAIL, SEED_PASSWORD, Store, writeFileAtomic, type AtomicWriteIO, type StoredPasskey } from './store.js';

/** Every browser wait gives up after this, so a broken page fails the test instead of hanging it. */
const STEP_TIMEOUT_MS = 15_000;

/**
 * Runs in the page: one discoverable sign-in, whose verified assertion is then posted a second
 * time. A string, not a function, because tsx's keepNames would add a `__name` helper the page
 * does not have.
 */
const REPLAY_ASSERTION = `(async () => {
  const post = (path, body) => fetch(path, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const b64 = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const enc = (b) => btoa(String.fromCharCode(...new Uint8Array(b)))
    .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  const options = await (await post('/api/login/options', {})).json();
  const cred = await navigator.credentials.get({
    publicKey: { challenge: b64(options.challenge), rpId: options.rpId, userVerification: 'preferred' },
    signal: AbortSignal.timeout(10000),
  });
  const r = cred.response;
  const credential = {
    id: cred.id, rawId: enc(cred.rawId), type: cred.type, clientExtensionResults: {},
    response: {
      clientDataJSON: enc(r.clientDataJSON), authenticatorData: enc(r.authenticatorData),
      signature: enc(r.signature), userHandle: r.userHandle ? enc(r.userHandle) : undefined,
    },
  };
  const first = await post('/api/login/verify', { credential });
  const second = await post('/api/login/verify', { credential });
  return [first.status, second.status, (await second.json()).error];
})()`;

interface Me {
  user: { id: string; email: string };
  session: { method: string; uv: boolean | null };
  passkeys: StoredPasskey[];
}

const tmp = mkdtempSync(join(tmpdir(), 'latchkey-demo-rp-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('demo relying party in Chromium', () => {
  let browser: Browser;
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      headless: true,
      timeout: 30_000,
    });
  });
  after(async () => { await browser?.close(); });

  /** A fresh browser profile with one virtual platform authenticator that verifies the user. */
  async function newPage(): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2', transport: 'internal', hasResidentKey: true,
        hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true,
      },
    });
    return page;
  }

  async function me(page: Page, rp: DemoRp): Promise<Me> {
    const res = await page.request.get(`${rp.url}/api/me`);
    assert.equal(res.status(), 200, await res.text());
    return (await res.json()) as Me;
  }

  async function passwordSignIn(page: Page, rp: DemoRp): Promise<void> {
    await page.goto(rp.url);
    await page.getByRole('textbox', { name: 'Email' }).fill(SEED_EMAIL);
    await page.getByRole('textbox', { name: 'Password' }).fill(SEED_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Security info' }).waitFor();
  }

  async function addPasskey(page: Page, name: string): Promise<void> {
    await page.getByRole('button', { name: '+ Add sign-in method' }).click();
    await page.getByRole('button', { name: 'Passkey', exact: true }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    const nameBox = page.getByRole('textbox', { name: 'Passkey name' });
    await nameBox.waitFor();
    // The suggestion names the browser and system, like the work-account page does.
    assert.match(await nameBox.inputValue(), /^Passkey \(.+ on .+\)$/);
    await nameBox.fill(name);
    await page.getByRole('button', { name: 'Done' }).click();
    await page.getByRole('listitem').filter({ hasText: name }).waitFor();
  }

  async function signOut(page: Page): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  }

  async function passkeySignIn(page: Page, rp: DemoRp): Promise<void> {
    await page.goto(rp.url);
    await page.getByRole('button', { name: 'Sign-in options' }).click();
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await page.getByRole('status').filter({
      hasText: `Signed in as ${SEED_EMAIL} with a passkey (user verified: yes)`,
    }).waitFor();
  }

  test('password sign-in, add a passkey, sign in with it, and keep it across a restart', { timeout: 120_000 }, async () => {
    const dataFile = join(tmp, 'flow', 'demo-rp.json');
    let rp = await startDemoRp({ port: 0, dataFile });
    try {
      const page = await newPage();
      await passwordSignIn(page, rp);
      await page.getByRole('status').filter({ hasText: `Signed in as ${SEED_EMAIL} with a password` }).waitFor();

      await addPasskey(page, 'Work laptop');
      let state = await me(page, rp);
      assert.equal(state.passkeys.length, 1);
      const [created] = state.passkeys;
      assert.equal(created?.name, 'Work laptop');
      assert.equal(created?.uv, true);
      assert.equal(created?.lastUsedAt, null);
      assert.equal(created?.rpID, 'localhost');
      assert.deepEqual(created?.transports, ['internal']);

      await signOut(page);
      assert.equal((await page.request.get(`${rp.url}/api/me`)).status(), 401);

      await passkeySignIn(page, rp);
      state = await me(page, rp);
      assert.deepEqual(state.session, { method: 'passkey', uv: true });
      const used = state.passkeys[0];
      assert.equal(used?.name, 'Work laptop');
      assert.ok(used?.lastUsedAt, 'lastUsedAt is set after a sign-in');
      assert.ok((used?.counter ?? 0) > 0, 'the virtual authenticator counts signatures');
      await page.getByRole('listitem').filter({ hasText: 'Work laptop' }).getByText(/last used \d/).waitFor();

      // Same data file, same port: the session cookie, the user and the passkey all survive.
      await rp.close();
      rp = await startDemoRp({ port: rp.port, dataFile });
      state = await me(page, rp);
      assert.equal(state.user.email, SEED_EMAIL);
      assert.deepEqual(state.passkeys.map((p) => p.name), ['Work laptop']);
      await signOut(page);
      await passkeySignIn(page, rp);
      assert.ok(((await me(page, rp)).passkeys[0]?.counter ?? 0) > (used?.counter ?? 0), 'counter grows');
    } finally {
      await rp.close();
    }
  });

  test('a wrong password shows an alert', { timeout: 60_000 }, async () => {
    const rp = await startDemoRp({ port: 0, dataFile: join(tmp, 'wrong', 'demo-rp.json') });
    try {
      const page = await newPage();
      await page.goto(rp.url);
      await page.getByRole('textbox', { name: 'Email' }).fill(SEED_EMAIL);
      await page.getByRole('textbox', { name: 'Password' }).fill('wrong horse');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Sign in' }).count(), 1);
    } finally {
      await rp.close();
    }
  });

  test('a ceremony nobody answers ends in an error after 60 s instead of hanging', { timeout: 60_000 }, async () => {
    const rp = await startDemoRp({ port: 0, dataFile: join(tmp, 'silent', 'demo-rp.json') });
    try {
      // No virtual authenticator: headless Chromium's get() would wait forever.
      const page = await (await browser.newContext()).newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      await page.clock.install();
      await page.goto(rp.url);
      await page.getByRole('button', { name: 'Sign-in options' }).click();
      await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
      await page.getByRole('status').filter({ hasText: 'Waiting for your passkey' }).waitFor();
      await page.clock.fastForward(61_000);
      await page.getByRole('alert').filter({ hasText: /^TimeoutError: / }).waitFor();
      assert.ok(await page.getByRole('button', { name: 'Sign in with a passkey' }).isEnabled(), 'can try again');
    } finally {
      await rp.close();
    }
  });

  test('adding the same authenticator twice shows the browser error by name', { timeout: 60_000 }, async () => {
    const rp = await startDemoRp({ port: 0, dataFile: join(tmp, 'twice', 'demo-rp.json') });
    try {
      const page = await newPage();
      await passwordSignIn(page, rp);
      await addPasskey(page, 'First');
      await page.getByRole('button', { name: '+ Add sign-in method' }).click();
      await page.getByRole('button', { name: 'Passkey', exact: true }).click();
      await page.getByRole('button', { name: 'Next' }).click();
      // excludeCredentials lists "First", so the authenticator refuses (WebAuthn §6.3.2 step 3).
      await page.getByRole('alert').filter({ hasText: /^InvalidStateError: / }).waitFor();
      assert.equal((await me(page, rp)).passkeys.length, 1);
    } finally {
      await rp.close();
    }
  });

  test('a challenge can be used once, and passkeys belong to their RP ID', { timeout: 60_000 }, async () => {
    const rp = await startDemoRp({ port: 0, dataFile: join(tmp, 'once', 'demo-rp.json') });
    try {
      const page = await newPage();
      // a.localhost is a different RP ID on the same server (Chromium resolves *.localhost itself).
      const siteA = `http://a.localhost:${rp.port}`;
      await passwordSignIn(page, { ...rp, url: siteA });
      await addPasskey(page, 'Site A key');
      await signOut(page);

      // Replay a verified assertion: the second verify finds no challenge.
      await page.goto(`${siteA}/playground`);
      const statuses = await page.evaluate(REPLAY_ASSERTION);
      assert.deepEqual(statuses, [200, 400, 'No ceremony in progress: ask for new options.']);

      // Signed in at a.localhost; at localhost (another cookie, another RP ID) there is nothing.
      // Asked from the page: Node (page.request) cannot resolve a.localhost, Chromium can.
      const siteAState = (await page.evaluate("fetch('/api/me').then((r) => r.json())")) as Me;
      assert.deepEqual(siteAState.passkeys.map((p) => p.name), ['Site A key']);
      const page2 = await newPage();
      await passwordSignIn(page2, rp);
      assert.deepEqual((await me(page2, rp)).passkeys, []);
    } finally {
      await rp.close();
    }
  });
});

describe('store', () => {
  test('writes go to a temp file in the same directory that is renamed over the data file', async () => {
    const file = join(tmp, 'atomic', 'demo-rp.json');
    const calls: string[][] = [];
    const io: AtomicWriteIO = {
      writeFile: (path, text) => { calls.push(['write', path]); writeFileSync(path, text); },
      rename: (from, to) => { calls.push(['rename', from, to]); renameSync(from, to); },
    };
    const store = await Store.open(file, io);
    calls.length = 0;
    const session = store.newSession();

    assert.equal(calls.length, 2);
    const [[op1, tmpPath], [op2, from, to]] = calls as [string[], string[]];
    assert.equal(op1, 'write');
    assert.equal(op2, 'rename');
    assert.notEqual(tmpPath, file);
    assert.equal(dirname(tmpPath!), dirname(file));
    assert.equal(from, tmpPath);
    assert.equal(to, file);
    assert.deepEqual(readdirSync(dirname(file)), ['demo-rp.json'], 'no temp file is left');
    assert.ok((await Store.open(file)).session(session.id), 'the new state is what a restart reads');
  });

  test('a write that fails before the rename leaves the old file whole', () => {
    const file = join(tmp, 'crash', 'data.json');
    writeFileAtomic(file, '{"old":true}');
    const crashing: AtomicWriteIO = {
      writeFile: (path, text) => writeFileSync(path, text),
      rename: () => { throw new Error('killed before rename'); },
    };
    assert.throws(() => writeFileAtomic(file, '{"new":true}', crashing), /killed before rename/);
    assert.equal(readFileSync(file, 'utf8'), '{"old":true}');
    assert.deepEqual(readdirSync(dirname(file)), ['data.json']);
  });

  test('the seeded password is stored as a scrypt hash', async () => {
    const file = join(tmp, 'seed', 'demo-rp.json');
    await Store.open(file);
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(SEED_PASSWORD));
    assert.match(text, /"passwordHash": "scrypt\$/);
  });
});
