// Existence leak (issue 15), Firefox ESR: the modal get() case of e2e/existence.e2e.test.ts. The
// page's first inline script records every message event (capture, bubble, onmessage); the page sees
// the same thing whether or not Latchkey holds a passkey for the site: its own request and nothing
// else, not even the answer.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { openCeremonyWindow, waitForWindowGone } from './flows/firefoxDemoFlow';
import { isScriptError } from './lib/firefox';
import { launchLatchkeyFirefox } from '../testing/firefox';

const WATCHING_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Watching</title><script>
  window.seen = []; window.recording = false;
  const note = (how) => (e) => { if (!recording) return; let d; try { d = JSON.stringify(e.data, (k, v) => (k === 'id' ? '#' : v)); } catch { d = '?'; } seen.push(how + ' ' + d); };
  addEventListener('message', note('capture'), true);
  addEventListener('message', note('bubble'));
  onmessage = note('onmessage');
</script></head><body><h1>Sign in</h1></body></html>`;

let server: Server;
let url = '';
before(async () => {
  server = createServer((_req, res) => { res.setHeader('content-type', 'text/html; charset=utf-8'); res.end(WATCHING_PAGE); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://localhost:${(server.address() as { port: number }).port}/watching`;
});
after(() => { server?.close(); });

const OBSERVED = `() => ({ messages: window.seen.filter((s) => !s.includes('"dir":"to-bridge"')), ownRequests: window.seen.filter((s) => s.includes('"dir":"to-bridge"')).length })`;
const START_GET = `() => {
  window.recording = true; window.__outcome = null;
  navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32).fill(7), rpId: 'localhost' } })
    .then((c) => { window.__outcome = { id: c.id }; }, (e) => { window.__outcome = { error: e.name }; });
}`;

describe('Firefox ESR: existence leak', { timeout: 240_000 }, () => {
  test('modal get(): no answer message reaches the page\'s listeners, with or without a passkey here', async () => {
    const lk = await launchLatchkeyFirefox({ virtualAuthenticator: true });
    const ff = lk.driver;
    const run = async <T>(src: string): Promise<T> => {
      const r = await ff.executeAsync<T>(src);
      if (isScriptError(r)) throw new Error(`${r.__error.name}: ${r.__error.message}`);
      return r as T;
    };
    const outcome = async () => {
      for (let i = 0; i < 200; i++) {
        const o = await ff.execute<{ id?: string; error?: string } | null>('() => window.__outcome');
        if (o) return o;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the get() never settled');
    };
    try {
      await lk.latchkey.skipPin();
      await ff.addVirtualAuthenticator();
      await ff.navigate(url);
      // A passkey on the browser's own (virtual) security key, so that a hand-over is answered.
      await lk.latchkey.answerNext({ kind: 'hand-over' });
      const onKey = await run<string>(`async () => (await navigator.credentials.create({ publicKey: {
        rp: { name: 'W' }, user: { id: new Uint8Array([1, 2, 3]), name: 'key@latchkey.test', displayName: 'K' },
        challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }], authenticatorSelection: { residentKey: 'required' } } })).id`);
      assert.equal((await lk.latchkey.listPasskeys('localhost')).length, 0);

      // 1. Latchkey holds nothing for localhost: it hands over, the browser's key answers.
      await ff.execute(START_GET);
      assert.deepEqual(await outcome(), { id: onKey });
      const without = await ff.execute(OBSERVED);
      await ff.execute('() => { window.seen = []; window.recording = false; }');

      // 2. Latchkey holds a passkey for localhost: its window asks the person.
      await lk.latchkey.addPasskey({
        rpId: 'localhost', credentialId: randomBytes(16).toString('base64url'), userHandle: randomBytes(8).toString('base64url'), userName: 'held@latchkey.test',
        privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
      });
      const { main, popup } = await openCeremonyWindow(ff, () => ff.execute(START_GET).then(() => undefined));
      await ff.waitForText('held@latchkey.test');
      await ff.switchToWindow(main);
      const withPasskey = await ff.execute(OBSERVED);
      await ff.switchToWindow(popup);
      await ff.clickButton('Cancel');
      await waitForWindowGone(ff, popup);
      await ff.switchToWindow(main);
      assert.deepEqual(await outcome(), { error: 'NotAllowedError' });
      const afterCancel = await ff.execute<{ messages: string[] }>(OBSERVED);

      assert.deepEqual(without, { messages: [], ownRequests: 3 }, 'with no passkey: the page saw only its own request');
      assert.deepEqual(withPasskey, without, 'the same with a passkey, before the person acts');
      assert.deepEqual(afterCancel.messages, [], 'even the answer to the page\'s call travels unseen');
    } finally {
      await lk.close();
    }
  });
});
