// The proxy's bookkeeping with a stand-in for chrome.webAuthenticationProxy (the real API is tested
// in real Chromium: e2e/proxy.e2e.test.ts). Checked here: when it attaches and detaches (setting,
// hand-overs, releases), how a request becomes a ceremony and its answer a completion, and what it
// refuses without starting one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CeremonyRequest, FrameFacts } from '../messages/protocol';

(globalThis as { chrome?: unknown }).chrome = {
  runtime: { id: 'test', getURL: (p: string) => `chrome-extension://test/${p}` },
  storage: { onChanged: { addListener() {} }, local: { get: async () => ({}), set: async () => {} }, session: { get: async () => ({}), set: async () => {}, remove: async () => {} } },
  windows: { onRemoved: { addListener() {} } },
};
const { WebAuthnProxy, HANDOVER_GAP_MS } = await import('./proxy');

type Listener<T> = (x: T) => void;
function fakeApi() {
  const calls: string[] = [];
  const listeners: { create?: Listener<{ requestId: number; requestDetailsJson: string }>; get?: Listener<{ requestId: number; requestDetailsJson: string }>; uvpaa?: Listener<{ requestId: number }> } = {};
  const completions: { op: string; requestId: number; responseJson?: string; error?: { name: string; message: string }; isUvpaa?: boolean }[] = [];
  const api = {
    attach: async () => { calls.push('attach'); },
    detach: async () => { calls.push('detach'); },
    onCreateRequest: { addListener: (f: never) => { listeners.create = f; } },
    onGetRequest: { addListener: (f: never) => { listeners.get = f; } },
    onIsUvpaaRequest: { addListener: (f: never) => { listeners.uvpaa = f; } },
    onRequestCanceled: { addListener: () => {} },
    completeCreateRequest: async (d: { requestId: number }) => { completions.push({ op: 'create', ...d }); },
    completeGetRequest: async (d: { requestId: number }) => { completions.push({ op: 'get', ...d }); },
    completeIsUvpaaRequest: async (d: { requestId: number; isUvpaa: boolean }) => { completions.push({ op: 'uvpaa', ...d }); },
  };
  return { api, calls, listeners, completions };
}
const tick = () => new Promise((r) => setTimeout(r, 10));
const CREATE = (origin: string, same = true) => JSON.stringify({
  rp: { id: 'shop.example', name: 'Shop' }, user: { id: 'AAAA', name: 'a', displayName: 'A' }, challenge: 'AAAAAAAAAAAAAAAAAAAAAA',
  pubKeyCredParams: [{ type: 'public-key', alg: -7 }], timeout: 180000, attestation: 'none', excludeCredentials: [],
  extensions: { credProps: true, remoteDesktopClientOverride: { origin, sameOriginWithAncestors: same } },
});

test('attaches when wanted, detaches around a hand-over and attaches again after the gap', async () => {
  const f = fakeApi();
  let wanted = true;
  const p = new WebAuthnProxy({ api: f.api, start: async () => {}, findTab: async () => null, wanted: async () => wanted });
  await p.sync();
  assert.deepEqual(f.calls, ['attach']);
  await p.beforeHandover();
  assert.deepEqual(f.calls, ['attach', 'detach'], 'detached before the hand-over is sent');
  await new Promise((r) => setTimeout(r, HANDOVER_GAP_MS + 50));
  await p.sync();
  assert.deepEqual(f.calls, ['attach', 'detach', 'attach']);
  wanted = false;
  await p.sync();
  assert.equal(p.isAttached(), false);
  await p.beforeHandover();
  assert.deepEqual(f.calls, ['attach', 'detach', 'attach', 'detach'], 'nothing to do when not attached');
});

test('a request becomes a ceremony for the tab showing the origin; its answer completes the request', async () => {
  const f = fakeApi();
  const started: { request: CeremonyRequest; facts: FrameFacts; sender: unknown }[] = [];
  const p = new WebAuthnProxy({
    api: f.api, wanted: async () => true,
    findTab: async (origin) => (origin === 'https://shop.example' ? { id: 7, windowId: 3, url: 'https://shop.example/account' } : null),
    start: async (port, reply, request, facts) => {
      started.push({ request, facts, sender: port.sender });
      reply.post({ kind: 'result', result: { status: 'created', credential: { id: 'abc' } as never } });
    },
  });
  void p;
  f.listeners.create!({ requestId: 11, requestDetailsJson: CREATE('https://shop.example') });
  await tick();
  assert.equal(started.length, 1);
  const s = started[0]!;
  assert.equal(s.request.op, 'create');
  assert.deepEqual(s.request.options.extensions, { credProps: true }, 'the proxy\'s own extension is not the page\'s');
  assert.deepEqual((s.sender as { tab: unknown }).tab, { id: 7, windowId: 3, url: 'https://shop.example/account' });
  assert.equal((s.sender as { origin: string }).origin, 'https://shop.example');
  assert.equal((s.sender as { frameId: number }).frameId, 0);
  assert.deepEqual(f.completions, [{ op: 'create', requestId: 11, responseJson: JSON.stringify({ id: 'abc' }) }]);
});

test('refused without a ceremony: a cross-origin frame (no top-level origin), no tab, no origin, bad JSON', async () => {
  const f = fakeApi();
  let starts = 0;
  new WebAuthnProxy({ api: f.api, wanted: async () => true, findTab: async () => null, start: async () => { starts++; } });
  f.listeners.create!({ requestId: 1, requestDetailsJson: CREATE('https://shop.example', false) });
  f.listeners.create!({ requestId: 2, requestDetailsJson: CREATE('https://shop.example') });
  f.listeners.get!({ requestId: 3, requestDetailsJson: JSON.stringify({ challenge: 'AAAA' }) });
  f.listeners.get!({ requestId: 4, requestDetailsJson: '{' });
  await tick();
  assert.equal(starts, 0);
  assert.deepEqual(f.completions.map((c) => [c.requestId, c.error?.name]).sort((a, b) => (a[0] as number) - (b[0] as number)), [[1, 'NotAllowedError'], [2, 'NotAllowedError'], [3, 'NotAllowedError'], [4, 'NotAllowedError']]);
  assert.match(f.completions.find((c) => c.requestId === 1)!.error!.message, /passed this request to the browser/);
});

test('a hand-over of a proxied request releases the proxy (detached) and rejects it', async () => {
  const f = fakeApi();
  const p = new WebAuthnProxy({
    api: f.api, wanted: async () => true,
    findTab: async () => ({ id: 1, windowId: 1, url: 'https://shop.example/' }),
    start: async (_port, reply) => { reply.post({ kind: 'result', result: { status: 'handover' } }); },
  });
  await p.sync();
  f.listeners.create!({ requestId: 5, requestDetailsJson: CREATE('https://shop.example') });
  await tick();
  assert.equal(f.completions[0]?.error?.name, 'NotAllowedError');
  assert.equal(p.isAttached(), false, 'the site\'s next try reaches the browser\'s own dialog');
});

test('isUserVerifyingPlatformAuthenticatorAvailable: true', async () => {
  const f = fakeApi();
  new WebAuthnProxy({ api: f.api, wanted: async () => true, findTab: async () => null, start: async () => {} });
  f.listeners.uvpaa!({ requestId: 9 });
  await tick();
  assert.deepEqual(f.completions, [{ op: 'uvpaa', requestId: 9, isUvpaa: true }]);
});
