// Frames, end to end in Chromium and Firefox ESR. A top page on http://a.localhost embeds a frame
// of http://b.localhost (http://*.localhost is a secure context in both browsers):
// - without allow="publickey-credentials-create *; publickey-credentials-get *": NotAllowedError
//   and no window (CredMan "Create/Request a Credential": permissions policy; WebAuthn §5.9, §5.10);
// - with it, create needs a click inside the frame (§5.1.3 step 2, transient activation), and then
//   succeeds with clientDataJSON crossOrigin true and topOrigin the top page's origin (§5.8.1),
//   verified by @simplewebauthn/server; get needs no click;
// - the window names both sites; a same-origin frame is served as the top is.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { clickClosing, nextCeremonyWindow } from './lib/chromium';
import { isScriptError, type FirefoxDriver } from './lib/firefox';
import { until } from './flows/firefoxDemoFlow';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';
import type { LatchkeyHandle } from '../testing/handle';

const ALLOW = 'publickey-credentials-create *; publickey-credentials-get *';

// The framed page: buttons that call WebAuthn (a click in the frame is its transient activation),
// or ?auto=create|get to call at load, with no activation. The outcome lands in window.outcome.
const FRAME_PAGE = `<!doctype html><meta charset="utf-8"><title>Frame</title>
<button id="create">Create</button> <button id="get">Get</button> <button id="twice">Create twice</button>
<script>
const q = new URLSearchParams(location.search);
const challenge = Uint8Array.from(atob(q.get('challenge').replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
window.outcome = null;
function attempt(op) {
  const publicKey = op === 'create'
    ? { rp: { name: 'Framed RP' }, challenge, pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        user: { id: crypto.getRandomValues(new Uint8Array(8)), name: 'framed@latchkey.test', displayName: 'Framed' },
        authenticatorSelection: { residentKey: 'required', userVerification: 'discouraged' } }
    : { challenge, userVerification: 'discouraged' };
  return navigator.credentials[op]({ publicKey }).then((c) => ({ credential: c.toJSON() }), (e) => ({ error: e.name }));
}
function run(op) { attempt(op).then((o) => { window.outcome = o; }); }
document.getElementById('create').onclick = () => run('create');
document.getElementById('get').onclick = () => run('get');
// One click, two creates: the second finds the activation used (§5.1.3 step 2.3, consumed).
document.getElementById('twice').onclick = async () => {
  const first = await attempt('create');
  const second = await attempt('create');
  window.outcome = { twice: [first.error || 'created', second.error || 'created'] };
};
if (q.get('auto')) run(q.get('auto'));
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
    if (url.pathname === '/top') {
      const allow = url.searchParams.get('allow');
      const src = url.searchParams.get('src') ?? '';
      const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
      res.end(`<!doctype html><title>Top</title><h1>Top page</h1><iframe id="f" src="${esc(src)}"${allow ? ` allow="${esc(allow)}"` : ''}></iframe>`);
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as { port: number }).port;
});
after(() => { server?.close(); });

const newChallenge = () => randomBytes(32).toString('base64url');
function topUrl(frameOrigin: string, o: { allow?: boolean; auto?: 'create' | 'get'; challenge: string }): string {
  const src = `${frameOrigin}/frame?challenge=${o.challenge}${o.auto ? `&auto=${o.auto}` : ''}`;
  return `${a()}/top?src=${encodeURIComponent(src)}${o.allow ? `&allow=${encodeURIComponent(ALLOW)}` : ''}`;
}

/** a > b (allowed) > `inner`: the innermost frame's ancestors are b and a. */
function nestedUrl(inner: string, o: { innerAllow: boolean; auto: 'create' | 'get'; challenge: string }): string {
  const middle = `${b()}/top?src=${encodeURIComponent(`${inner}/frame?challenge=${o.challenge}&auto=${o.auto}`)}${o.innerAllow ? `&allow=${encodeURIComponent(ALLOW)}` : ''}`;
  return `${a()}/top?src=${encodeURIComponent(middle)}&allow=${encodeURIComponent(ALLOW)}`;
}

type Outcome = { credential: Record<string, unknown> & { response: { clientDataJSON: string } } } | { error: string } | { twice: string[] };
const clientData = (o: Outcome) => {
  assert.ok('credential' in o, `expected a credential, got ${JSON.stringify(o)}`);
  return JSON.parse(Buffer.from(o.credential.response.clientDataJSON, 'base64url').toString('utf8')) as Record<string, unknown>;
};

/** What the relying party framed on b.localhost checks, in the order it would: registration, then sign-in. */
async function verifyRegistration(o: Outcome, challenge: string) {
  assert.ok('credential' in o);
  const v = await verifyRegistrationResponse({
    response: o.credential as never, expectedChallenge: challenge, expectedOrigin: b(), expectedRPID: 'b.localhost',
    requireUserVerification: false,
  });
  assert.equal(v.verified, true);
  return v.registrationInfo!.credential;
}
async function verifyAssertion(o: Outcome, challenge: string, credential: Awaited<ReturnType<typeof verifyRegistration>>) {
  assert.ok('credential' in o);
  const v = await verifyAuthenticationResponse({
    response: o.credential as never, expectedChallenge: challenge, expectedOrigin: b(), expectedRPID: 'b.localhost',
    expectedTopOrigin: a(), credential, requireUserVerification: false,
  });
  assert.equal(v.verified, true);
}

/** The cross-origin scenario, the same in both browsers; `drive` hides how each is driven. */
interface Drive {
  latchkey: LatchkeyHandle;
  /** Loads the top page and, with `click`, clicks that button inside the frame; returns the frame's outcome. */
  run(url: string, click?: 'create' | 'get' | 'twice'): Promise<Outcome>;
  /** Loads the page, clicks Create in the frame, returns the ceremony window's text, then cancels there. */
  windowText(url: string): Promise<{ text: string; outcome: Outcome }>;
  /** Ceremony windows opened so far. */
  windowsOpened(): number;
}

async function scenario(d: Drive) {
  // Without allow: refused before any window, for get (no click needed) and create (even with a click).
  await d.latchkey.useWindow();
  const before = d.windowsOpened();
  assert.deepEqual(await d.run(topUrl(b(), { challenge: newChallenge(), auto: 'get' })), { error: 'NotAllowedError' });
  assert.deepEqual(await d.run(topUrl(b(), { challenge: newChallenge() }), 'create'), { error: 'NotAllowedError' });
  assert.equal(d.windowsOpened(), before, 'no window for a frame the policy does not allow');

  await d.latchkey.approveAll({ userVerified: false });
  // With allow but no activation (create at load): NotAllowedError, although automation approves everything.
  assert.deepEqual(await d.run(topUrl(b(), { challenge: newChallenge(), allow: true, auto: 'create' })), { error: 'NotAllowedError' });
  assert.deepEqual(await d.latchkey.listPasskeys('b.localhost'), []);

  // With allow and a click inside the frame: created, cross-origin in clientDataJSON, verified.
  const regChallenge = newChallenge();
  const created = await d.run(topUrl(b(), { challenge: regChallenge, allow: true }), 'create');
  assert.deepEqual(clientData(created), { type: 'webauthn.create', challenge: regChallenge, origin: b(), crossOrigin: true, topOrigin: a() });
  const credential = await verifyRegistration(created, regChallenge);
  assert.equal((await d.latchkey.listPasskeys('b.localhost')).length, 1);

  // get in the allowed frame needs no activation (at load); the relying party checks topOrigin too.
  const getChallenge = newChallenge();
  const got = await d.run(topUrl(b(), { challenge: getChallenge, allow: true, auto: 'get' }));
  assert.deepEqual(clientData(got), { type: 'webauthn.get', challenge: getChallenge, origin: b(), crossOrigin: true, topOrigin: a() });
  await verifyAssertion(got, getChallenge, credential);

  // One activation serves one cross-origin create.
  assert.deepEqual(await d.run(topUrl(b(), { challenge: newChallenge(), allow: true }), 'twice'), { twice: ['created', 'NotAllowedError'] });

  // A same-origin frame is served as the top is: no allow, no click, crossOrigin false, no topOrigin.
  const sameChallenge = newChallenge();
  const same = await d.run(topUrl(a(), { challenge: sameChallenge, auto: 'create' }));
  assert.deepEqual(clientData(same), { type: 'webauthn.create', challenge: sameChallenge, origin: a(), crossOrigin: false });

  // Every ancestor counts: an a.localhost frame inside b.localhost inside a.localhost is not
  // same-origin with its ancestors. Without allow on the inner <iframe> it is refused; with it,
  // it is served as cross-origin although its origin is the top's.
  assert.deepEqual(await d.run(nestedUrl(a(), { innerAllow: false, auto: 'get', challenge: newChallenge() })), { error: 'NotAllowedError' });
  const nestedChallenge = newChallenge();
  const nested = await d.run(nestedUrl(a(), { innerAllow: true, auto: 'get', challenge: nestedChallenge }));
  assert.deepEqual(clientData(nested), { type: 'webauthn.get', challenge: nestedChallenge, origin: a(), crossOrigin: true, topOrigin: a() });

  // The window names the frame's site and the top-level site it is inside.
  await d.latchkey.useWindow();
  const { text, outcome } = await d.windowText(topUrl(b(), { challenge: newChallenge(), allow: true }));
  assert.match(text, new RegExp(`Site: b\\.localhost \\(${b().replace(/\./g, '\\.')}\\), inside a\\.localhost \\(${a().replace(/\./g, '\\.')}\\)`));
  assert.deepEqual(outcome, { error: 'NotAllowedError' }, 'Cancel');
}

describe('cross-origin frames in Chromium', { timeout: 180_000 }, () => {
  test('policy, activation, crossOrigin and topOrigin, the window, a same-origin frame', async () => {
    const { context, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.skipPin();
      let windows = 0;
      context.on('page', (p) => { if (p.url().includes('/popup/ceremony.html')) windows++; });
      const page = await context.newPage();
      await scenario(chromiumDrive(context, page, latchkey, () => windows));
    } finally {
      await close();
    }
  });
});

function chromiumDrive(context: BrowserContext, page: Page, latchkey: LatchkeyHandle, windowsOpened: () => number): Drive {
  /** The innermost frame: the one showing /frame. */
  const frame = async (): Promise<Frame> => {
    let f: Frame | undefined;
    for (let i = 0; i < 100 && !f; i++) {
      f = page.frames().find((x) => x.url().includes('/frame?'));
      if (!f) await page.waitForTimeout(50);
    }
    assert.ok(f, 'the framed page loads');
    await f.waitForFunction(() => document.readyState === 'complete' && 'outcome' in window);
    return f;
  };
  const outcome = async (f: Frame) => {
    await f.waitForFunction(() => (window as unknown as { outcome: unknown }).outcome !== null, undefined, { timeout: 15_000 });
    return f.evaluate(() => (window as unknown as { outcome: Outcome }).outcome);
  };
  return {
    latchkey,
    windowsOpened,
    async run(url, click) {
      await page.goto(url);
      const f = await frame();
      if (click) await f.locator(`#${click}`).click(); // a real click: transient activation in the frame
      return outcome(f);
    },
    async windowText(url) {
      await page.goto(url);
      const f = await frame();
      const opens = nextCeremonyWindow(context);
      await f.locator('#create').click();
      const win = await opens;
      await win.getByRole('button', { name: 'Save passkey' }).waitFor();
      const text = (await win.locator('body').innerText()).replace(/\s+/g, ' ');
      await clickClosing(win.getByRole('button', { name: 'Cancel' }));
      return { text, outcome: await outcome(f) };
    },
  };
}

