// Property-based fuzzing (fast-check) of the guards every message from a content script or a window
// passes (validate.ts): whatever arrives, a guard either throws MessageShapeError or returns plain
// data of the protocol's shape, with no key beyond it (no __proto__, constructor or prototype),
// no string over the limit, and the same answer when given its own output again.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MessageShapeError, parseCSEnvelope, parseCStoBG, parseContainerAnswer, parseFrameFacts, parseSignalRequest, parseUItoBG } from './validate';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const counts: Record<string, number> = {};
process.on('exit', () => console.log(`FUZZ_COUNTS ${JSON.stringify(counts)}`));

const POLLUTING = ['__proto__', 'constructor', 'prototype'];
const key = fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...POLLUTING, 'kind', 'op', 'options', 'rid', 'msg', 'request', 'facts', 'type', 'id'));
const junk = fc.anything({ key, maxDepth: 4, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true });
const b64u = (min = 0, max = 40) => fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'), minLength: min, maxLength: max });
const big = fc.constantFrom('A'.repeat(64 * 1024 + 1), 'x'.repeat(1_000_000));
/** Objects with own __proto__ / constructor keys, as JSON.parse of a message makes them. */
function withPollution<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.tuple(arb, fc.constantFrom(...POLLUTING), fc.jsonValue()).map(([v, k, extra]) => {
    let text: string | undefined;
    try { text = JSON.stringify(v); } catch { return v; } // BigInt and cycles: not JSON, stays as it is
    if (!text?.startsWith('{')) return v;
    return JSON.parse(`{${JSON.stringify(k)}: ${JSON.stringify(extra) ?? 'null'},${text.slice(1)}`.replace(/,}$/, '}'));
  });
}
const facts = fc.record({ origin: fc.webUrl(), ancestorOrigins: fc.option(fc.array(fc.webUrl(), { maxLength: 3 })), policy: fc.option(fc.record({ create: fc.option(fc.boolean()), get: fc.option(fc.boolean()) })), parentFrameId: fc.option(fc.nat()), activation: fc.boolean() });
const create = fc.record({ op: fc.constant('create'), options: fc.record({
  rp: fc.record({ name: fc.string(), id: fc.domain() }, { requiredKeys: ['name'] }),
  user: fc.record({ id: b64u(1, 20), name: fc.oneof(fc.string(), big), displayName: fc.string() }),
  challenge: fc.oneof(b64u(16, 43), big, fc.string()), pubKeyCredParams: fc.array(fc.record({ type: fc.string(), alg: fc.oneof(fc.integer(), fc.double()) }), { maxLength: 4 }),
  timeout: fc.double(), hints: fc.array(fc.string(), { maxLength: 70 }), attestation: fc.string(),
  authenticatorSelection: fc.record({ residentKey: fc.string(), requireResidentKey: fc.anything(), userVerification: fc.string(), authenticatorAttachment: fc.string() }, { requiredKeys: [] }),
  excludeCredentials: fc.array(fc.record({ type: fc.string(), id: b64u(), transports: fc.array(fc.string()) }, { requiredKeys: ['type', 'id'] }), { maxLength: 3 }),
  extensions: fc.oneof(junk, fc.record({ credProps: fc.anything(), prf: fc.record({ eval: fc.record({ first: b64u(), second: b64u() }, { requiredKeys: ['first'] }) }) }, { requiredKeys: [] })),
}, { requiredKeys: ['rp', 'user', 'challenge', 'pubKeyCredParams'] }) });
const ids = fc.array(fc.oneof(b64u(16, 22), fc.constantFrom(...POLLUTING)), { minLength: 1, maxLength: 3 });
const get = ids.chain((list) => fc.record({ op: fc.constant('get'), mediation: fc.constantFrom(undefined, 'conditional', 'silent', 'required'), options: fc.record({
  challenge: b64u(16, 43), rpId: fc.domain(), timeout: fc.integer(), userVerification: fc.string(),
  allowCredentials: fc.constant(list.map((id) => ({ type: 'public-key', id }))),
  extensions: fc.record({ prf: fc.record({ evalByCredential: fc.dictionary(fc.oneof(fc.constantFrom(...list), fc.constantFrom(...POLLUTING), fc.string()), fc.record({ first: b64u() }), { maxKeys: 3 }) }) }),
}, { requiredKeys: ['challenge'] }) }, { requiredKeys: ['op', 'options'] }));
const signal = fc.record({ op: fc.constantFrom('signalUnknownCredential', 'signalAllAcceptedCredentials', 'signalCurrentUserDetails', 'toString', '__proto__'), options: fc.record({ rpId: fc.domain(), credentialId: b64u(), userId: b64u(), allAcceptedCredentialIds: fc.array(b64u(), { maxLength: 5 }), name: fc.string(), displayName: fc.string() }, { requiredKeys: [] }) });
const cstobg = fc.oneof(
  fc.record({ kind: fc.constant('request'), request: fc.oneof(create, get, junk), facts: fc.oneof(facts, junk) }),
  fc.record({ kind: fc.constant('signal'), signal: fc.oneof(signal, junk) }),
  fc.record({ kind: fc.constantFrom('abort', 'resume', '__proto__', 'constructor'), ceremonyId: fc.oneof(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 }), fc.string(), big) }),
  junk,
);
const envelope = fc.oneof(fc.record({ rid: fc.oneof(fc.integer(), fc.double(), junk), msg: fc.oneof(withPollution(cstobg), cstobg) }), withPollution(fc.record({ rid: fc.nat(), msg: cstobg })), junk);
const uitobg = fc.oneof(fc.record({ type: fc.constantFrom('ceremony/describe', 'ceremony/save', 'ceremony/choose', 'ceremony/set-pin', 'ceremony/unlock', 'ceremony/handover', 'ceremony/always-handover', 'ceremony/cancel', 'ceremony/name', '__proto__', 'constructor'), id: fc.oneof(fc.string(), big, junk), credentialId: fc.oneof(b64u(), fc.string()), pin: fc.oneof(fc.string(), big), label: fc.oneof(fc.string(), big) }, { requiredKeys: ['type'] }), junk);

