// An <iframe>'s `allow` counts as it was when the frame navigated (issue 15), in Firefox ESR (where
// Latchkey reads the parent's <iframe> itself, src/content/frameFacts.ts) and Chromium (where the
// browser's own verdict, document.featurePolicy, is used): both must agree with the browser.
// A top page on http://a.localhost embeds http://b.localhost/frame with no `allow`; once the frame
// has loaded, the top page adds allow="publickey-credentials-get *" and tells the frame to call
// get(): the browser did not grant the frame anything (the policy was fixed at navigation), so
// neither does Latchkey: NotAllowedError. Controls: with `allow` from the start, and with the late
// `allow` followed by a new navigation of the frame, get() signs in (Latchkey holds a passkey for
// b.localhost and answers by automation, no window).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { until } from './flows/firefoxDemoFlow';
import { isScriptError } from './lib/firefox';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import type { LatchkeyHandle } from '../testing/handle';

const ALLOW = 'publickey-credentials-get *';

/** The framed page: get() when told (a message from the top) or at load with ?auto; window.outcome. */
const FRAME_PAGE = `<!doctype html><meta charset="utf-8"><title>Frame</title><script>
window.outcome = null;
function run() {
  navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32), userVerification: 'discouraged' } })
    .then((c) => { window.outcome = { id: c.id }; }, (e) => { window.outcome = { error: e.name }; });
}
addEventListener('message', (e) => { if (e.data === 'go') run(); });
if (new URLSearchParams(location.search).has('auto')) run();
</script>`;

/** ?mode=start: allow from the start; late: added after load; renavigate: added after load, then the frame navigates again. */
const TOP_PAGE = (frameSrc: string, mode: string) => `<!doctype html><title>Top</title><h1>Top</h1><script>
const mode = ${JSON.stringify(mode)};
const f = document.createElement('iframe');
f.id = 'f';
if (mode === 'start') f.setAttribute('allow', ${JSON.stringify(ALLOW)});
f.src = ${JSON.stringify(frameSrc)};
let loads = 0;
f.onload = () => {
  loads++;
  if (loads > 1) return;
  if (mode !== 'start') f.setAttribute('allow', ${JSON.stringify(ALLOW)});
  if (mode === 'renavigate') f.src = ${JSON.stringify(frameSrc)} + '?auto';
  else f.contentWindow.postMessage('go', '*');
};
document.body.append(f);
</script>`;

let server: Server;
let port = 0;
const a = () => `http://a.localhost:${port}`;
const b = () => `http://b.localhost:${port}`;
before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.setHeader('content-type', 'text/html; charset=utf-8');
    if (url.pathname === '/frame') { res.end(FRAME_PAGE); return; }
    if (url.pathname === '/top') { res.end(TOP_PAGE(`${b()}/frame`, url.searchParams.get('mode') ?? 'late')); return; }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
after(() => { server?.close(); });

const credentialId = randomBytes(16).toString('base64url');
async function seed(latchkey: LatchkeyHandle): Promise<void> {
  await latchkey.skipPin();
  await latchkey.addPasskey({
    rpId: 'b.localhost', credentialId, userHandle: randomBytes(8).toString('base64url'), userName: 'framed@latchkey.test',
    privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64url'),
  });
  await latchkey.approveAll();
}

type Outcome = { id: string } | { error: string };
const EXPECTED: Record<string, Outcome> = { start: { id: credentialId }, late: { error: 'NotAllowedError' }, renavigate: { id: credentialId } };

describe('an <iframe> allow attribute added after the frame loaded grants nothing', { timeout: 180_000 }, () => {
  test('Firefox ESR', async () => {
    const lk = await launchLatchkeyFirefox();
    const ff = lk.driver;
    try {
      await seed(lk.latchkey);
      for (const mode of ['late', 'start', 'renavigate']) {
        await ff.send('WebDriver:SwitchToFrame', {}).catch(() => {});
        await ff.navigate(`${a()}/top?mode=${mode}`);
        const el = await until('the frame', () => ff.execute<Record<string, string> | null>('() => document.getElementById("f")'));
        await ff.send('WebDriver:SwitchToFrame', { element: Object.values(el)[0] });
        const outcome = await until(`the frame's outcome (${mode})`, async () => {
          const r = await ff.execute<Outcome | null>('() => window.outcome === undefined ? null : window.outcome');
          if (isScriptError(r)) throw new Error(r.__error.message);
          return r;
        });
        assert.deepEqual(outcome, EXPECTED[mode], mode);
      }
    } finally {
      await lk.close();
    }
  });

  test('Chromium (the browser\'s own verdict): the same', async () => {
    const lk = await launchLatchkey();
    try {
      await seed(lk.latchkey);
      const page = await lk.context.newPage();
      for (const mode of ['late', 'start', 'renavigate']) {
        await page.goto(`${a()}/top?mode=${mode}`);
        const outcome = await until(`the frame's outcome (${mode})`, async () => {
          const f: Frame | undefined = page.frames().find((x) => x.url().startsWith(`${b()}/frame`));
          return f ? f.evaluate(() => (window as unknown as { outcome: Outcome | null }).outcome).catch(() => null) : null;
        });
        assert.deepEqual(outcome, EXPECTED[mode], mode);
      }
    } finally {
      await lk.close();
    }
  });
});
