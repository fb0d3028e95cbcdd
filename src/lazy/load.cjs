// Libraries the background needs only on some paths, evaluated at their first use instead of when
// the background starts. A bundle evaluates every ES module it imports at load, and in a service
// worker that Chrome has just started, that evaluation is on the path of the ceremony that woke it
// (bench/coldfloor.bench.ts; bench/RESULTS.md "Fifth round: cold start"): the Public Suffix List's
// trie (tldts) was ~9 ms, cbor-x ~4 ms, @noble/curves ~2-3 ms, although a get() for a site whose RP
// ID is its own host needs none of them.
// Why CommonJS: a require() inside a function is what esbuild bundles as a lazily evaluated module,
// and Node (the unit tests, Node >= 20.19, through tsx) runs the same file. Each required file
// re-exports only what Latchkey uses, so the bundle keeps only that. Take these libraries from here
// everywhere in the extension: one static import of them anywhere in a bundle makes them eager again.
'use strict';
const loaded = {};
exports.curves = () => (loaded.curves ??= require('./curves.ts'));
exports.publicSuffix = () => (loaded.publicSuffix ??= require('./publicSuffix.ts'));
exports.cbor = () => (loaded.cbor ??= require('./cbor.ts'));
