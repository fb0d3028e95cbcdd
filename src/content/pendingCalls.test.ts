// pendingCalls.ts keeps main-world's calls in flight and their aborts. Here in Node with a stand-in
// for the window's postMessage and 'message' listener, and Node's own AbortController (the same
// Web API); the conformance and autofill suites run it in the browsers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CeremonyResult, PageToBridge } from '../messages/protocol';
import { createPendingCalls } from './pendingCalls';

const CHANNEL = 'latchkey/v1';
const request = { kind: 'request' as const, request: { op: 'get' as const, options: { challenge: 'AQID' } as never } };
const asserted = { status: 'asserted', credential: { id: 'x' } } as unknown as CeremonyResult;
const handover: CeremonyResult = { status: 'handover' };

function page() {
  const self = { name: 'this window' };
  const posted: PageToBridge[] = [];
  const listeners: Array<(e: MessageEvent) => void> = [];
  const hidden: unknown[] = [];
  const calls = createPendingCalls(
    (m) => posted.push(m),
    (l) => listeners.push(l),
    self,
    (e) => hidden.push(e.data),
  );
  /** The bridge's answer as the window delivers it (source: this window unless said otherwise). */
  const answer = (id: string, result: CeremonyResult, o: { source?: unknown; channel?: string; dir?: string } = {}) => {
    for (const l of listeners) l({ source: o.source ?? self, data: { channel: o.channel ?? CHANNEL, dir: o.dir ?? 'to-page', id, result } } as MessageEvent);
  };
  return { calls, posted, listeners, answer, hidden };
}

test('a call posts its envelope under a fresh random id; the one listener for answers is there from the start', () => {
  const p = page();
  assert.equal(p.listeners.length, 1, 'listening from document_start, before any page script (issue 15)');
  p.calls.start(
    request,
    undefined,
    () => true,
    () => {},
  );
  p.calls.start(
    { kind: 'signal', signal: { op: 'signalUnknownCredential', options: { rpId: 'example.com', credentialId: 'AQID' } } },
    undefined,
    () => true,
    () => {},
  );
  assert.equal(p.listeners.length, 1);
  const [a, b] = p.posted;
  assert.deepEqual({ ...a, id: '' }, { channel: CHANNEL, dir: 'to-bridge', kind: 'request', id: '', request: request.request });
  assert.equal(b?.kind, 'signal');
  assert.match(a!.id, /^[0-9a-f]{32}$/);
  assert.match(b!.id, /^[0-9a-f]{32}$/);
  assert.notEqual(a!.id, b!.id);
});

test("only the first answer for the call's id, from this window, on the page channel, to the page, is taken", () => {
  const p = page();
  const got: CeremonyResult[] = [];
  p.calls.start(
    request,
    undefined,
    (r) => {
      got.push(r);
      return true;
    },
    () => assert.fail('not aborted'),
  );
  const id = p.posted[0]!.id;
  p.answer('0'.repeat(32), asserted);
  p.answer(id, asserted, { source: { name: 'another window' } });
  p.answer(id, asserted, { channel: 'latchkey/v0' });
  p.answer(id, asserted, { dir: 'to-bridge' });
  assert.deepEqual(got, []);
  p.answer(id, asserted);
  p.answer(id, handover);
  assert.deepEqual(got, [asserted]);
});

test("an abort forgets the call, tells the bridge, and hands over the signal's reason itself (§5.1.3 step 21)", () => {
  const p = page();
  const ctl = new AbortController();
  const reasons: unknown[] = [];
  p.calls.start(
    request,
    ctl.signal,
    () => assert.fail('no answer after the abort'),
    (r) => reasons.push(r),
  );
  const id = p.posted[0]!.id;
  const reason = { mine: true };
  ctl.abort(reason);
  assert.equal(reasons.length, 1);
  assert.equal(reasons[0], reason, 'the same object, not a copy');
  assert.deepEqual(p.posted.slice(1), [{ channel: CHANNEL, dir: 'to-bridge', kind: 'abort', id }]);
  p.answer(id, asserted); // a late answer of the background: forgotten
});

test('an answered call no longer listens to its signal', () => {
  const p = page();
  const ctl = new AbortController();
  p.calls.start(
    request,
    ctl.signal,
    () => true,
    () => assert.fail('not aborted once answered'),
  );
  p.answer(p.posted[0]!.id, asserted);
  ctl.abort(new Error('late'));
  assert.equal(p.posted.length, 1, 'no abort sent');
});

test('an answer that does not end the call (autofill: nothing to offer here) leaves it abortable', () => {
  const p = page();
  const ctl = new AbortController();
  const reasons: unknown[] = [];
  p.calls.start(
    request,
    ctl.signal,
    (r) => r.status !== 'handover',
    (r) => reasons.push(r),
  );
  const id = p.posted[0]!.id;
  p.answer(id, handover);
  ctl.abort('gone');
  assert.deepEqual(reasons, ['gone']);
  assert.deepEqual(p.posted.slice(1), [{ channel: CHANNEL, dir: 'to-bridge', kind: 'abort', id }]);
});

test('end() from the page side tells the bridge once, and nothing reaches the call after it', () => {
  const p = page();
  const ctl = new AbortController();
  const call = p.calls.start(
    request,
    ctl.signal,
    () => assert.fail('no answer after end()'),
    () => assert.fail('no abort after end()'),
  );
  const id = p.posted[0]!.id;
  call.end();
  call.end();
  ctl.abort();
  p.answer(id, asserted);
  assert.deepEqual(p.posted.slice(1), [{ channel: CHANNEL, dir: 'to-bridge', kind: 'abort', id }]);
});

test('calls are kept apart: each answer reaches its own call, an abort ends only its own', () => {
  const p = page();
  const ctlA = new AbortController();
  const seen: string[] = [];
  p.calls.start(
    request,
    ctlA.signal,
    () => assert.fail('a was aborted'),
    () => seen.push('a aborted'),
  );
  p.calls.start(
    request,
    undefined,
    (r) => {
      seen.push(`b ${r.status}`);
      return true;
    },
    () => assert.fail('b has no signal'),
  );
  const [a, b] = p.posted;
  ctlA.abort();
  p.answer(a!.id, asserted);
  p.answer(b!.id, handover);
  assert.deepEqual(seen, ['a aborted', 'b handover']);
});

test('every Latchkey answer is hidden from the page\'s listeners, a known call\'s or not; other messages are not', () => {
  const p = page();
  p.calls.start(request, undefined, () => true, () => {});
  p.answer(p.posted[0]!.id, handover);
  p.answer('not-a-call-of-ours', handover);
  p.answer('x', handover, { channel: 'someone-else' });
  p.answer('y', handover, { source: { name: 'another window' } });
  assert.equal(p.hidden.length, 2, 'both Latchkey answers, and only those');
});
