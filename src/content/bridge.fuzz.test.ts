// Property-based fuzzing (fast-check) of the page-to-bridge channel (bridge.ts): a page can post
// anything to its window. The bridge must forward only Latchkey's own envelopes (channel, direction,
// a string id, a known kind) and only those its own window posted; it must not throw; and what it
// tells the page comes only from the background's answers to the page's own requests.
// The bridge runs as built; the window, its message event and runtime.connect are stand-ins.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { PAGE_CHANNEL } from '../messages/protocol';

type Handler = (e: { source: unknown; data: unknown }) => void;
const handlers: Handler[] = [];
const toPage: unknown[] = [];
const connects: { posted: unknown[]; listeners: ((m: unknown) => void)[]; disconnect: (() => void)[] }[] = [];
const g = globalThis as Record<string, unknown>;
g.window = globalThis;
g.top = globalThis;
g.self = globalThis;
Object.defineProperty(globalThis, 'origin', { value: 'https://site.example', configurable: true });
g.location = { ancestorOrigins: [] };
// The bridge watches the document for a person's own password entry and focus (passwordEntry.ts,
// personFocus): listeners that this channel's fuzzing does not exercise.
g.document = { addEventListener: () => {} };
g.addEventListener = (type: string, h: Handler) => { if (type === 'message') handlers.push(h); };
g.postMessage = (m: unknown) => { toPage.push(structuredClone(m)); }; // window.postMessage clones
g.chrome = { runtime: { id: 'x', connect: () => {
  const c = { posted: [] as unknown[], listeners: [] as ((m: unknown) => void)[], disconnect: [] as (() => void)[] };
  connects.push(c);
  return { postMessage: (m: unknown) => c.posted.push(JSON.parse(JSON.stringify(m))), onMessage: { addListener: (l: (m: unknown) => void) => c.listeners.push(l) }, onDisconnect: { addListener: (l: () => void) => c.disconnect.push(l) }, disconnect() {} };
} } };
await import('./bridge');
assert.equal(handlers.length, 1);
const fromWindow = (data: unknown, source: unknown = globalThis) => handlers[0]!({ source, data });
const sentToBackground = () => connects.flatMap((c) => c.posted);

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);
const counts: Record<string, number> = {};
process.on('exit', () => console.log(`FUZZ_COUNTS ${JSON.stringify(counts)}`));
const POLLUTING = ['__proto__', 'constructor', 'prototype'];
const junk = fc.anything({ key: fc.oneof(fc.string(), fc.constantFrom(...POLLUTING, 'channel', 'dir', 'id', 'kind')), maxDepth: 3, withBigInt: true, withMap: true, withTypedArray: true, withNullPrototype: true });
const often = <T>(x: T, ...rest: fc.Arbitrary<unknown>[]) => fc.oneof({ weight: 4, arbitrary: fc.constant(x) }, ...rest.map((arbitrary) => ({ weight: 1, arbitrary })));
const envelope = fc.record({
  channel: often(PAGE_CHANNEL, fc.constantFrom('latchkey/v0', 'latchkey/v1 ', ''), junk),
  dir: often('to-bridge', fc.constant('to-page'), junk),
  kind: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('request', 'signal', 'abort') }, { weight: 1, arbitrary: fc.constantFrom('resume', 'result', '__proto__') }, { weight: 1, arbitrary: junk }),
  id: fc.oneof({ weight: 4, arbitrary: fc.uuid() }, { weight: 1, arbitrary: fc.string() }, { weight: 1, arbitrary: fc.constantFrom(...POLLUTING) }, { weight: 1, arbitrary: junk }, { weight: 1, arbitrary: fc.constant('x'.repeat(200_000)) }),
  request: junk, signal: junk,
}, { requiredKeys: ['channel', 'dir', 'kind', 'id'] });

/** The ids of the requests the page made (the only ones it may hear answers to). */
const seen = new Set<string>();

