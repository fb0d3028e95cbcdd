// Extensions as the page sees them, in Chromium and Firefox with Latchkey answering (no PIN,
// approving every ceremony): the decisions of src/client/extensions.ts and docs/EXTENSIONS.md.
// - appid at create() rejects with NotSupportedError before any ceremony, whatever its value;
// - appid at get() is answered by Latchkey for its own passkey, with appid: false;
// - identifiers Latchkey ignores leave no output and no error, at create() and get();
// - an enforced credProtect above userVerificationOptional, and a payment credential, go to the
//   browser's own client (Latchkey makes nothing and records no ceremony).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startBlankSite } from './conformance/browsers';
import { SIDES, type Side } from './lib/sides';

/** In the page: a create() with these extensions (and extra options); the summary or { error }. */
const CREATE = `async (extensions, extra) => {
  const enc = (buf) => { let s = ''; for (const x of new Uint8Array(buf)) s += String.fromCharCode(x); return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, ''); };
  const reviveBytes = (v) => (v && v.$bytes !== undefined ? new Uint8Array(v.$bytes) : v);
  const ext = {};
  for (const [k, v] of Object.entries(extensions)) ext[k] = reviveBytes(v);
  const c = await navigator.credentials.create({ publicKey: {
    rp: { name: 'Extensions' }, challenge: new Uint8Array(32).fill(3),
    user: { id: crypto.getRandomValues(new Uint8Array(16)), name: 'ext@latchkey.test', displayName: 'Ext' },
    pubKeyCredParams: [{ type: 'public-key', alg: -7 }], extensions: ext, ...extra,
  }, signal: AbortSignal.timeout(20000) });
  return { id: c.id, rawId: enc(c.rawId), extensions: c.getClientExtensionResults() };
}`;
const GET = `async (extensions, allowId) => {
  const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const c = await navigator.credentials.get({ publicKey: {
    challenge: new Uint8Array(32).fill(4), extensions,
    allowCredentials: allowId ? [{ type: 'public-key', id: dec(allowId) }] : [],
  }, signal: AbortSignal.timeout(20000) });
  return { id: c.id, extensions: c.getClientExtensionResults() };
}`;

let site: Awaited<ReturnType<typeof startBlankSite>>;
before(async () => { site = await startBlankSite(); });
after(async () => { await site?.close(); });

for (const { name, launch } of SIDES) {
  describe(`extensions in ${name}`, { timeout: 240_000 }, () => {
    let side: Side;
    before(async () => {
      side = await launch();
      await side.latchkey.skipPin();
      await side.latchkey.approveAll();
      await side.goto(site.url);
    });
    after(async () => { await side?.close(); });

    const nothingMade = async (what: string, act: () => Promise<unknown>) => {
      const before = (await side.latchkey.listPasskeys()).length;
      const last = await side.latchkey.lastCeremony();
      const outcome = await act();
      assert.equal((await side.latchkey.listPasskeys()).length, before, `${what}: Latchkey made no passkey`);
      assert.deepEqual(await side.latchkey.lastCeremony(), last, `${what}: no Latchkey ceremony at all`);
      return outcome;
    };

    test('appid at create(): NotSupportedError before any ceremony, for a URL, "" and null (§10.1.1)', async () => {
      for (const appid of [site.url, '', null]) {
        const outcome = await nothingMade(`appid ${JSON.stringify(appid)}`, () => side.run(CREATE, [{ appid }, {}]));
        assert.equal((outcome as { error?: string }).error, 'NotSupportedError', `appid ${JSON.stringify(appid)}`);
      }
    });

    test('appid at get(): Latchkey answers its own passkey, with appid: false (the AppID was not used)', async () => {
      const made = await side.run<{ rawId: string; error?: string }>(CREATE, [{}, {}]);
      assert.equal(made.error, undefined, JSON.stringify(made));
      for (const appid of [new URL(site.url).origin, '']) {
        const got = await side.run<{ id: string; extensions: unknown }>(GET, [{ appid }, made.rawId]);
        assert.equal(got.id, made.rawId, JSON.stringify(got));
        assert.deepEqual(got.extensions, { appid: false });
        assert.equal((await side.latchkey.lastCeremony())?.outcome, 'asserted');
      }
    });

    test('ignored identifiers: no output, no error, at create() and get()', async () => {
      const atCreate = { txAuthSimple: 'Pay 5 EUR?', authnSel: [], exts: true, uvi: true, loc: true, uvm: true,
        credBlob: { $bytes: [1, 2, 3] }, minPinLength: true, hmacCreateSecret: true, devicePubKey: {}, supplementalPubKeys: { scopes: ['device'] }, thirdPartyPayment: true,
        appidExclude: new URL(site.url).origin, credentialProtectionPolicy: 'userVerificationOptional' };
      const made = await side.run<{ rawId: string; extensions: unknown; error?: string }>(CREATE, [atCreate, {}]);
      assert.equal(made.error, undefined, JSON.stringify(made));
      assert.deepEqual(made.extensions, {});
      assert.equal((await side.latchkey.lastCeremony())?.outcome, 'created', 'Latchkey made it');
      const atGet = { txAuthSimple: 'Pay?', uvm: true, getCredBlob: true, credProps: true, thirdPartyPayment: true };
      const got = await side.run<{ id: string; extensions: unknown; error?: string }>(GET, [atGet, made.rawId]);
      assert.equal(got.id, made.rawId, JSON.stringify(got));
      assert.deepEqual(got.extensions, {});
    });

    test('an enforced credProtect and a payment credential go to the browser\'s own client', async (t) => {
      const key = await side.addSecurityKey();
      const uvRequired = { authenticatorSelection: { residentKey: 'required', userVerification: 'required' } };
      const credProtect = await nothingMade('credProtect enforced', () => side.run(CREATE, [{ credentialProtectionPolicy: 'userVerificationRequired', enforceCredentialProtectionPolicy: true }, uvRequired]));
      const payment = await nothingMade('payment', () => side.run(CREATE, [{ payment: { isPayment: true } }, { authenticatorSelection: { residentKey: 'required', userVerification: 'required', authenticatorAttachment: 'platform' } }]));
      const paymentGet = await nothingMade('payment at get', () => side.run(GET, [{ payment: { isPayment: true } }, null]));
      // What the browser made of them is its own business; that it was the browser shows in its key
      // (or in an error Latchkey never gives for these: Latchkey would have made a passkey).
      t.diagnostic(`${name}: credProtect ${JSON.stringify(credProtect)}, payment ${JSON.stringify(payment)}, payment get ${JSON.stringify(paymentGet)}, key holds ${await key.credentialCount()}`);
      // Control: without enforcement Latchkey answers (the same options otherwise).
      const mine = await side.run<{ rawId?: string; error?: string }>(CREATE, [{ credentialProtectionPolicy: 'userVerificationRequired' }, uvRequired]);
      assert.ok(mine.rawId && (await side.latchkey.listPasskeys()).some((p) => p.credentialId === mine.rawId), `not enforced: Latchkey's (${JSON.stringify(mine)})`);
    });
  });
}
