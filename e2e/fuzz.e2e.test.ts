// Fuzzing the real background in Chromium (the unit-level properties are in
// src/background/router.fuzz.test.ts and src/messages/validate.fuzz.test.ts). fast-check generates
// the messages here; the browser carries them:
//   1. from the page, through window.postMessage to the bridge (any page can do this);
//   2. from Latchkey's content-script world (found over CDP: what a compromised renderer can do at
//      the least), on a ceremony port of its own and with runtime.sendMessage.
// Then: the service worker is the same one, still running; nothing in the vault or the settings
// changed; no answer holds the private key of the passkey the vault holds (its key is known here:
// the test made it); runtime messages from the content script got no answer at all; and a full
// ceremony still works through the window, as a person does it.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type { CDPSession } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { clickClosing, nextCeremonyWindow } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';
import { keepSuggestedName } from './flows/chromiumDemoFlow';

const SEED = Number(process.env.FUZZ_SEED ?? (Date.now() % 2 ** 31));
const PAGE_MESSAGES = Number(process.env.FUZZ_PAGE_MESSAGES ?? 3000);
const PORT_MESSAGES = Number(process.env.FUZZ_PORT_MESSAGES ?? 1500);
const RUNTIME_MESSAGES = Number(process.env.FUZZ_RUNTIME_MESSAGES ?? 500);
const PIN = '4827-1593';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-fuzz-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); rpOrigin = rp.url; });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

const POLLUTING = ['__proto__', 'constructor', 'prototype'];
const json = fc.jsonValue({ maxDepth: 3 });
const b64u = (min = 0, max = 40) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: min, maxLength: max });
const rpId = fc.oneof(fc.constant(undefined), fc.constantFrom('localhost', 'evil.example', '', 'com'), fc.domain());
const request = fc.oneof(
  fc.record({ op: fc.constant('get'), mediation: fc.constantFrom(undefined, 'conditional', 'silent'), options: fc.record({ challenge: fc.oneof(b64u(16, 43), fc.constant('x'.repeat(70_000))), rpId, userVerification: fc.constantFrom('discouraged', 'required', 1), allowCredentials: fc.array(fc.record({ type: fc.constant('public-key'), id: b64u(16, 22) }), { maxLength: 2 }) }, { requiredKeys: ['challenge'] }) }),
  fc.record({ op: fc.constant('create'), options: fc.record({ rp: fc.record({ name: fc.string(), id: rpId }), user: fc.record({ id: b64u(1, 20), name: fc.string(), displayName: fc.string() }), challenge: b64u(16, 43), pubKeyCredParams: fc.array(fc.record({ type: fc.constant('public-key'), alg: fc.constantFrom(-7, -8, 5) }), { maxLength: 2 }) }, { requiredKeys: [] }) }),
  json,
);
const signal = fc.record({ op: fc.constantFrom('signalUnknownCredential', 'signalAllAcceptedCredentials', 'signalCurrentUserDetails', '__proto__'), options: fc.record({ rpId: fc.constantFrom('localhost', 'evil.example'), credentialId: b64u(16, 22), userId: b64u(1, 20), allAcceptedCredentialIds: fc.array(b64u(16, 22), { maxLength: 2 }), name: fc.string(), displayName: fc.string() }, { requiredKeys: [] }) });
const ceremonyId = fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }), fc.string(), fc.constantFrom(...POLLUTING));
const pageMessage = fc.oneof(
  { weight: 6, arbitrary: fc.record({ channel: fc.constantFrom('latchkey/v1', 'latchkey/v1', 'latchkey/v2'), dir: fc.constantFrom('to-bridge', 'to-bridge', 'to-page'), kind: fc.constantFrom('request', 'signal', 'abort', 'resume', '__proto__'), id: fc.oneof(fc.uuid(), fc.constantFrom(...POLLUTING)), request, signal, ceremonyId }, { requiredKeys: ['channel', 'dir', 'kind', 'id'] }) },
  { weight: 1, arbitrary: json },
);
let rpOrigin = 'http://localhost';
const facts = fc.oneof(fc.record({ origin: fc.oneof(fc.constant(null).map(() => rpOrigin), fc.constantFrom('http://localhost', 'null', 'https://evil.example')), ancestorOrigins: fc.constant([]), policy: fc.constant(null), parentFrameId: fc.constant(null), activation: fc.boolean() }), json);
const cstobg = fc.oneof(
  fc.record({ kind: fc.constant('request'), request, facts }),
  fc.record({ kind: fc.constant('signal'), signal }),
  fc.record({ kind: fc.constantFrom('resume', 'abort', '__proto__'), ceremonyId }),
  json,
);
const envelope = fc.oneof({ weight: 8, arbitrary: fc.record({ rid: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer(), fc.double()), msg: cstobg }) }, { weight: 1, arbitrary: json });
const runtimeMessage = fc.oneof(
  fc.record({ type: fc.constantFrom('ceremony/save', 'ceremony/choose', 'ceremony/cancel', 'ceremony/describe', 'manage/export', 'manage/state', 'manage/settings', 'manage/delete', 'automation/call', 'autofill/list'), id: ceremonyId, name: fc.constantFrom('listPasskeys', 'clearPasskeys', 'setMode'), args: json, settings: json, passphrase: fc.string(), credentialId: b64u(16, 22), token: ceremonyId }, { requiredKeys: ['type'] }),
  json,
);
/** Own __proto__ keys, as JSON.parse makes them (what a structured clone or JSON delivers). */
const withProto = (arb: fc.Arbitrary<unknown>) => fc.tuple(arb, fc.constantFrom(...POLLUTING)).map(([v, k]) => {
  const t = JSON.stringify(v);
  return t?.startsWith('{') && t.length > 2 ? `{"${k}":{"polluted":true},${t.slice(1)}` : t ?? 'null';
});