describe('cross-origin frames in Firefox', { timeout: 180_000 }, () => {
  test('policy, activation, crossOrigin and topOrigin, the window, a same-origin frame', async () => {
    const { driver, latchkey, close } = await launchLatchkeyFirefox();
    try {
      await latchkey.skipPin();
      await scenario(firefoxDrive(driver, latchkey));
    } finally {
      await close();
    }
  });
});

function firefoxDrive(ff: FirefoxDriver, latchkey: LatchkeyHandle): Drive {
  let windows = 0;
  /** Down to the innermost frame (the one showing /frame), through any <iframe id="f"> on the way. */
  const intoFrame = async () => {
    for (let depth = 0; depth < 4; depth++) {
      const el = await until('the frame', () => ff.execute<Record<string, string> | null>(`() => {
        const f = document.getElementById('f');
        return f && f.contentWindow ? f : null;
      }`));
      await ff.send('WebDriver:SwitchToFrame', { element: Object.values(el)[0] });
      const here = await until('the frame to load', () => ff.execute<string | null>(
        `() => document.readyState !== 'complete' ? null : 'outcome' in window ? 'framed' : 'middle'`));
      if (here === 'framed') return;
    }
    throw new Error('no framed page');
  };
  const toTop = () => ff.send('WebDriver:SwitchToFrame', {}); // no id: the top-level document
  const outcome = () => until('the frame\'s outcome', async () => {
    const r = await ff.execute<Outcome | null>('() => window.outcome');
    if (isScriptError(r)) throw new Error(r.__error.message);
    return r;
  });
  const load = async (url: string) => {
    await toTop().catch(() => {});
    await ff.navigate(url);
    await intoFrame();
  };
  return {
    latchkey,
    windowsOpened: () => windows,
    async run(url, click) {
      const before = await ff.windowHandles();
      await load(url);
      if (click) await ff.clickButton({ create: 'Create', get: 'Get', twice: 'Create twice' }[click]); // a real click inside the frame
      const r = await outcome();
      windows += (await ff.windowHandles()).filter((h) => !before.includes(h)).length;
      await toTop();
      return r;
    },
    async windowText(url) {
      await load(url);
      const main = await ff.currentWindow();
      const before = await ff.windowHandles();
      await ff.clickButton('Create');
      const popup = await ff.waitForNewWindow(before, 15_000);
      windows++;
      await ff.switchToWindow(popup);
      await until('the ceremony window', async () => ((await ff.url().catch(() => '')).includes('/popup/ceremony.html') ? true : null));
      await ff.waitForText('Save passkey');
      const text = (await ff.execute<string>('() => document.body.innerText')).replace(/\s+/g, ' ');
      await ff.clickButton('Cancel');
      await until('the window to close', async () => ((await ff.windowHandles()).includes(popup) ? null : true));
      await ff.switchToWindow(main);
      await intoFrame();
      const r = await outcome();
      await toTop();
      return { text, outcome: r };
    },
  };
}