test('only well-formed envelopes from the own window reach the background; the bridge never throws', () => {
  fc.assert(fc.property(fc.oneof({ weight: 4, arbitrary: envelope }, { weight: 1, arbitrary: junk }), fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), (data, ownWindow) => {
    counts.pageMessages = (counts.pageMessages ?? 0) + 1;
    const before = sentToBackground().length;
    fromWindow(data, ownWindow ? globalThis : { other: 'frame' });
    const sent = sentToBackground().slice(before);
    counts.toBackground = (counts.toBackground ?? 0) + sent.length;
    const d = data as { channel?: unknown; dir?: unknown; id?: unknown; kind?: unknown } | null;
    const wellFormed = ownWindow && typeof d === 'object' && d !== null && d.channel === PAGE_CHANNEL && d.dir === 'to-bridge' && typeof d.id === 'string';
    const starts = wellFormed && (d.kind === 'request' || d.kind === 'signal') && !seen.has(d.id as string);
    if (starts) { seen.add(d.id as string); counts.forwarded = (counts.forwarded ?? 0) + 1; }
    if (!wellFormed || !(d.kind === 'request' || d.kind === 'signal' || d.kind === 'abort')) assert.equal(sent.length, 0, 'nothing forwarded');
    for (const m of sent) {
      const env = m as { rid: unknown; msg: { kind: string } };
      assert.ok(Number.isSafeInteger(env.rid) && (env.rid as number) >= 1, 'the bridge numbers requests itself');
      assert.ok(['request', 'signal', 'abort'].includes(env.msg.kind));
      // The background learns the frame from the port's sender; the page's own id never travels.
      assert.deepEqual(Object.keys(env).sort(), ['msg', 'rid']);
    }
    // One message per new request; one the port cannot carry (a BigInt: Chrome's ports speak JSON)
    // is answered NotAllowedError at once instead.
    if (starts && sent.length === 0) {
      const last = toPage.at(-1) as { id: string; result: { name?: string } } | undefined;
      assert.ok(last?.id === d.id && last?.result.name === 'NotAllowedError', 'refused to the page');
      counts.unsendable = (counts.unsendable ?? 0) + 1;
    } else if (starts) assert.equal(sent.length, 1, 'one message per new request');
  }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
});

test('the page hears only answers to its own requests, each once, whatever the port carries', () => {
  // One real request from the page, then random traffic on its port.
  toPage.length = 0;
  fromWindow({ channel: PAGE_CHANNEL, dir: 'to-bridge', kind: 'request', id: 'mine', request: { op: 'get', options: { challenge: 'AAAA' } } });
  seen.add('mine');
  const c = connects.at(-1)!;
  const rid = (c.posted.at(-1) as { rid: number }).rid;
  fc.assert(fc.property(fc.oneof(junk, fc.record({ rid: fc.oneof(fc.integer({ min: -1, max: rid + 2 }), junk), msg: fc.oneof(junk, fc.record({ kind: fc.constantFrom('started', 'result', 'x'), ceremonyId: fc.string(), result: fc.oneof(junk, fc.constant({ status: 'handover' })) })) })), (m) => {
    counts.portMessages = (counts.portMessages ?? 0) + 1;
    // What a port can deliver: Chrome's ports carry JSON.
    let delivered: unknown;
    try { delivered = JSON.parse(JSON.stringify(m) ?? 'null'); } catch { return; }
    for (const l of c.listeners) l(delivered);
    const answered = new Set<string>();
    for (const t of toPage) {
      const x = t as { channel: string; dir: string; id: string };
      assert.equal(x.channel, PAGE_CHANNEL);
      assert.equal(x.dir, 'to-page');
      assert.ok(seen.has(x.id), 'an answer only for a request the page made');
      assert.ok(!answered.has(x.id), 'each request answered at most once');
      answered.add(x.id);
    }
    counts.answersToPage = toPage.length;
  }), { numRuns: RUNS, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });
  assert.equal(({} as { polluted?: unknown }).polluted, undefined);
});
