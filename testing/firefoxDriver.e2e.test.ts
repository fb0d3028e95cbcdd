// Proves testing/firefoxDriver.ts (the Marionette driver) against the real Firefox ESR with the tiny MV3 fixture extension in
// ./firefox-fixture. Skipped when no Firefox binary is present ($FIREFOX_PATH or /usr/bin/firefox-esr).
//   node --import tsx --test testing/firefoxDriver.e2e.test.ts
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEFAULT_EXTENSION_UUID, type FirefoxDriver, isScriptError, launchFirefox, type LaunchOptions } from './firefoxDriver';
import { MarionetteError } from './marionette';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURE_DIR = path.join(here, 'firefox-fixture');
const FIXTURE_ID = 'fixture@latchkey.test';
const TEST_TIMEOUT = 120_000;

// Every driver launched here, so after() can end them whatever happened in the tests.
const drivers = new Set<FirefoxDriver>();
const tmpDirs: string[] = [];
async function launch(o: LaunchOptions): Promise<FirefoxDriver> {
  const ff = await launchFirefox(o);
  drivers.add(ff);
  return ff;
}
async function quit(ff: FirefoxDriver): Promise<void> {
  await ff.quit();
  drivers.delete(ff);
}
function tmpDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tmpDirs.push(d);
  return d;
}

let server: http.Server;
let origin = '';
const timings: Record<string, number> = {};

