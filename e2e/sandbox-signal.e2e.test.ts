// Signals from sandboxed frames (issue 15), in Chromium and Firefox ESR: an `<iframe sandbox>` on the
// site has the site's URL but an opaque origin. Firefox names a content script's sender by URL only,
// so before the fix such a frame passed as the site and could hide its passkeys
// (signalUnknownCredential, signalAllAcceptedCredentials) or rename its accounts
// (signalCurrentUserDetails). Now each call rejects with SecurityError (§5.1.10.1 step 1: an opaque
// origin's effective domain is null, not a valid domain) and the vault is left as it was; the same
// call from the site itself still acts (so the test can tell a refusal from a signal that does nothing).
import assert from 'node:assert/strict';
import { randomBytes, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import type { LatchkeyHandle } from '../testing/handle';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { until } from './flows/firefoxDemoFlow';
import { isScriptError } from './lib/firefox';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-sandbox-signal-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

const credentialId = randomBytes(16).toString('base64url');
const userHandle = randomBytes(8).toString('base64url');

async function seed(latchkey: LatchkeyHandle): Promise<void> {
  await latchkey.skipPin();
  await latchkey.addPasskey({
    rpId: 'localhost', credentialId, userHandle, userName: 'ada@latchkey.test', userDisplayName: 'Ada',
    privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
  });
}

/** Adds `<iframe sandbox="allow-scripts" src="/playground">` (the site's own URL, an opaque origin). */
const ADD_SANDBOXED = `() => new Promise((resolve) => {
  const f = document.createElement('iframe');
  f.sandbox = 'allow-scripts';
  f.src = '/playground';
  f.onload = () => resolve(true);
  document.body.append(f);
})`;

/** Every signal that would change the site's passkeys; how each settled; and the frame's origin. */
const SIGNALS = `async (credentialId, userId) => {
  const P = PublicKeyCredential;
  const settle = (p) => p.then(() => 'resolved', (e) => e.name);
  return {
    origin: self.origin,
    unknown: await settle(P.signalUnknownCredential({ rpId: 'localhost', credentialId })),
    allAccepted: await settle(P.signalAllAcceptedCredentials({ rpId: 'localhost', userId, allAcceptedCredentialIds: [] })),
    details: await settle(P.signalCurrentUserDetails({ rpId: 'localhost', userId, name: 'mallory@evil.test', displayName: 'Mallory' })),
  };
}`;
/** From the site itself: a rename, the barrier after which the sandboxed calls would have acted. */
const RENAME = `(userId) => PublicKeyCredential.signalCurrentUserDetails({ rpId: 'localhost', userId, name: 'ada@latchkey.test', displayName: 'Ada Lovelace' }).then(() => 'resolved', (e) => e.name)`;

const REFUSED = { origin: 'null', unknown: 'SecurityError', allAccepted: 'SecurityError', details: 'SecurityError' };

async function vaultIsUntouched(latchkey: LatchkeyHandle): Promise<void> {
  // The site's own rename acts (signals act after answering): wait for it, then look.
  const [p] = await until('the site\'s own rename', async () => {
    const ps = await latchkey.listPasskeys('localhost');
    return ps[0]?.userDisplayName === 'Ada Lovelace' ? ps : null;
  });
  assert.equal(p!.hidden, null, 'the sandboxed frame did not hide the passkey');
  assert.equal(p!.userName, 'ada@latchkey.test', 'the sandboxed frame did not rename the account');
}

describe('signals from a sandboxed frame', { timeout: 180_000 }, () => {
  test('Chromium: refused with SecurityError, the vault untouched', async () => {
    const lk = await launchLatchkey();
    try {
      await seed(lk.latchkey);
      const page = await lk.context.newPage();
      await page.goto(`${rp.url}/playground`);
      await page.evaluate(`(${ADD_SANDBOXED})()`);
      const frame = page.frames().find((f) => f !== page.mainFrame() && f.url().endsWith('/playground'))!;
      assert.deepEqual(await frame.evaluate(`(${SIGNALS})(${JSON.stringify(credentialId)}, ${JSON.stringify(userHandle)})`), REFUSED);
      assert.equal(await page.evaluate(`(${RENAME})(${JSON.stringify(userHandle)})`), 'resolved');
      await vaultIsUntouched(lk.latchkey);
    } finally {
      await lk.close();
    }
  });

  test('Firefox ESR: refused with SecurityError, the vault untouched', async () => {
    const lk = await launchLatchkeyFirefox();
    const ff = lk.driver;
    const run = async <T>(src: string, args: unknown[] = []): Promise<T> => {
      const r = await ff.executeAsync<T>(src, args);
      if (isScriptError(r)) throw new Error(`${r.__error.name}: ${r.__error.message}`);
      return r as T;
    };
    try {
      await seed(lk.latchkey);
      await ff.navigate(`${rp.url}/playground`);
      await run(ADD_SANDBOXED);
      const frame = await ff.execute<Record<string, string>>('() => document.querySelector("iframe")');
      await ff.send('WebDriver:SwitchToFrame', { element: Object.values(frame)[0] });
      assert.deepEqual(await run(SIGNALS, [credentialId, userHandle]), REFUSED);
      await ff.send('WebDriver:SwitchToParentFrame');
      assert.equal(await run(RENAME, [userHandle]), 'resolved');
      await vaultIsUntouched(lk.latchkey);
    } finally {
      await lk.close();
    }
  });
});
