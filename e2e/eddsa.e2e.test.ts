// EdDSA (Ed25519, COSE alg -8) end to end: Latchkey picks the first algorithm the site lists that it
// supports (§5.1.3 step 10, §6.3.2 step 2). The demo relying party lists EdDSA first
// (@simplewebauthn/server's default), so a passkey made there is Ed25519 and the relying party
// verifies both the registration and the assertion. On a plain page, [ES256, EdDSA] gives ES256 and
// [EdDSA, ES256] gives EdDSA, as getPublicKeyAlgorithm() reports. Chromium and Firefox ESR.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import * as chromiumFlow from './flows/chromiumDemoFlow';
import * as firefoxFlow from './flows/firefoxDemoFlow';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';

const log: chromiumFlow.Log = (step) => { if (process.env.E2E_VERBOSE) console.log(`  · ${step}`); };
const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-eddsa-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

const b64urlLength = (s: string) => Buffer.from(s, 'base64url').length;

/**
 * Runs in the page: create() with the given algorithm list (a fresh user each time), then reads the
 * credential's getPublicKeyAlgorithm() and the length of getPublicKey() (DER SPKI: 91 bytes for
 * P-256, 44 for Ed25519). Kept as source text so Firefox's Marionette can run it too.
 */
const CREATE_WITH = `async (algs, userByte) => {
  try {
    const cred = await navigator.credentials.create({ publicKey: {
      rp: { name: 'Playground' },
      user: { id: new Uint8Array([0xed, userByte]), name: 'alg' + userByte + '@latchkey.test', displayName: 'Alg ' + userByte },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: algs.map((alg) => ({ type: 'public-key', alg })),
    } });
    return { alg: cred.response.getPublicKeyAlgorithm(), spkiBytes: cred.response.getPublicKey().byteLength };
  } catch (e) {
    return { error: e.name + ': ' + e.message };
  }
}`;
type CreateResult = { alg: number; spkiBytes: number } | { error: string };

describe('EdDSA in Chromium', { timeout: 180_000 }, () => {
  test('the demo relying party (EdDSA listed first) gets an Ed25519 passkey and verifies sign-up and sign-in', async () => {
    const { context, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.skipPin();
      await latchkey.approveAll();
      const page = await context.newPage();
      await chromiumFlow.signInWithPassword(page, rp.url, log);
      await chromiumFlow.addPasskey(context, page, { answer: 'automation', name: 'Ed25519 key', log });
      const listed = await latchkey.listPasskeys('localhost');
      assert.equal(listed.length, 1);
      assert.equal(listed[0]?.alg, -8);
      assert.equal(b64urlLength(listed[0]!.publicKey), 32);
      await chromiumFlow.signOut(page, log);
      const signedIn = await chromiumFlow.signInWithPasskey(context, page, rp.url, { answer: 'automation', log });
      assert.match(signedIn.status, /Signed in .* with a passkey/);
      assert.equal((await latchkey.lastCeremony())?.outcome, 'asserted');
    } finally {
      await close();
    }
  });

  test('a page listing [ES256, EdDSA] gets ES256; [EdDSA, ES256] gets EdDSA; EdDSA alone gets EdDSA', async () => {
    const { context, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.skipPin();
      await latchkey.approveAll();
      const page = await context.newPage();
      await page.goto(`${rp.url}/playground`);
      // A string expression, so the compiled test's helpers never reach the page.
      const create = (algs: number[], userByte: number) =>
        page.evaluate(`(${CREATE_WITH})(${JSON.stringify(algs)}, ${userByte})`) as Promise<CreateResult>;
      assert.deepEqual(await create([-7, -8], 1), { alg: -7, spkiBytes: 91 });
      assert.deepEqual(await create([-8, -7], 2), { alg: -8, spkiBytes: 44 });
      assert.deepEqual(await create([-257, -8], 3), { alg: -8, spkiBytes: 44 });
      const algs = Object.fromEntries((await latchkey.listPasskeys('localhost')).map((p) => [p.userName, p.alg]));
      assert.deepEqual(algs, { 'alg1@latchkey.test': -7, 'alg2@latchkey.test': -8, 'alg3@latchkey.test': -8 });
    } finally {
      await close();
    }
  });
});

describe('EdDSA in Firefox', { timeout: 180_000 }, () => {
  test('the demo relying party (EdDSA listed first) gets an Ed25519 passkey and verifies sign-up and sign-in', async () => {
    const { driver: ff, latchkey, close } = await launchLatchkeyFirefox();
    try {
      await latchkey.skipPin();
      await latchkey.approveAll();
      await firefoxFlow.signInWithPassword(ff, rp.url, log);
      await firefoxFlow.addPasskey(ff, { answer: 'automation', name: 'Ed25519 key in Firefox', log });
      const listed = await latchkey.listPasskeys('localhost');
      assert.equal(listed.length, 1);
      assert.equal(listed[0]?.alg, -8);
      assert.equal(b64urlLength(listed[0]!.publicKey), 32);
      await firefoxFlow.signOut(ff, log);
      const signedIn = await firefoxFlow.signInWithPasskey(ff, rp.url, { answer: 'automation', log });
      assert.match(signedIn.status, /Signed in .* with a passkey/);
      assert.equal((await latchkey.lastCeremony())?.outcome, 'asserted');
    } finally {
      await close();
    }
  });

  test('a page listing [ES256, EdDSA] gets ES256; [EdDSA, ES256] gets EdDSA', async () => {
    const { driver: ff, latchkey, close } = await launchLatchkeyFirefox();
    try {
      await latchkey.skipPin();
      await latchkey.approveAll();
      await ff.navigate(`${rp.url}/playground`);
      const create = (algs: number[], userByte: number) => ff.executeAsync<CreateResult>(CREATE_WITH, [algs, userByte]);
      assert.deepEqual(await create([-7, -8], 1), { alg: -7, spkiBytes: 91 });
      assert.deepEqual(await create([-8, -7], 2), { alg: -8, spkiBytes: 44 });
      const algs = Object.fromEntries((await latchkey.listPasskeys('localhost')).map((p) => [p.userName, p.alg]));
      assert.deepEqual(algs, { 'alg1@latchkey.test': -7, 'alg2@latchkey.test': -8 });
    } finally {
      await close();
    }
  });
});