/** Plain JSON data all the way down: nothing a later `obj.x` or spread could be tricked by. */
function assertPlain(v: unknown, path = 'out'): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) {
    if (typeof v === 'string') assert.ok(v.length <= 64 * 1024, `${path}: a string over the limit`);
    return;
  }
  assert.equal(typeof v, 'object', `${path}: ${typeof v}`);
  const proto = Object.getPrototypeOf(v);
  assert.ok(proto === Object.prototype || proto === Array.prototype, `${path}: a plain object or array`);
  for (const k of Object.keys(v as object)) {
    assert.ok(!POLLUTING.includes(k), `${path}: a "${k}" key`);
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) assertPlain(x, `${path}.${k}`);
  }
}

function property(name: string, arb: fc.Arbitrary<unknown>, parse: (v: unknown) => unknown): void {
  test(`${name}: MessageShapeError or plain data of the protocol, stable when parsed again`, () => {
    fc.assert(fc.property(arb, (input) => {
      counts[name] = (counts[name] ?? 0) + 1;
      let out: unknown;
      try { out = parse(input); } catch (e) {
        assert.ok(e instanceof MessageShapeError, `threw ${(e as Error)?.name}: ${(e as Error)?.message}`);
        counts[`${name}.refused`] = (counts[`${name}.refused`] ?? 0) + 1;
        return;
      }
      counts[`${name}.accepted`] = (counts[`${name}.accepted`] ?? 0) + 1;
      assertPlain(out);
      // Parsing its own output (as it would arrive again, through JSON) gives the same message (-0 and 0 alike).
      assert.equal(JSON.stringify(parse(JSON.parse(JSON.stringify(out)))), JSON.stringify(out));
      assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
  });
}

property('parseCSEnvelope', envelope, parseCSEnvelope);
property('parseCStoBG', cstobg, parseCStoBG);
property('parseUItoBG', uitobg, parseUItoBG);
property('parseSignalRequest', fc.oneof(signal, junk), parseSignalRequest);
property('parseFrameFacts', fc.oneof(facts, junk), parseFrameFacts);
property('parseContainerAnswer', fc.oneof(fc.record({ origin: fc.webUrl(), parentFrameId: fc.option(fc.nat()), container: fc.option(fc.record({ allow: fc.option(fc.string()), declaredOrigin: fc.webUrl() })) }), junk), parseContainerAnswer);

test('prf evalByCredential never keeps a key that is not a canonical allowCredentials id (so never "__proto__")', () => {
  fc.assert(fc.property(get, (r) => {
    counts.evalByCredential = (counts.evalByCredential ?? 0) + 1;
    let out: unknown;
    try { out = parseCStoBG({ kind: 'request', request: r, facts: { origin: 'https://a.example', ancestorOrigins: [], policy: null, parentFrameId: null, activation: false } }); } catch (e) { assert.ok(e instanceof MessageShapeError); return; }
    const req = (out as { request: { options: { allowCredentials?: { id: string }[]; extensions?: { prf?: { evalByCredential?: object } } } } }).request;
    const allowed = new Set((req.options.allowCredentials ?? []).map((d) => d.id));
    for (const k of Object.keys(req.options.extensions?.prf?.evalByCredential ?? {})) assert.ok(allowed.has(k) && !POLLUTING.includes(k));
    assert.equal(Object.getPrototypeOf(req.options.extensions?.prf?.evalByCredential ?? {}), Object.prototype);
  }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
});
