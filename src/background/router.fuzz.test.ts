// Property-based fuzzing (fast-check) of every message the real background accepts: the runtime
// messages of each sender (src/background/index.ts's router: ceremony window, manage page, toolbar
// popup, autofill frame, automation page, and everyone else) and the ceremony port
// (src/background/requests.ts). The background runs as built, with its real vault on
// fake-indexeddb and src/background/fuzzBrowser.ts for the browser's plumbing.
//
// Properties, for thousands of generated messages (wrong types, huge strings, __proto__ /
// constructor / prototype keys, replayed ceremony ids):
//   - nothing throws out of a listener and no promise is left rejected (the worker never crashes);
//   - a sender that is not one of Latchkey's own pages gets no answer at all, and changes nothing;
//   - the toolbar popup gets answers only to manage/state and manage/lock;
//   - no answer, and no message on a port, ever holds key material (the private keys, the vault key);
//   - a ceremony id answers only the frame that started it: a replay from elsewhere is refused;
//   - Object.prototype is never polluted.
// The counts are printed (FUZZ_COUNTS) and recorded in docs/SECURITY.md.
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { fakeBrowser, fakePort, type FakeSender } from './fuzzBrowser';

const fake = fakeBrowser();
Object.assign(globalThis, { chrome: fake, browser: fake });
const unhandled: unknown[] = [];
process.on('unhandledRejection', (e) => { unhandled.push(e); });
const quiet = console.error;
console.error = () => {}; // the background logs the failures it answers; the properties check the answers

await import('./index');
const { vault } = await import('./vaultInstance');
const { readSession } = await import('./session');
const { readSettings } = await import('./settings');
const automation = (globalThis as unknown as { latchkeyAutomation: { call(n: string, a?: unknown): Promise<unknown> } }).latchkeyAutomation;

const ID = fake.runtime.id;
const page = (p: string) => fake.runtime.getURL(p);
const onMessage = (m: unknown, s: FakeSender) => fake.runtime.onMessage.listeners[0]!(m, s);
const onConnect = (port: ReturnType<typeof fakePort>) => { for (const l of fake.runtime.onConnect.listeners) (l as (p: unknown) => void)(port); };
const counts: Record<string, number> = {};
const count = (k: string, n = 1) => { counts[k] = (counts[k] ?? 0) + n; };
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

// --- what must never be seen: filled in once the vault holds a passkey and is unlocked ---
let secrets: string[] = [];
function assertNoSecret(x: unknown, where: string): void {
  let s: string;
  try { s = JSON.stringify(x) ?? ''; } catch { s = String(x); }
  for (const k of secrets) assert.ok(!s.includes(k), `${where}: key material in an answer`);
}
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
async function collectSecrets(): Promise<void> {
  const session = await readSession();
  assert.ok(session, 'unlocked');
  const items = await (await vault()).exportPasskeys(session.vaultKey);
  assert.ok(items.length > 0);
  const raw = [session.vaultKey, ...items.map((i) => Buffer.from(i.privateKey, 'base64url'))];
  secrets = raw.flatMap((b) => [Buffer.from(b).toString('base64url'), Buffer.from(b).toString('base64'), toHex(b), Array.from(b).join(',')]);
  // The 32-byte scalar inside each PKCS#8 key, as any encoding of it would show it.
  for (const i of items) { const d = Buffer.from(i.privateKey, 'base64url'); secrets.push(toHex(d.subarray(d.length - 32))); }
}

// --- generators ---
const POLLUTING = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];
const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...POLLUTING, 'type', 'id', 'kind', 'rid', 'msg', 'pin', 'settings'));
const junk = fc.anything({ key, maxDepth: 3, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true });
const huge = fc.constantFrom('x'.repeat(70_000), 'A'.repeat(1_100_000), '\u{1F600}'.repeat(40_000));
const idish = fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }), fc.string(), huge, fc.constantFrom(...POLLUTING), junk);
/** Own __proto__ / constructor keys, as JSON.parse makes them (an object literal would set the prototype). */
const polluted = fc.tuple(fc.constantFrom(...POLLUTING), fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }))
  .map(([k, type, v]) => JSON.parse(`{"type": ${JSON.stringify(type)}, "${k}": {"polluted": ${JSON.stringify(v)}, "ok": true, "isAdmin": true}}`));