before(async () => {
  server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.end('<!doctype html><html><head><title>Relying party</title></head><body><h1>Test page</h1></body></html>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await Promise.all([...drivers].map((d) => d.quit()));
  drivers.clear();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
  if (Object.keys(timings).length) console.log('# firefox timings (ms):', JSON.stringify(timings));
});

/** Ask the fixture's background (through its content script on localhost) to do `action`. */
async function fixture<T>(ff: FirefoxDriver, action: string, value = ''): Promise<T> {
  await ff.navigate(`${origin}/?fixture=${action}&value=${encodeURIComponent(value)}`);
  const r = JSON.parse(await ff.textOf('#fixture-result', { timeoutMs: 15_000 })) as { ok: boolean; answer: T; error?: string };
  assert.ok(r.ok, `fixture ${action}: ${r.error}`);
  return r.answer;
}

describe('Firefox driver: extension popup window and scripts', { timeout: TEST_TIMEOUT }, () => {
  let ff: FirefoxDriver;
  before(async () => {
    ff = await launch({ extensionDir: FIXTURE_DIR, extensionId: FIXTURE_ID });
    timings.firstLaunchMarionetteReady = ff.timings.marionetteReadyMs;
    timings.firstLaunchWithInstall = ff.timings.totalMs;
  });
  after(async () => {
    if (ff) await quit(ff);
  });

  test('the fixture is installed for good and answers from its pinned origin', { timeout: 60_000 }, async () => {
    assert.equal(ff.timings.install, 'installed');
    assert.ok(fs.existsSync(path.join(ff.profileDir, 'extensions', `${FIXTURE_ID}.xpi`)));
    const pong = await fixture<{ pong: boolean; origin: string }>(ff, 'ping');
    assert.deepEqual(pong, { pong: true, origin: `moz-extension://${DEFAULT_EXTENSION_UUID}` });
    assert.equal(ff.extensionOrigin, pong.origin);
  });

  test('a windows.create popup appears among the handles and its buttons get trusted clicks', { timeout: 60_000 }, async () => {
    await ff.navigate(`${origin}/`);
    const main = await ff.currentWindow();
    const before = await ff.windowHandles();
    await fixture(ff, 'open');
    const popup = await ff.waitForNewWindow(before, 10_000);
    await ff.switchToWindow(popup);
    assert.equal(await ff.url(), `${ff.extensionOrigin}/page.html`);
    assert.equal(await ff.textOf('h1'), 'Fixture popup');

    await ff.fillTextbox('YOUR NOTE', 'hello there');
    await ff.clickButton('close without'); // role=button div, matched on aria-label, case-insensitive
    await ff.waitForText('clicked 1 note=hello there', 5_000);

    const png = path.join(tmpDir('latchkey-shot-'), 'popup.png');
    await ff.screenshot(png);
    assert.deepEqual([...fs.readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

    await ff.clickButton('approve'); // the background closes the popup after this one
    await ff.waitForWindowClosed(popup, 10_000);
    await ff.switchToWindow(main);
    const { clicks } = await fixture<{ clicks: { isTrusted: boolean }[] }>(ff, 'clicks');
    assert.deepEqual(clicks.map((c) => c.isTrusted), [true, true]);
  });

  test('clickButton and fillTextbox wait, then fail with a clear error', { timeout: 30_000 }, async () => {
    await ff.navigate(`${origin}/`);
    await assert.rejects(ff.clickButton('no such button', { timeoutMs: 300 }), /button "no such button" not found/);
    await assert.rejects(ff.fillTextbox('Test', 'x', { timeoutMs: 300 }), /textbox "Test" not found/);
  });

  test('execute and executeAsync return values; rejections come back as { __error }', { timeout: 30_000 }, async () => {
    await ff.navigate(`${origin}/`);
    assert.equal(await ff.execute<number>('(a, b) => a + b', [2, 3]), 5);
    assert.equal(await ff.execute<string>('return document.title;'), 'Relying party');
    assert.deepEqual(await ff.executeAsync('async (x) => { await new Promise((r) => setTimeout(r, 10)); return { x }; }', [7]), { x: 7 });
    assert.equal(await ff.executeAsync('await null; return arguments[0] * 2;', [21]), 42);
    const err = await ff.executeAsync(`async () => { throw new DOMException('nope', 'NotAllowedError'); }`);
    assert.ok(isScriptError(err));
    assert.deepEqual(err.__error, { name: 'NotAllowedError', message: 'nope' });
    await assert.rejects(
      ff.executeAsync('() => new Promise(() => {})', [], { timeoutMs: 500 }),
      (e: unknown) => e instanceof MarionetteError && e.error === 'script timeout',
    );
    assert.equal(await ff.executeAsync('async () => 1'), 1); // the driver still works afterwards
  });
});

describe('Firefox driver: restart with the same profile', { timeout: TEST_TIMEOUT }, () => {
  test('the add-on, its IndexedDB and storage.local survive a restart', { timeout: TEST_TIMEOUT }, async () => {
    const profileDir = tmpDir('latchkey-profile-');
    const marker = `m-${Date.now()}`;

    let ff = await launch({ profileDir, extensionDir: FIXTURE_DIR, extensionId: FIXTURE_ID });
    assert.equal(ff.timings.install, 'installed');
    assert.deepEqual(await fixture(ff, 'write', marker), { written: marker });
    assert.deepEqual(await fixture(ff, 'read'), { idb: marker, local: marker });
    let t = Date.now();
    await quit(ff);
    timings.gracefulQuit = Date.now() - t;
    assert.ok(fs.existsSync(path.join(profileDir, 'prefs.js')), 'the caller-owned profile is kept');

    // Restart without extensionDir: nothing is reinstalled, the add-on must still be there.
    t = Date.now();
    ff = await launch({ profileDir, extensionId: FIXTURE_ID });
    timings.restartMarionetteReady = ff.timings.marionetteReadyMs;
    assert.equal(ff.timings.install, 'none');
    assert.deepEqual(await fixture(ff, 'read'), { idb: marker, local: marker });
    timings.restartToFirstAnswer = Date.now() - t;
    t = Date.now();
    await quit(ff);

    // Same build again: the identical xpi is already in the profile, the install is skipped.
    ff = await launch({ profileDir, extensionDir: FIXTURE_DIR, extensionId: FIXTURE_ID });
    timings.quitPlusRestart = Date.now() - t;
    assert.equal(ff.timings.install, 'unchanged');
    assert.deepEqual(await fixture(ff, 'read'), { idb: marker, local: marker });
    await quit(ff);

    // A changed build is installed over it (an upgrade): the data stays.
    const changed = tmpDir('latchkey-fixture-v2-');
    fs.cpSync(FIXTURE_DIR, changed, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(changed, 'manifest.json'), 'utf8')) as { version: string };
    manifest.version = '1.0.1';
    fs.writeFileSync(path.join(changed, 'manifest.json'), JSON.stringify(manifest, null, 2));
    ff = await launch({ profileDir, extensionDir: changed, extensionId: FIXTURE_ID });
    assert.equal(ff.timings.install, 'installed');
    assert.deepEqual(await fixture(ff, 'read'), { idb: marker, local: marker });
    await quit(ff);
  });
});

describe('Firefox driver: virtual authenticator', { timeout: TEST_TIMEOUT }, () => {
  test('navigator.credentials.create succeeds on localhost; RemoveAllCredentials empties it', { timeout: 90_000 }, async () => {
    const ff = await launch({ virtualAuthenticator: true });
    try {
      const authId = await ff.addVirtualAuthenticator();
      assert.equal(typeof authId, 'string');
      await ff.navigate(`${origin}/`);
      const created = await ff.executeAsync<{ id: string; type: string; attestationBytes: number }>(
        `async () => {
          const cred = await navigator.credentials.create({ publicKey: {
            rp: { id: 'localhost', name: 'Test RP' },
            user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'alice', displayName: 'Alice' },
            challenge: crypto.getRandomValues(new Uint8Array(32)),
            pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
            authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
            timeout: 10000,
          } });
          return { id: cred.id, type: cred.type, attestationBytes: cred.response.attestationObject.byteLength };
        }`,
        [],
        { timeoutMs: 20_000 },
      );
      assert.ok(!isScriptError(created), JSON.stringify(created));
      assert.equal(created.type, 'public-key');
      assert.ok(created.attestationBytes > 0);

      const creds = await ff.getCredentials(authId);
      assert.equal(creds.length, 1);
      assert.equal(creds[0]?.rpId, 'localhost');
      assert.equal(creds[0]?.isResidentCredential, true);

      const got = await ff.executeAsync<string>(
        `async () => (await navigator.credentials.get({ publicKey: {
          rpId: 'localhost', challenge: new Uint8Array(32), userVerification: 'required', timeout: 10000 } })).id`,
        [],
        { timeoutMs: 20_000 },
      );
      assert.equal(got, created.id);

      await ff.removeAllCredentials(authId);
      assert.deepEqual(await ff.getCredentials(authId), []);
      const none = await ff.executeAsync(
        `async () => (await navigator.credentials.get({ publicKey: {
          rpId: 'localhost', challenge: new Uint8Array(32), userVerification: 'required', timeout: 3000 } })).id`,
        [],
        { timeoutMs: 20_000 },
      );
      assert.ok(isScriptError(none), `expected a rejection, got ${JSON.stringify(none)}`);
      assert.equal(none.__error.name, 'NotAllowedError');
    } finally {
      await quit(ff);
    }
  });
});

test('a launch that cannot start fails fast and removes the profile it created', { timeout: 30_000 }, async () => {
  const before = new Set(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('latchkey-ff-')));
  await assert.rejects(launchFirefox({ executablePath: '/nonexistent/firefox', launchTimeoutMs: 20_000 }), /launchFirefox: .*ENOENT/);
  await assert.rejects(launchFirefox({ executablePath: '/bin/false', launchTimeoutMs: 20_000 }), /launchFirefox: could not connect/);
  const left = fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('latchkey-ff-') && !before.has(n));
  assert.deepEqual(left, []);
});
