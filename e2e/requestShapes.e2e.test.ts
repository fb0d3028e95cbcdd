// Newer request shapes (docs/REQUEST-SHAPES.md), in Chromium and Firefox ESR:
// - get() with mediation "immediate": a value Latchkey does not know goes to the browser, so the
//   page gets exactly what the browser's own client gives (compared here with a fresh iframe realm,
//   where Latchkey's page script does not run); getClientCapabilities says immediateGet: false.
// - get() with `password: true` (or `federated`) beside `publicKey`: Latchkey answers the publicKey
//   part with its passkey, as Chromium's own client answers with the public-key credential.
// - navigator.credentials taken from a fresh about:blank iframe: Latchkey's page script runs there
//   too (match_about_blank), so the call is Latchkey's in both browsers. A blob: iframe's realm is
//   not reached by the page script: in Chrome the proxy takes it (e2e/proxy.e2e.test.ts); in Firefox
//   it stays the browser's (shown here: Latchkey records no ceremony for it).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startBlankSite } from './conformance/browsers';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import type { LatchkeyHandle } from '../testing/handle';

const IMMEDIATE = `async (realm) => {
  let creds = navigator.credentials;
  if (realm === 'fresh') { const f = document.createElement('iframe'); document.body.append(f); creds = f.contentWindow.navigator.credentials; }
  const ac = new AbortController();
  const p = creds.get({ mediation: 'immediate', signal: ac.signal, publicKey: { challenge: new Uint8Array(16) } })
    .then((c) => 'resolved ' + (c && c.type), (e) => e.name);
  const r = await Promise.race([p, new Promise((r) => setTimeout(() => r('pending'), 3000))]);
  ac.abort();
  return r;
}`;
const MIXED = `async (extra) => {
  try {
    const c = await navigator.credentials.get({ ...extra, publicKey: { challenge: new Uint8Array(32), userVerification: 'discouraged' } });
    return { type: c.type, id: c.id };
  } catch (e) { return { error: e.name + ': ' + e.message }; }
}`;
const CAPS = `async () => (await PublicKeyCredential.getClientCapabilities()).immediateGet`;
/** A create() with navigator.credentials from a fresh about:blank or blob: iframe; the origin in clientDataJSON, or 'pending'. */
const FROM_FRAME = `async (kind) => {
  const f = document.createElement('iframe');
  if (kind === 'blob') f.src = URL.createObjectURL(new Blob(['<!doctype html>'], { type: 'text/html' }));
  const loaded = kind === 'blob' ? new Promise((r) => { f.onload = r; }) : null;
  document.body.append(f);
  if (loaded) await loaded;
  const ac = new AbortController();
  const p = f.contentWindow.navigator.credentials.create({ signal: ac.signal, publicKey: { rp: { name: 'Frames' }, challenge: new Uint8Array(32),
      user: { id: new Uint8Array(8), name: kind + '@latchkey.test', displayName: kind }, pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } })
    .then((c) => ({ origin: JSON.parse(new TextDecoder().decode(c.response.clientDataJSON)).origin, id: c.id }), (e) => ({ error: e.name }));
  const r = await Promise.race([p, new Promise((r) => setTimeout(() => r('pending'), 3000))]);
  ac.abort();
  return r;
}`;

type Eval = (src: string, ...args: unknown[]) => Promise<unknown>;

async function shapes(run: Eval, latchkey: LatchkeyHandle, origin: string): Promise<void> {
  const blank = await run(FROM_FRAME, 'blank') as { origin?: string; id?: string };
  assert.equal(blank.origin, origin, `a fresh about:blank realm is Latchkey's: ${JSON.stringify(blank)}`);
  assert.equal((await latchkey.lastCeremony())?.credentialId, blank.id);

  const mine = await run(IMMEDIATE, 'page');
  const browsers = await run(IMMEDIATE, 'fresh');
  assert.equal(mine, browsers, 'mediation "immediate": the same outcome as the browser\'s own client');
  // false where the browser reports the key (Chromium), absent where neither side knows it (Firefox ESR 153).
  assert.notEqual(await run(CAPS), true, 'immediateGet: Latchkey does not put its passkeys into an immediate request');

  const p = await latchkey.addPasskey({ rpId: 'localhost', credentialId: Buffer.from(randomBytes(16)).toString('base64url'),
    userHandle: Buffer.from(randomBytes(8)).toString('base64url'), userName: 'mixed@latchkey.test', privateKey: Buffer.from(randomBytes(32)).toString('base64url') });
  for (const extra of [{ password: true }, { federated: { providers: ['https://idp.example'] } }]) {
    const r = await run(MIXED, extra) as { type?: string; id?: string; error?: string };
    assert.equal(r.error, undefined, `${JSON.stringify(extra)}: ${r.error}`);
    assert.equal(r.type, 'public-key');
    assert.equal(r.id, p.credentialId, 'Latchkey\'s passkey answered');
  }
}

let site: Awaited<ReturnType<typeof startBlankSite>>;
before(async () => { site = await startBlankSite(); });
after(async () => { await site?.close(); });

describe('newer request shapes in Chromium', { timeout: 120_000 }, () => {
  let browser: Awaited<ReturnType<typeof launchLatchkey>>;
  before(async () => { browser = await launchLatchkey(); await browser.latchkey.skipPin(); await browser.latchkey.approveAll(); });
  after(async () => { await browser?.close(); });
  test('a fresh about:blank realm is Latchkey\'s; immediate mediation left to the browser; password/federated beside publicKey answered by Latchkey', async () => {
    const page = await browser.context.newPage();
    await page.goto(site.url);
    await shapes((src, ...args) => page.evaluate(`(${src})(...${JSON.stringify(args)})`), browser.latchkey, new URL(site.url).origin);
  });
});

describe('newer request shapes in Firefox', { timeout: 180_000 }, () => {
  let browser: Awaited<ReturnType<typeof launchLatchkeyFirefox>>;
  before(async () => { browser = await launchLatchkeyFirefox(); await browser.latchkey.skipPin(); await browser.latchkey.approveAll(); });
  after(async () => { await browser?.close(); });
  test('a fresh about:blank realm is Latchkey\'s; immediate mediation left to the browser; password/federated beside publicKey answered by Latchkey', async () => {
    await browser.driver.navigate(site.url);
    await shapes((src, ...args) => browser.driver.executeAsync(src, args), browser.latchkey, new URL(site.url).origin);
  });
  test('the limit: a blob: iframe realm is not reached in Firefox (no webAuthenticationProxy there)', async () => {
    await browser.driver.navigate(site.url);
    const before = await browser.latchkey.lastCeremony();
    const r = await browser.driver.executeAsync(FROM_FRAME, ['blob']) as { origin?: string };
    assert.equal(r.origin, undefined, `not answered by Latchkey: ${JSON.stringify(r)}`);
    assert.deepEqual(await browser.latchkey.lastCeremony(), before, 'Latchkey saw no ceremony');
  });
});
