// Three tabs on three sites ask at the same time (Chromium): each gets its own window, the windows
// are answered in another order than they opened (hand over, save, cancel), and every answer
// reaches the tab and frame that asked: the credential's clientDataJSON names that origin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Frame, Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { addVirtualSecurityKey, clickClosing } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-tabs-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

/** What a page learns from its call: the credential's id and clientDataJSON, or the error's name. */
type Outcome = { id: string; type: string; origin: string } | { error: string };

function call(where: Page | Frame, op: 'create' | 'get', userName = ''): Promise<Outcome> {
  return where.evaluate(([op, userName]) => {
    const challenge = crypto.getRandomValues(new Uint8Array(32));
    const p = op === 'create'
      ? navigator.credentials.create({ publicKey: {
          rp: { name: 'Tabs' }, user: { id: crypto.getRandomValues(new Uint8Array(8)), name: userName, displayName: userName },
          challenge, pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required' } } })
      : navigator.credentials.get({ publicKey: { challenge } });
    return p.then((c) => {
      const pkc = c as PublicKeyCredential;
      const data = JSON.parse(new TextDecoder().decode(pkc.response.clientDataJSON)) as { type: string; origin: string };
      return { id: pkc.id, type: data.type, origin: data.origin };
    }, (e: Error) => ({ error: e.name }));
  }, [op, userName] as const);
}

describe('three tabs at once', { timeout: 120_000 }, () => {
  test('each call gets its own window; answered out of order, each answer reaches its own tab and frame', async () => {
    const { context, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.skipPin();
      const site = (s: string) => `http://${s}.localhost:${rp.port}`;
      const [a, b, c] = await Promise.all(['a', 'b', 'c'].map(async (s) => {
        const p = await context.newPage();
        await p.goto(`${site(s)}/playground`);
        return p;
      })) as [Page, Page, Page];
      // b.localhost needs a passkey in Latchkey for its get() to open a window.
      await latchkey.answerNext({ kind: 'save' });
      const bSaved = await call(b, 'create', 'b@latchkey.test');
      assert.ok('id' in bSaved);
      await latchkey.useWindow();
      // a.localhost asks from a same-origin frame inside the page; c.localhost has a security key.
      await a.evaluate(() => new Promise((done) => {
        const f = document.createElement('iframe');
        f.src = '/playground';
        f.onload = done;
        document.body.append(f);
      }));
      const aFrame = a.frames().find((f) => f !== a.mainFrame())!;
      const key: { cdp: CDPSession; authenticatorId: string } = await addVirtualSecurityKey(c);

      const windows: Page[] = [];
      context.on('page', (p) => { if (p.url().includes('/popup/ceremony.html')) windows.push(p); });
      const outcomes = {
        a: call(aFrame, 'create', 'a@latchkey.test'),
        b: call(b, 'get'),
        c: call(c, 'create', 'c@latchkey.test'),
      };
      const deadline = Date.now() + 20_000;
      while (windows.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.equal(windows.length, 3, 'one window per call');
      const windowFor = async (host: string) => {
        for (const w of windows) {
          if (await w.getByText(host, { exact: true }).count()) return w;
        }
        throw new Error(`no window for ${host}`);
      };
      // Wait for every window to show its site, then answer: c first, then a, then b.
      const [wa, wb, wc] = await Promise.all(['a', 'b', 'c'].map(async (s) => {
        await Promise.all(windows.map((w) => w.getByRole('button', { name: 'Cancel' }).waitFor()));
        return windowFor(`${s}.localhost`);
      }));
      assert.equal(new Set([wa, wb, wc]).size, 3);

      await clickClosing(wc!.getByRole('button', { name: 'Use another device or security key' }));
      const cOut = await outcomes.c;
      assert.deepEqual({ ...cOut, id: undefined }, { id: undefined, type: 'webauthn.create', origin: site('c') });
      const onKey = (await key.cdp.send('WebAuthn.getCredentials', { authenticatorId: key.authenticatorId })).credentials;
      assert.deepEqual(onKey.map((k) => Buffer.from(k.credentialId, 'base64').toString('base64url')), ['id' in cOut ? cOut.id : ''], 'the browser\'s security key made c\'s passkey');

      await wa!.getByRole('button', { name: 'Save passkey' }).click();
      const aOut = await outcomes.a;
      assert.deepEqual({ ...aOut, id: undefined }, { id: undefined, type: 'webauthn.create', origin: site('a') }, 'the frame in tab a got it');
      const closed = wa!.waitForEvent('close');
      await clickClosing(wa!.getByRole('button', { name: 'Done' }));
      await closed;

      assert.equal(wb!.isClosed(), false, 'b still waits for its person');
      await clickClosing(wb!.getByRole('button', { name: 'Cancel' }));
      assert.deepEqual(await outcomes.b, { error: 'NotAllowedError' });

      const held = await latchkey.listPasskeys();
      assert.deepEqual(held.map((p) => [p.rpId, p.userName]).sort(), [['a.localhost', 'a@latchkey.test'], ['b.localhost', 'b@latchkey.test']]);
      assert.equal(held.find((p) => p.rpId === 'a.localhost')?.credentialId, 'id' in aOut ? aOut.id : '');
    } finally {
      await close();
    }
  });
});