const UI_TYPES = ['ceremony/describe', 'ceremony/save', 'ceremony/choose', 'ceremony/set-pin', 'ceremony/unlock', 'ceremony/handover', 'ceremony/always-handover', 'ceremony/cancel', 'ceremony/name'];
const MANAGE_TYPES = ['manage/state', 'manage/lock', 'manage/rename', 'manage/delete', 'manage/unhide', 'manage/settings', 'manage/import', 'manage/export', 'manage/unlock', 'manage/change-pin'];
const uiMessage = (ids: () => string[]) => fc.oneof(
  junk, polluted,
  fc.record({ type: fc.oneof(fc.constantFrom(...UI_TYPES, ...POLLUTING), fc.string()), id: fc.oneof(idish, fc.constant(null).map(() => ids()[0] ?? '')), credentialId: fc.oneof(fc.base64String(), idish), pin: fc.oneof(fc.string(), huge), label: fc.oneof(fc.string(), huge, junk) }, { requiredKeys: ['type'] }),
);

describe('the background under fuzzed messages', { timeout: 120_000 }, () => {
  const site: FakeSender = { id: ID, url: 'https://site.example/login', origin: 'https://site.example', frameId: 0, tab: { id: 7, windowId: 1, url: 'https://site.example/login' } };
  let settledIds: string[] = [];
  let liveId = '';
  let livePort: ReturnType<typeof fakePort>;

  before(async () => {
    await automation.call('setPin', { pin: 'correct horse 4827' });
    await automation.call('setMode', { mode: 'auto' });
    // Two passkeys, created as a page would create them.
    const port = fakePort('latchkey-ceremony', site);
    onConnect(port);
    for (const [rid, name] of [[1, 'alice'], [2, 'bob']] as const) {
      port.send({ rid, msg: { kind: 'request', request: { op: 'create', options: {
        rp: { name: 'Site' }, user: { id: Buffer.from(name).toString('base64url'), name, displayName: name },
        challenge: 'AAAAAAAAAAAAAAAAAAAAAA', pubKeyCredParams: [{ type: 'public-key', alg: rid === 1 ? -7 : -8 }] } },
        facts: { origin: 'https://site.example', ancestorOrigins: [], policy: null, parentFrameId: null, activation: false } } });
    }
    await waitFor(() => port.posted.filter((m) => (m as { msg: { kind: string } }).msg.kind === 'result').length === 2);
    for (const m of port.posted) assert.equal((m as { msg: { result: { status: string } } }).msg.result.status, 'created');
    assert.equal((await (await vault()).listAll()).length, 2);
    await collectSecrets();
    // Ceremonies with ids: back to the window, start three gets, cancel two (their ids are the replays).
    await automation.call('setMode', { mode: 'window' });
    // One window per tab (issue 15): the two to cancel come from two other tabs of the site, the
    // live one from `site`'s own tab.
    const getRequest = { kind: 'request', request: { op: 'get', options: { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' } }, facts: { origin: 'https://site.example', ancestorOrigins: [], policy: null, parentFrameId: null, activation: false } };
    const ports = [8, 9].map((tabId) => fakePort('latchkey-ceremony', { ...site, tab: { id: tabId, windowId: 1, url: site.url } }));
    livePort = fakePort('latchkey-ceremony', site);
    for (const p of [...ports, livePort]) { onConnect(p); p.send({ rid: 1, msg: getRequest }); }
    const startedOn = (p: ReturnType<typeof fakePort>) => p.posted.map((m) => (m as { msg: { kind: string; ceremonyId?: string } }).msg).find((m) => m.kind === 'started')?.ceremonyId;
    await waitFor(() => [...ports, livePort].every((p) => startedOn(p) !== undefined));
    const ids = [...ports, livePort].map((p) => startedOn(p)!);
    const ceremonyPage: FakeSender = { id: ID, url: page('popup/ceremony.html') + `#${ids[0]}`, tab: { id: 99, windowId: 100 } };
    for (const id of ids.slice(0, 2)) assert.deepEqual(await onMessage({ type: 'ceremony/cancel', id }, ceremonyPage), { next: 'done' });
    settledIds = ids.slice(0, 2);
    liveId = ids[2]!;
  });

  after(() => {
    console.error = quiet;
    console.log(`FUZZ_COUNTS ${JSON.stringify(counts)}`);
  });

  test('senders that are not Latchkey pages get no answer and change nothing', async () => {
    const before = await snapshot();
    const sender = fc.oneof(
      fc.record({ id: fc.constantFrom(ID), url: fc.webUrl(), origin: fc.webUrl().map((u) => new URL(u).origin), frameId: fc.nat(5), tab: fc.record({ id: fc.nat(50), windowId: fc.nat(5) }) }),
      // another extension, even one that names Latchkey's pages in its URL
      fc.record({ id: fc.constantFrom('otherextension', 'evil', ''), url: fc.constantFrom(...['popup/ceremony.html', 'options/options.html', 'action/action.html', 'automation/automation.html', 'autofill/autofill.html'].map(page)) }),
      // a web page whose URL looks like one of ours
      fc.constantFrom<FakeSender>({ id: ID, url: `https://evil.example/${ID}/options/options.html` }, { id: ID, url: page('options/options.html.evil') }, { id: ID, url: page('popup/ceremony.htmlx') }, { id: ID }),
    );
    await fc.assert(fc.asyncProperty(sender, fc.oneof(uiMessage(() => [liveId]), fc.record({ type: fc.constantFrom(...MANAGE_TYPES), pin: fc.string(), credentialId: fc.string(), settings: junk }), fc.record({ type: fc.constant('automation/call'), name: fc.constantFrom('setMode', 'clearPasskeys', 'listPasskeys', 'setPin'), args: junk })), async (s, m) => {
      count('messages.stranger');
      assert.equal(onMessage(m, s), undefined);
    }), { numRuns: RUNS * 2, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
    assert.deepEqual(await snapshot(), before);
    assertClean();
  });

  test('the ceremony window: any message is answered with a step or null, never a secret; replays end', async () => {
    const sender: FakeSender = { id: ID, url: page('popup/ceremony.html') + '#x', tab: { id: 99, windowId: 100 } };
    const before = await snapshot();
    await fc.assert(fc.asyncProperty(fc.oneof(uiMessage(() => settledIds), fc.record({ type: fc.constantFrom(...UI_TYPES.filter((t) => t !== 'ceremony/set-pin' && t !== 'ceremony/unlock')), id: fc.constantFrom(...settledIds) })), async (m) => {
      count('messages.ceremonyWindow');
      const a = await onMessage(m, sender);
      assert.ok(a === null || (typeof a === 'object' && typeof (a as { next?: unknown }).next === 'string'), JSON.stringify(a));
      const id = (m as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && settledIds.includes(id)) { count('replays.ceremonyWindow'); assert.ok(a === null || ['error'].includes((a as { next: string }).next), `a replayed id answered ${JSON.stringify(a)}`); }
      assertNoSecret(a, 'ceremony window');
    }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
    assert.deepEqual(await snapshot(), before);
    assertClean();
  });

  test('the manage page: every answer is { ok } with a reason or a value, never a secret', async () => {
    const sender: FakeSender = { id: ID, url: page('options/options.html') };
    const { unlocked: _, ...before } = await snapshot();
    // Locked first: nothing that changes the vault may succeed.
    await automation.call('lock');
    const manage = fc.oneof(junk, polluted, fc.record({
      type: fc.oneof(fc.constantFrom(...MANAGE_TYPES.filter((t) => t !== 'manage/unlock' && t !== 'manage/change-pin')), fc.string(), fc.constantFrom(...POLLUTING)),
      credentialId: fc.oneof(fc.base64String(), idish), label: fc.oneof(fc.string(), huge, junk), settings: fc.oneof(junk, fc.record({ autoLockMinutes: fc.oneof(fc.integer(), fc.double(), junk), uvGraceSeconds: fc.oneof(fc.integer(), junk), handoverSites: fc.oneof(fc.array(fc.domain()), junk) })),
      content: fc.oneof(fc.string(), huge, fc.json()), format: fc.constantFrom('latchkey', 'bitwarden', 'x'), passphrase: fc.oneof(fc.string({ maxLength: 0 }), junk),
    }, { requiredKeys: ['type'] }));
    await fc.assert(fc.asyncProperty(manage, async (m) => {
      count('messages.manageLocked');
      const a = await onMessage(m, sender) as { ok: boolean; error?: string };
      assert.equal(typeof a?.ok, 'boolean');
      const t = (m as { type?: unknown } | null)?.type;
      if (a.ok) assert.ok(t === 'manage/state' || t === 'manage/lock', `${String(t)} succeeded while locked`);
      else assert.equal(typeof a.error, 'string');
      assertNoSecret(a, 'manage page');
    }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
    const { unlocked, ...lockedAfter } = await snapshot();
    assert.deepEqual(lockedAfter, before);
    assert.equal(unlocked, false, 'no fuzzed message unlocked the vault');
    // Unlocked: renames, deletes and settings of random data; answers still never hold a secret.
    await automation.call('setPin', { pin: 'correct horse 4827' }).catch(() => {});
    assert.deepEqual(await onMessage({ type: 'manage/unlock', pin: 'correct horse 4827' }, sender), { ok: true, value: null });
    await fc.assert(fc.asyncProperty(manage, async (m) => {
      count('messages.manageUnlocked');
      const a = await onMessage(m, sender) as { ok: boolean; error?: string };
      assert.equal(typeof a?.ok, 'boolean');
      assertNoSecret(a, 'manage page (unlocked)');
    }), { numRuns: Math.ceil(RUNS / 3), ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
    const after = await snapshot();
    assert.equal(after.passkeys, before.passkeys, 'random credential ids delete nothing');
    assertClean();
  });

  test('the toolbar popup: answers only manage/state and manage/lock', async () => {
    const sender: FakeSender = { id: ID, url: page('action/action.html') };
    await fc.assert(fc.asyncProperty(fc.oneof(junk, polluted, fc.record({ type: fc.oneof(fc.constantFrom(...MANAGE_TYPES, ...UI_TYPES), fc.string()), id: idish, pin: fc.string() }, { requiredKeys: ['type'] })), async (m) => {
      count('messages.actionPopup');
      const t = (m as { type?: unknown } | null)?.type;
      const a = onMessage(m, sender);
      if (t === 'manage/state' || t === 'manage/lock') { assert.equal((await a as { ok: boolean }).ok, true); assertNoSecret(await a, 'popup'); } else assert.equal(a, undefined);
    }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
    assertClean();
  });

  test('the autofill frame and the automation page: answered, never with a secret, never crashing', async () => {
    const autofill: FakeSender = { id: ID, url: page('autofill/autofill.html') + '?t=abc', tab: { id: 7, windowId: 1 }, frameId: 3 };
    const before = await snapshot();
    await fc.assert(fc.asyncProperty(fc.oneof(junk, polluted, fc.record({ type: fc.oneof(fc.constantFrom('autofill/list', 'autofill/choose'), fc.string()), token: idish, credentialId: idish }, { requiredKeys: ['type'] })), async (m) => {
      count('messages.autofillFrame');
      const a = await onMessage(m, autofill);
      assertNoSecret(a, 'autofill frame');
    }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
    assert.deepEqual(await snapshot(), before);
    const automationPage: FakeSender = { id: ID, url: page('automation/automation.html') };
    await fc.assert(fc.asyncProperty(fc.oneof(junk, polluted, fc.record({ type: fc.constant('automation/call'), name: fc.oneof(fc.string(), fc.constantFrom(...POLLUTING, 'call')), args: junk })), async (m) => {
      count('messages.automationPage');
      const a = await onMessage(m, automationPage) as { ok: boolean };
      assert.equal(typeof a.ok, 'boolean');
    }), { numRuns: Math.ceil(RUNS / 3), ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
    assertClean();
  });

  test('the ceremony port: bad envelopes drop the port, good ones are answered; ids answer only their own frame', async () => {
    // Not tab 7, the live ceremony's: its own frame may rightly resume it (and end it by leaving).
    const frames = fc.record({ id: fc.constant(ID), url: fc.oneof(fc.webUrl({ validSchemes: ['https'] }), fc.constantFrom('https://site.example/', 'https://login.site.example/a', 'http://localhost:8080/')), frameId: fc.oneof(fc.constant(0), fc.nat(3)), tab: fc.record({ id: fc.integer({ min: 10, max: 30 }), windowId: fc.nat(3) }) }).map((s) => s as typeof s & { origin: string; tab: { url?: string } });
    // Mostly well-formed requests (so they get past the checks of validate.ts into requests.ts), some junk.
    const b64u = (min = 0, max = 40) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: min, maxLength: max });
    const rpId = fc.oneof(fc.constant(undefined), fc.domain(), fc.constantFrom('site.example', 'example', 'localhost', '', 'com'), fc.string({ maxLength: 8 }));
    const create = fc.record({ op: fc.constant('create'), options: fc.record({
      rp: fc.record({ name: fc.string({ maxLength: 20 }), id: rpId }, { requiredKeys: ['name'] }),
      user: fc.record({ id: b64u(1, 20), name: fc.string({ maxLength: 20 }), displayName: fc.string({ maxLength: 20 }) }),
      challenge: b64u(16, 43), pubKeyCredParams: fc.array(fc.record({ type: fc.constantFrom('public-key', 'x'), alg: fc.constantFrom(-7, -8, -257, 3) }), { maxLength: 3 }),
      timeout: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })), hints: fc.array(fc.constantFrom('security-key', 'hybrid', 'client-device', '__proto__'), { maxLength: 3 }),
      excludeCredentials: fc.array(fc.record({ type: fc.constant('public-key'), id: b64u(16, 22) }), { maxLength: 2 }),
      extensions: fc.oneof(fc.constant(undefined), fc.record({ credProps: fc.boolean(), prf: fc.record({ eval: fc.record({ first: b64u(0, 43) }) }) })),
    }, { requiredKeys: ['rp', 'user', 'challenge', 'pubKeyCredParams'] }) });
    const get = fc.record({ op: fc.constant('get'), mediation: fc.constantFrom(undefined, 'conditional'), options: fc.record({
      challenge: b64u(16, 43), rpId, timeout: fc.integer(), userVerification: fc.constantFrom('required', 'preferred', 'discouraged', 'x'),
      allowCredentials: fc.array(fc.record({ type: fc.constant('public-key'), id: b64u(16, 22) }), { maxLength: 3 }),
    }, { requiredKeys: ['challenge'] }) }, { requiredKeys: ['op', 'options'] });
    const request = fc.oneof({ weight: 4, arbitrary: create }, { weight: 4, arbitrary: get }, { weight: 1, arbitrary: junk });
    const facts = fc.oneof({ weight: 6, arbitrary: fc.record({ origin: fc.oneof(fc.webUrl().map((u) => new URL(u).origin), fc.constant('null')), ancestorOrigins: fc.oneof(fc.constant(null), fc.array(fc.webUrl().map((u) => new URL(u).origin), { maxLength: 2 })), policy: fc.oneof(fc.constant(null), fc.record({ create: fc.option(fc.boolean()), get: fc.option(fc.boolean()) })), parentFrameId: fc.option(fc.nat(3)), activation: fc.boolean() }) }, { weight: 1, arbitrary: junk });
    const msg = fc.oneof(
      { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: polluted },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('resume'), ceremonyId: fc.oneof(fc.constantFrom(...settledIds, liveId), idish) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort') }) },
      { weight: 8, arbitrary: fc.record({ kind: fc.constant('request'), request, facts }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('signal'), signal: fc.record({ op: fc.constantFrom('signalUnknownCredential', 'signalAllAcceptedCredentials', 'signalCurrentUserDetails', 'x'), options: fc.oneof(junk, fc.record({ rpId: fc.oneof(fc.domain(), fc.constant('site.example')), credentialId: b64u(16, 22), userId: b64u(1, 20), allAcceptedCredentialIds: fc.array(b64u(16, 22), { maxLength: 3 }), name: fc.string(), displayName: fc.string() })) }) }) },
    );
    const envelope = fc.oneof({ weight: 1, arbitrary: junk }, { weight: 1, arbitrary: polluted }, { weight: 12, arbitrary: fc.record({ rid: fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), junk) }), msg }) });
    const before = await snapshot();
    // Automation answers every create with "save": a fuzzed create that passes every check could add
    // a passkey, which is right for a real site; here every ceremony goes to the (fake) window instead.
    await automation.call('setMode', { mode: 'window' });
    await fc.assert(fc.asyncProperty(frames, fc.array(envelope, { minLength: 1, maxLength: 6 }), async (sender, envs) => {
      count('ports.ceremony');
      // The browser's sender agrees with itself: a top frame's tab URL is its URL, its origin the URL's.
      sender.origin = new URL(sender.url).origin;
      if (sender.frameId === 0) sender.tab.url = sender.url;
      // Most requests carry facts that agree with the sender (as the real bridge's do), so they reach
      // the RP ID check and beyond; the rest keep their random facts.
      for (const e of envs) {
        const f = (e as { msg?: { facts?: { origin?: unknown; ancestorOrigins?: unknown } } } | null)?.msg?.facts;
        if (f && typeof f === 'object' && typeof f.origin === 'string' && f.origin !== 'null') { f.origin = sender.origin; if (sender.frameId === 0) f.ancestorOrigins = []; }
      }
      const port = fakePort('latchkey-ceremony', sender);
      onConnect(port);
      for (const e of envs) {
        count('messages.ceremonyPort');
        port.send(e);
        if (port.disconnected) { count('drops.ceremonyPort'); break; }
      }
      await settleMicrotasks();
      for (const p of port.posted) {
        const env = p as { rid: unknown; msg: { kind: string; result?: { status: string; name?: string } } };
        assert.ok(Number.isSafeInteger(env.rid) && (env.rid as number) >= 1, 'answers name a request the bridge sent');
        assert.ok(env.msg.kind === 'result' || env.msg.kind === 'started');
        count(`answers.ceremonyPort.${env.msg.kind === 'result' ? env.msg.result!.status : env.msg.kind}`);
        if (env.msg.kind === 'result') assert.ok(['handover', 'error'].includes(env.msg.result!.status), `a fuzzed request was ${env.msg.result!.status}`);
      }
      // A replayed id, from a frame that did not start it, is refused and the ceremony stays its owner's.
      for (const e of envs) {
        const m = (e as { msg?: { kind?: unknown; ceremonyId?: unknown } } | null)?.msg;
        if (m?.kind === 'resume' && (settledIds.includes(m.ceremonyId as string) || m.ceremonyId === liveId)) count('replays.ceremonyPort');
      }
      for (const p of port.posted) {
        const env = p as { msg: { kind: string; ceremonyId?: string } };
        if (env.msg.kind === 'started') assert.ok(env.msg.ceremonyId !== liveId && !settledIds.includes(env.msg.ceremonyId!), 'a replayed ceremony id was attached to another frame');
      }
      assertNoSecret(port.posted, 'ceremony port');
      port.close();
    }), { numRuns: RUNS * 2, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
    assert.deepEqual((await snapshot()).passkeys, before.passkeys);
    assertClean();
  });

  test('passkey autofill with a live offer: only its tab is answered, only with names and ids; only a known passkey signs in', async () => {
    await automation.call('setMode', { mode: 'window' });
    await automation.call('setPin', { pin: 'correct horse 4827' }); // unlocked, PIN fresh: a known choice signs at once
    const port = fakePort('latchkey-ceremony', site);
    onConnect(port);
    port.send({ rid: 1, msg: { kind: 'request', request: { op: 'get', mediation: 'conditional', options: { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' } }, facts: { origin: 'https://site.example', ancestorOrigins: [], policy: null, parentFrameId: null, activation: false } } });
    const offerKey = () => [...fake.storage.session.map.keys()].find((k) => k.startsWith('latchkey.offer.'));
    await waitFor(() => offerKey() !== undefined);
    const token = offerKey()!.slice('latchkey.offer.'.length);
    const known = new Set((await (await vault()).listAll()).map((p) => p.credentialId));
    const frame = (tabId: number): FakeSender => ({ id: ID, url: page('autofill/autofill.html') + `?t=${token}`, tab: { id: tabId, windowId: 1 }, frameId: 4 });
    await fc.assert(fc.asyncProperty(
      fc.constantFrom(7, 7, 7, 8, 70),
      fc.oneof(fc.record({ type: fc.constant('autofill/list'), token: fc.oneof(fc.constant(token), idish) }), fc.record({ type: fc.constant('autofill/choose'), token: fc.oneof(fc.constant(token), idish), credentialId: fc.oneof(fc.constantFrom(...known), fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: 22, maxLength: 22 }), idish) }), polluted, junk),
      async (tabId, m) => {
        count('messages.autofillOffer');
        const a = await onMessage(m, frame(tabId)) as { rpId?: string; accounts?: Record<string, unknown>[]; next?: string } | null;
        assertNoSecret(a, 'autofill offer');
        if (a && 'accounts' in a) {
          count('answers.autofillOffer.list');
          assert.equal(tabId, 7, 'the list goes only to the tab of the offer');
          for (const acc of a.accounts!) assert.deepEqual(Object.keys(acc).sort(), ['createdAt', 'credentialId', 'lastUsedAt', 'userDisplayName', 'userName']);
        }
        // "window": the ceremony window takes over at its PIN step (it checks the choice again after);
        // "done": signed in, which only a passkey the vault holds can do, chosen in the offer's tab.
        if (a?.next === 'window') { count('answers.autofillOffer.window'); assert.equal(tabId, 7); }
        if (a?.next === 'done') {
          count('answers.autofillOffer.done');
          assert.ok(tabId === 7 && known.has((m as { credentialId: string }).credentialId), 'only a known passkey, chosen in the offer\'s tab');
        }
      }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
    port.close();
    assertClean();
  });

  test('the live ceremony still belongs to its frame, which can resume it and see it through', async () => {
    // As after a worker restart, the bridge asks on a new port (the old one is left as it is: closing
    // it would be the page going away, which ends the ceremony).
    const again = fakePort('latchkey-ceremony', site);
    onConnect(again);
    again.send({ rid: 9, msg: { kind: 'resume', ceremonyId: liveId } });
    await waitFor(() => again.posted.length > 0);
    assert.deepEqual(again.posted[0], { rid: 9, msg: { kind: 'started', ceremonyId: liveId } });
    const win: FakeSender = { id: ID, url: page('popup/ceremony.html') + `#${liveId}`, tab: { id: 99, windowId: 100 } };
    const view = await onMessage({ type: 'ceremony/describe', id: liveId }, win) as { accounts: unknown[] };
    assert.equal(view.accounts.length, 2);
    assertNoSecret(view, 'describe');
    assert.deepEqual(await onMessage({ type: 'ceremony/cancel', id: liveId }, win), { next: 'done' });
    await waitFor(() => again.posted.length > 1);
    assert.equal((again.posted[1] as { msg: { result: { name: string } } }).msg.result.name, 'NotAllowedError');
    assertClean();
  });
});

async function snapshot() {
  const v = await vault();
  const list = await v.listAll();
  return { passkeys: list.map((p) => `${p.credentialId} ${p.userName} ${p.label ?? ''} ${p.hidden ? 'h' : ''}`).sort().join('|'), settings: JSON.stringify(await readSettings()), unlocked: (await readSession()) !== null };
}
function assertClean(): void {
  assert.deepEqual(unhandled, [], 'no rejected promise was left unhandled');
  assert.equal(Object.hasOwn(Object.prototype, 'polluted'), false);
  assert.equal(({} as { polluted?: unknown; isAdmin?: unknown }).isAdmin, undefined, 'Object.prototype was not polluted');
  assert.equal(Object.getOwnPropertyNames(Object.prototype).length, BASE_PROTO_KEYS, 'no key was added to Object.prototype');
}
const BASE_PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).length;
async function settleMicrotasks(): Promise<void> { for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); }
async function waitFor(f: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !f(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(f(), 'waited for the background');
}