async function contentScriptWorld(cdp: CDPSession, contexts: { id: number; name: string; origin: string }[], extensionId: string) {
  const world = contexts.filter((c) => c.name === 'Latchkey' && c.origin === `chrome-extension://${extensionId}`).at(-1);
  assert.ok(world, "Latchkey's content-script world exists in the page");
  return async (expression: string): Promise<unknown> => {
    const r = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, awaitPromise: true, returnByValue: true }) as { result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } };
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value;
  };
}

describe('the real background under fuzzed messages from a page and its content-script world', { timeout: 300_000 }, () => {
  test(`Chromium: no crash, no answer it should not give, no key material; a ceremony still works (seed ${SEED})`, async () => {
    console.log(`FUZZ_SEED=${SEED}`);
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin(PIN);
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' });
      const scalar = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
      const secrets = [pkcs8.toString('base64url'), pkcs8.toString('base64'), scalar.toString('base64url'), scalar.toString('base64'), scalar.toString('hex'), Array.from(scalar).join(',')];
      const credentialId = randomBytes(16).toString('base64url');
      await latchkey.addPasskey({ rpId: 'localhost', credentialId, userHandle: randomBytes(16).toString('base64url'), userName: 'fuzz@latchkey.test', privateKey: pkcs8.toString('base64url') });
      const settingsBefore = await latchkey.updateSettings({});
      const passkeysBefore = JSON.stringify(await latchkey.listPasskeys());
      const worker = context.serviceWorkers()[0]!;
      const marker = `alive-${SEED}`;
      await worker.evaluate((m) => { (globalThis as { __fuzzMarker?: string }).__fuzzMarker = m; }, marker);

      const page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      const contexts: { id: number; name: string; origin: string }[] = [];
      cdp.on('Runtime.executionContextCreated', (e: { context: { id: number; name: string; origin: string } }) => contexts.push(e.context));
      await cdp.send('Runtime.enable');
      await page.goto(`${rp.url}/playground`);
      // What the page hears back from the bridge.
      await page.evaluate(() => {
        (window as unknown as { __heard: unknown[] }).__heard = [];
        addEventListener('message', (e) => { if ((e.data as { dir?: string })?.dir === 'to-page') (window as unknown as { __heard: unknown[] }).__heard.push(e.data); });
      });

      // 1. The page posts to the bridge, in batches.
      const pageMsgs = fc.sample(fc.oneof({ weight: 5, arbitrary: pageMessage.map((m) => JSON.stringify(m)) }, { weight: 1, arbitrary: withProto(pageMessage) }), { numRuns: PAGE_MESSAGES, seed: SEED });
      for (let i = 0; i < pageMsgs.length; i += 250) {
        await page.evaluate((batch) => { for (const t of batch) window.postMessage(JSON.parse(t), '*'); }, pageMsgs.slice(i, i + 250));
      }
      // 2. The content-script world: its own ceremony port, and runtime messages.
      const inContentScript = await contentScriptWorld(cdp, contexts, extensionId);
      // One port per message: a bad envelope drops its port (requests.ts), which would end the
      // requests sent before it on the same port before they are answered.
      await inContentScript(`globalThis.__fz = { got: [], answers: [], dropped: 0, send(m) {
        const p = chrome.runtime.connect({ name: 'latchkey-ceremony' });
        p.onMessage.addListener((x) => __fz.got.push(x)); p.onDisconnect.addListener(() => { __fz.dropped++; });
        p.postMessage(m);
      } }; true`);
      const envs = fc.sample(fc.oneof({ weight: 5, arbitrary: envelope.map((m) => JSON.stringify(m)) }, { weight: 1, arbitrary: withProto(envelope) }), { numRuns: PORT_MESSAGES, seed: SEED + 1 });
      for (let i = 0; i < envs.length; i += 100) {
        await inContentScript(`for (const t of ${JSON.stringify(envs.slice(i, i + 100))}) __fz.send(JSON.parse(t)); true`);
      }
      const runtimeMsgs = fc.sample(fc.oneof(runtimeMessage.map((m) => JSON.stringify(m)), withProto(runtimeMessage)), { numRuns: RUNTIME_MESSAGES, seed: SEED + 2 });
      for (let i = 0; i < runtimeMsgs.length; i += 100) {
        await inContentScript(`Promise.all(${JSON.stringify(runtimeMsgs.slice(i, i + 100))}.map((t) => chrome.runtime.sendMessage(JSON.parse(t)).then((a) => { if (a !== undefined) __fz.answers.push(a); }, () => {}))).then(() => true)`);
      }
      await page.waitForTimeout(2000);
      const port = await inContentScript('JSON.stringify({ got: __fz.got, answers: __fz.answers, dropped: __fz.dropped })') as string;
      const heard = JSON.stringify(await page.evaluate(() => (window as unknown as { __heard: unknown[] }).__heard));
      const { got, answers, dropped } = JSON.parse(port) as { got: { rid: number; msg: { kind: string; result?: { status: string } } }[]; answers: unknown[]; dropped: number };

      // Windows the fuzzed requests opened (a well-formed request for localhost is a real request): cancel them.
      const windows = context.pages().filter((p) => p.url().includes('/popup/ceremony.html'));
      for (const w of windows) await w.close();

      assert.equal(await worker.evaluate(() => (globalThis as { __fuzzMarker?: string }).__fuzzMarker), marker, 'the same service worker, still running');
      assert.deepEqual(answers, [], 'runtime messages from a content script get no answer');
      for (const m of got) assert.ok(m.msg.kind === 'started' || (m.msg.kind === 'result' && ['handover', 'error'].includes(m.msg.result!.status)), `a port answer: ${JSON.stringify(m)}`);
      for (const s of secrets) assert.ok(!heard.includes(s) && !port.includes(s), 'no key material reached the page or its content script');
      assert.equal(JSON.stringify(await latchkey.listPasskeys()), passkeysBefore, 'the vault is as it was');
      assert.deepEqual(await latchkey.updateSettings({}), settingsBefore, 'the settings are as they were');
      assert.equal(({} as { polluted?: unknown }).polluted, undefined);
      console.log(`FUZZ_E2E_COUNTS ${JSON.stringify({ pageMessages: pageMsgs.length, portMessages: envs.length, runtimeMessages: runtimeMsgs.length, portAnswers: got.length, portDrops: dropped, pageHeard: (JSON.parse(heard) as unknown[]).length, windowsOpened: windows.length })}`);

      // A ceremony still works, through the window, as a person does it.
      const fresh = await context.newPage();
      await fresh.goto(`${rp.url}/playground`);
      const opens = nextCeremonyWindow(context);
      const made = fresh.evaluate(() => navigator.credentials.create({ publicKey: {
        rp: { name: 'After' }, user: { id: new Uint8Array([9, 9, 9]), name: 'after@latchkey.test', displayName: 'After' },
        challenge: crypto.getRandomValues(new Uint8Array(32)), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } }).then((c) => (c as PublicKeyCredential).id, (e: Error) => `error ${e.name}`));
      const win = await opens;
      await clickClosing(win.getByRole('button', { name: 'Save passkey' }));
      await keepSuggestedName(win, () => {});
      const id = await made;
      assert.ok((await latchkey.listPasskeys('localhost')).some((p) => p.credentialId === id), `the new passkey is saved (${id})`);
      const opensGet = nextCeremonyWindow(context);
      const signed = fresh.evaluate(() => navigator.credentials.get({ publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), userVerification: 'discouraged' } }).then((c) => (c as PublicKeyCredential).id, (e: Error) => `error ${e.name}`));
      const getWin = await opensGet;
      await clickClosing(getWin.getByRole('button', { name: 'after@latchkey.test' }));
      assert.equal(await signed, id, 'and signs in with it');
    } finally {
      await close();
    }
  });
});
