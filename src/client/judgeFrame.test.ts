import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeFrame, signalOrigin, type Ancestry, type FrameInput } from './judgeFrame';
import type { FrameFacts } from '../messages/protocol';

const A = 'https://a.example';
const B = 'https://b.example';
const ALLOWED = { create: true, get: true };
const DENIED = { create: false, get: false };

type Overrides = Partial<Omit<FrameInput, 'facts'>> & { facts?: Partial<FrameFacts> };

function chromium(o: Overrides = {}): FrameInput {
  const origin = o.origin ?? B;
  return {
    op: 'create', frameId: 3, tabOrigin: A, ...o, origin,
    facts: { origin, ancestorOrigins: [A], policy: ALLOWED, parentFrameId: null, activation: true, ...o.facts },
  };
}

test('the top frame: same-origin with its ancestors, topOrigin is its own origin', () => {
  assert.deepEqual(
    judgeFrame(chromium({ frameId: 0, origin: A, tabOrigin: A, facts: { ancestorOrigins: [], activation: false } }), null),
    { ok: true, crossOrigin: false, topOrigin: A },
  );
  // The browser's own policy still counts at the top (a Permissions-Policy header may switch it off).
  assert.equal(judgeFrame(chromium({ frameId: 0, origin: A, facts: { ancestorOrigins: [], policy: DENIED } }), null).ok, false);
});

test('a cross-origin frame: policy and (for create) activation, then crossOrigin and topOrigin', () => {
  assert.deepEqual(judgeFrame(chromium(), null), { ok: true, crossOrigin: true, topOrigin: A });
  assert.deepEqual(judgeFrame(chromium({ op: 'get', facts: { activation: false } }), null), { ok: true, crossOrigin: true, topOrigin: A });
  const noPolicy = judgeFrame(chromium({ facts: { policy: { create: false, get: true } } }), null);
  assert.equal(noPolicy.ok, false);
  assert.match((noPolicy as { message: string }).message, /publickey-credentials-create/);
  assert.equal(judgeFrame(chromium({ op: 'get', facts: { policy: { create: true, get: false } } }), null).ok, false);
  // A browser that does not know the feature (Chromium before 123: no -create): 'self' only.
  assert.equal(judgeFrame(chromium({ facts: { policy: { create: null, get: true } } }), null).ok, false);
  assert.equal(judgeFrame(chromium({ origin: A, facts: { ancestorOrigins: [A], policy: { create: null, get: true } } }), null).ok, true);
  const noActivation = judgeFrame(chromium({ facts: { activation: false } }), null);
  assert.match((noActivation as { message: string }).message, /transient activation/);
});

test('same origin as the top but under a cross-origin parent is not same-origin with its ancestors', () => {
  assert.deepEqual(
    judgeFrame(chromium({ origin: A, facts: { ancestorOrigins: [B, A] } }), null),
    { ok: true, crossOrigin: true, topOrigin: A },
  );
  assert.equal(judgeFrame(chromium({ origin: A, facts: { ancestorOrigins: [B, A], activation: false } }), null).ok, false);
  // A same-origin nested frame needs no activation, and is not cross-origin.
  assert.deepEqual(
    judgeFrame(chromium({ origin: A, facts: { ancestorOrigins: [A, A], activation: false } }), null),
    { ok: true, crossOrigin: false, topOrigin: A },
  );
});

test('opaque or disagreeing origins, and facts that do not fit the sender, are refused', () => {
  assert.equal(judgeFrame(chromium({ origin: 'null' }), null).ok, false);
  // Firefox names the sender by URL: a sandboxed frame at https://b.example says "null" itself.
  assert.equal(judgeFrame({ ...chromium(), facts: { ...chromium().facts, origin: 'null' } }, null).ok, false);
  assert.equal(judgeFrame(chromium({ tabOrigin: 'https://c.example' }), null).ok, false, 'a navigation raced the request');
  assert.equal(judgeFrame(chromium({ tabOrigin: null }), null).ok, false);
  assert.equal(judgeFrame(chromium({ facts: { ancestorOrigins: [] } }), null).ok, false, 'a frame with no ancestors');
  assert.equal(judgeFrame(chromium({ frameId: 0, facts: { ancestorOrigins: [A] } }), null).ok, false, 'a top frame with ancestors');
  assert.equal(judgeFrame(chromium({ facts: { ancestorOrigins: null } }), null).ok, false);
  // An ancestor the browser masks as "null": the tab's URL stands for the top; stricter, never looser.
  assert.deepEqual(judgeFrame(chromium({ origin: A, facts: { ancestorOrigins: ['null'] } }), null), { ok: true, crossOrigin: true, topOrigin: A });
});

test('Firefox: the parents\' containers decide, every one of them on the way down', () => {
  const firefox = (o: Overrides = {}) => chromium({ ...o, facts: { policy: null, parentFrameId: 0, ...o.facts } });
  const allowAll = { allow: 'publickey-credentials-create *; publickey-credentials-get *', declaredOrigin: B };
  assert.deepEqual(judgeFrame(firefox(), [{ origin: A, container: allowAll }]), { ok: true, crossOrigin: true, topOrigin: A });
  assert.equal(judgeFrame(firefox(), [{ origin: A, container: { allow: null, declaredOrigin: B } }]).ok, false, 'no allow');
  assert.equal(judgeFrame(firefox(), [{ origin: A, container: null }]).ok, false, 'no element found');
  assert.equal(judgeFrame(firefox(), null).ok, false, 'the parents could not be asked');
  assert.deepEqual(judgeFrame(firefox({ frameId: 0, origin: A, facts: { ancestorOrigins: [], parentFrameId: null } }), null), { ok: true, crossOrigin: false, topOrigin: A });
  // Nested: A > B (allowed) > C: C also needs B's element to allow it.
  const C = 'https://c.example';
  const nested = (inner: string | null): Ancestry => [
    { origin: B, container: { allow: inner, declaredOrigin: C } },
    { origin: A, container: allowAll },
  ];
  const input = firefox({ origin: C, facts: { ancestorOrigins: [B, A] } });
  assert.equal(judgeFrame(input, nested(null)).ok, false);
  assert.deepEqual(judgeFrame(input, nested('publickey-credentials-create')), { ok: true, crossOrigin: true, topOrigin: A });
  assert.equal(judgeFrame({ ...input, op: 'get' }, nested('publickey-credentials-create')).ok, false, 'get is its own feature');
  // A same-origin frame inside the top: the default allowlist 'self', no activation needed.
  assert.deepEqual(
    judgeFrame(firefox({ origin: A, facts: { activation: false } }), [{ origin: A, container: { allow: null, declaredOrigin: A } }]),
    { ok: true, crossOrigin: false, topOrigin: A },
  );
  // The ancestry the parents report must fit location.ancestorOrigins.
  assert.equal(judgeFrame(firefox({ facts: { ancestorOrigins: [B, A] } }), [{ origin: A, container: allowAll }]).ok, false);
});

test('signals: the sender\'s origin only when the frame itself agrees; a sandboxed frame (self.origin "null") has none', () => {
  assert.equal(signalOrigin(A, A), A);
  // Firefox: sender.url is the site's, the sandboxed frame's own origin is opaque.
  assert.equal(signalOrigin(A, 'null'), null);
  assert.equal(signalOrigin('null', 'null'), null); // Chromium names the opaque origin itself
  assert.equal(signalOrigin(A, B), null); // a navigation raced the signal: nothing decided on stale facts
  assert.equal(signalOrigin(null, A), null);
});
