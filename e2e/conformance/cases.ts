// The conformance table: argument and behaviour cases for navigator.credentials.create() and get(),
// each run in a page with Latchkey and in the same browser without it (its own client and a virtual
// authenticator), and the two outcomes compared (e2e/conformance.e2e.test.ts). No case needs a
// passkey stored beforehand: get() cases find none, so they test argument handling, the RP ID check,
// aborting, and what happens when nothing matches.
//
// A case is the source of an async function `(h) => …` run in the page; `h` is the helper object
// of HELPERS below. It returns a credential (summarised by h), any JSON value, or throws (the error
// is normalised to its constructor or DOMException name). Everything is source text so that
// Playwright (Chromium) and Marionette (Firefox) run exactly the same code, and so that nothing of
// the compiled test reaches the page.

export interface Case {
  /** Unique, stable: differences.ts refers to cases by name. */
  name: string;
  op: 'create' | 'get';
  /** Source of `async (h) => …`. */
  src: string;
}

/**
 * Helpers available to every case, as `h`. Options are fresh objects each call; create options
 * get a fresh user.id so that no case replaces another's passkey.
 */
export const HELPERS = `() => {
  let n = 0;
  const fill = (len, byte) => new Uint8Array(len).fill(byte);
  const b64u = (buf) => {
    const b = ArrayBuffer.isView(buf) ? new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength) : new Uint8Array(buf);
    let s = ''; for (const x of b) s += String.fromCharCode(x);
    return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
  };
  const pk = (over = {}) => {
    n++;
    return {
      rp: { name: 'Conformance' },
      user: { id: new Uint8Array([0xc0, n & 255, (n >> 8) & 255]), name: 'case' + n + '@conformance.test', displayName: 'Case ' + n },
      challenge: fill(32, 7),
      pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      ...over,
    };
  };
  const user = (over = {}) => { n++; return { id: new Uint8Array([0xc1, n & 255, (n >> 8) & 255]), name: 'u' + n, displayName: 'U ' + n, ...over }; };
  const pkGet = (over = {}) => ({ challenge: fill(32, 9), ...over });
  // A case that never settles must not leave its request pending (the browser would refuse the next
  // one): calls made through h carry the run's own signal, aborted at the case's time limit,
  // unless the case passes a signal (or a signal member) itself.
  let caseSignal;
  const withSignal = (extra) => ('signal' in extra ? extra : { ...extra, signal: caseSignal });
  const create = (publicKey, extra = {}) => navigator.credentials.create({ publicKey, ...withSignal(extra) });
  const get = (publicKey, extra = {}) => navigator.credentials.get({ publicKey, ...withSignal(extra) });
  const aborted = (...reason) => { const c = new AbortController(); c.abort(...reason); return c.signal; };
  const fmtOf = (attObj) => {
    const s = String.fromCharCode(...new Uint8Array(attObj));
    const m = /fmt.(none|packed|fido-u2f|tpm|android-key|android-safetynet|apple)/.exec(s);
    return m ? m[1] : '?';
  };
  const summarize = (v) => {
    if (v === null || v === undefined) return { resolved: v === null ? 'null' : 'undefined' };
    if (typeof v !== 'object' || !('response' in v) || !('rawId' in v)) return v;
    const r = v.response;
    const cd = JSON.parse(new TextDecoder().decode(r.clientDataJSON));
    const out = {
      credential: v instanceof PublicKeyCredential,
      type: v.type,
      idIsRawId: v.id === b64u(v.rawId),
      attachment: v.authenticatorAttachment,
      clientData: { type: cd.type, challenge: cd.challenge, origin: cd.origin === location.origin ? '(this origin)' : cd.origin, crossOrigin: cd.crossOrigin === true },
      extensions: v.getClientExtensionResults(),
    };
    if (r instanceof AuthenticatorAttestationResponse) {
      out.response = 'attestation';
      out.alg = r.getPublicKeyAlgorithm();
      out.fmt = fmtOf(r.attestationObject);
    } else if (r instanceof AuthenticatorAssertionResponse) {
      out.response = 'assertion';
    }
    return out;
  };
  // By constructor name, not instanceof: Marionette runs these helpers in a sandbox of its own.
  const errorOf = (e) => {
    if (e !== null && (typeof e === 'object' || typeof e === 'function')) {
      const ctor = e.constructor && e.constructor.name;
      return { error: ctor === 'DOMException' ? e.name : ctor };
    }
    return { threw: typeof e, value: e === undefined ? 'undefined' : e };
  };
  const TIMEOUT = {};
  const run = async (fn, ms) => {
    let timer;
    const limit = new AbortController();
    const outer = caseSignal;
    caseSignal = limit.signal;
    try {
      const v = await Promise.race([fn(h), new Promise((r) => { timer = setTimeout(() => { limit.abort('case timed out'); r(TIMEOUT); }, ms); })]);
      return v === TIMEOUT ? { timeout: true } : summarize(v);
    } catch (e) {
      return errorOf(e);
    } finally {
      clearTimeout(timer);
      caseSignal = outer;
    }
  };
  const h = { fill, b64u, pk, pkGet, user, create, get, aborted, run, errorOf };
  return h;
}`;

/** A page script that runs the given cases one after another and returns { name: outcome }. */
export function batchScript(cases: readonly Case[], timeoutMs = 3_000): string {
  const list = cases.map((c) => `[${JSON.stringify(c.name)}, ${c.src}]`).join(',\n');
  return `async () => {
    const h = (${HELPERS})();
    const out = {};
    for (const [name, fn] of [${list}]) out[name] = await h.run(fn, ${timeoutMs});
    return out;
  }`;
}

const cases: Case[] = [];
const c = (name: string, src: string) => cases.push({ name, op: 'create', src });
const g = (name: string, src: string) => cases.push({ name, op: 'get', src });

// ---- The argument itself (CredentialCreationOptions / CredentialRequestOptions) ----
c('create: no argument', `async () => navigator.credentials.create()`);
c('create: empty options', `async () => navigator.credentials.create({})`);
c('create: null options', `async () => navigator.credentials.create(null)`);
c('create: publicKey undefined', `async () => navigator.credentials.create({ publicKey: undefined })`);
c('create: publicKey null', `async () => navigator.credentials.create({ publicKey: null })`);
c('create: publicKey a number', `async () => navigator.credentials.create({ publicKey: 5 })`);
c('create: publicKey a string', `async () => navigator.credentials.create({ publicKey: 'x' })`);
c('create: options a number', `async () => navigator.credentials.create(5)`);
c('create: options a string', `async () => navigator.credentials.create('publicKey')`);
c('create: publicKey an empty object', `async () => navigator.credentials.create({ publicKey: {} })`);
c('create: publicKey getter read once', `async (h) => {
  let reads = 0; const pk = h.pk();
  const o = { get publicKey() { reads++; return pk; } };
  const r = await h.run(() => navigator.credentials.create(o), 3000);
  return { reads, ok: r.response === 'attestation' };
}`);
c('create: publicKey getter throws', `async () => {
  const boom = new Error('boom');
  try { await navigator.credentials.create({ get publicKey() { throw boom; } }); return 'resolved'; } catch (e) { return { same: e === boom }; }
}`);
c('create: a member getter throws', `async (h) => {
  const boom = new Error('boom'); const pk = h.pk();
  Object.defineProperty(pk, 'challenge', { get() { throw boom; } });
  try { await h.create(pk); return 'resolved'; } catch (e) { return { same: e === boom }; }
}`);
c('create: errors are rejections, never synchronous', `async (h) => {
  const calls = [() => navigator.credentials.create({ publicKey: { get rp() { throw new Error('x'); } } }),
    () => navigator.credentials.create({ get publicKey() { throw new Error('x'); } }), () => navigator.credentials.create(h.pk({ user: 5 }))];
  const out = [];
  for (const f of calls) { try { const p = f(); out.push(typeof p.then); await p.catch(() => {}); } catch { out.push('sync'); } }
  return out;
}`);
c('create: a TypeError from the page realm', `async (h) => { try { await h.create(h.pk({ challenge: 'x' })); return 'resolved'; } catch (e) { return { pageRealm: e instanceof TypeError, stack: typeof e.stack }; } }`);
c('create: members read in WebIDL order', `async (h) => {
  const reads = []; const target = h.pk();
  const pk = new Proxy(target, { get(t, k, r) { if (typeof k === 'string' && k in t) reads.push(k); return Reflect.get(t, k, r); } });
  await h.run(() => h.create(pk), 3000);
  return reads;
}`);
c('create: called on a plain object', `async (h) => navigator.credentials.create.call({}, { publicKey: h.pk() })`);
c('create: called without this', `async (h) => { const f = navigator.credentials.create; return f({ publicKey: h.pk() }); }`);
c('create: called on an object made from the container\'s prototype', `async (h) => navigator.credentials.create.call(Object.create(CredentialsContainer.prototype), { publicKey: h.pk() })`);
g('get: called on an object made from the container\'s prototype', `async (h) => navigator.credentials.get.call(Object.create(CredentialsContainer.prototype), { publicKey: h.pkGet() })`);
g('get: called on a plain object', `async (h) => navigator.credentials.get.call({}, { publicKey: h.pkGet() })`);
g('get: no argument', `async () => navigator.credentials.get()`);
g('get: empty options', `async () => navigator.credentials.get({})`);
g('get: publicKey null', `async () => navigator.credentials.get({ publicKey: null })`);
g('get: publicKey a number', `async () => navigator.credentials.get({ publicKey: 1 })`);
g('get: options a number', `async () => navigator.credentials.get(7)`);
g('get: publicKey an empty object', `async () => navigator.credentials.get({ publicKey: {} })`);
g('get: publicKey getter read once', `async (h) => {
  let reads = 0; const pk = h.pkGet();
  const o = { get publicKey() { reads++; return pk; } };
  await h.run(() => navigator.credentials.get(o), 3000);
  return { reads };
}`);
g('get: publicKey getter throws', `async () => {
  const boom = new Error('boom');
  try { await navigator.credentials.get({ get publicKey() { throw boom; } }); return 'resolved'; } catch (e) { return { same: e === boom }; }
}`);

// ---- Required members ----
c('create: the valid baseline', `async (h) => h.create(h.pk())`);
for (const m of ['rp', 'user', 'challenge', 'pubKeyCredParams']) {
  c(`create: ${m} missing`, `async (h) => { const o = h.pk(); delete o[${JSON.stringify(m)}]; return h.create(o); }`);
}
for (const m of ['id', 'name', 'displayName']) {
  c(`create: user.${m} missing`, `async (h) => { const o = h.pk(); delete o.user[${JSON.stringify(m)}]; return h.create(o); }`);
}
c('create: rp.name missing', `async (h) => h.create(h.pk({ rp: {} }))`);
c('create: two members missing, invalid challenge too', `async (h) => h.create(h.pk({ rp: undefined, challenge: 'abc' }))`);
g('get: challenge missing', `async (h) => h.get({})`);
g('get: only rpId', `async (h) => h.get({ rpId: 'localhost' })`);

// ---- Wrong types ----
c('create: rp a string', `async (h) => h.create(h.pk({ rp: 'Conformance' }))`);
c('create: rp null', `async (h) => h.create(h.pk({ rp: null }))`);
c('create: user a number', `async (h) => h.create(h.pk({ user: 5 }))`);
c('create: rp.name a number (ToString)', `async (h) => h.create(h.pk({ rp: { name: 42 } }))`);
c('create: rp.name a Symbol', `async (h) => h.create(h.pk({ rp: { name: Symbol('x') } }))`);
c('create: user.name null (ToString)', `async (h) => h.create(h.pk({ user: h.user({ name: null }) }))`);
c('create: user.displayName empty', `async (h) => h.create(h.pk({ user: h.user({ displayName: '' }) }))`);
c('create: rp.name empty', `async (h) => h.create(h.pk({ rp: { name: '' } }))`);
c('create: user.id a string', `async (h) => h.create(h.pk({ user: h.user({ id: 'abc' }) }))`);
c('create: user.id an array', `async (h) => h.create(h.pk({ user: h.user({ id: [1, 2, 3] }) }))`);
c('create: pubKeyCredParams an object', `async (h) => h.create(h.pk({ pubKeyCredParams: {} }))`);
c('create: pubKeyCredParams a string', `async (h) => h.create(h.pk({ pubKeyCredParams: 'ES256' }))`);
c('create: pubKeyCredParams null', `async (h) => h.create(h.pk({ pubKeyCredParams: null }))`);
c('create: pubKeyCredParams entry a number', `async (h) => h.create(h.pk({ pubKeyCredParams: [5] }))`);
c('create: pubKeyCredParams from an iterable', `async (h) => h.create(h.pk({ pubKeyCredParams: new Set([{ type: 'public-key', alg: -7 }]) }))`);
c('create: unknown members ignored', `async (h) => h.create(h.pk({ icon: 'x', rp: { name: 'C', icon: 'https://x' }, foo: 1 }))`);

// ---- challenge: BufferSource kinds (the bytes seen in clientDataJSON must be the view's bytes) ----
const views = ['Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'DataView'];
for (const v of views) {
  c(`create: challenge as ${v}`, `async (h) => {
    const buf = new ArrayBuffer(48); new Uint8Array(buf).forEach((_, i, a) => { a[i] = i; });
    return h.create(h.pk({ challenge: new ${v}(buf, 8, ${v === 'DataView' ? 32 : `32 / ${v}.BYTES_PER_ELEMENT`}) }));
  }`);
}
c('create: challenge as an ArrayBuffer', `async (h) => h.create(h.pk({ challenge: h.fill(32, 3).buffer }))`);
c('create: challenge as a Uint8Array subarray', `async (h) => h.create(h.pk({ challenge: h.fill(40, 5).map((x, i) => i).subarray(4, 36) }))`);
c('create: challenge as a SharedArrayBuffer', `async (h) => typeof SharedArrayBuffer === 'function' ? h.create(h.pk({ challenge: new SharedArrayBuffer(32) })) : 'no SharedArrayBuffer'`);
c('create: challenge a view on a SharedArrayBuffer', `async (h) => typeof SharedArrayBuffer === 'function' ? h.create(h.pk({ challenge: new Uint8Array(new SharedArrayBuffer(32)) })) : 'no SharedArrayBuffer'`);
c('create: challenge a detached ArrayBuffer', `async (h) => { const b = new ArrayBuffer(32); structuredClone(b, { transfer: [b] }); return h.create(h.pk({ challenge: b })); }`);
c('create: challenge a resizable ArrayBuffer', `async (h) => h.create(h.pk({ challenge: new ArrayBuffer(32, { maxByteLength: 64 }) }))`);
c('create: challenge a string', `async (h) => h.create(h.pk({ challenge: 'abc' }))`);
c('create: challenge an array', `async (h) => h.create(h.pk({ challenge: [1, 2, 3] }))`);
c('create: challenge null', `async (h) => h.create(h.pk({ challenge: null }))`);
c('create: challenge a plain object', `async (h) => h.create(h.pk({ challenge: { byteLength: 32 } }))`);
c('create: challenge empty', `async (h) => h.create(h.pk({ challenge: new Uint8Array(0) }))`);
c('create: challenge of 1 byte', `async (h) => h.create(h.pk({ challenge: new Uint8Array([1]) }))`);
c('create: challenge of 1024 bytes', `async (h) => h.create(h.pk({ challenge: h.fill(1024, 0xab) }))`);
c('create: challenge from another realm', `async (h) => {
  const f = document.createElement('iframe'); document.body.append(f);
  try { return await h.create(h.pk({ challenge: new f.contentWindow.Uint8Array(32).fill(4) })); } finally { f.remove(); }
}`);
c('create: challenge bytes are copied at the call', `async (h) => {
  const ch = h.fill(32, 1); const p = h.create(h.pk({ challenge: ch })); ch.fill(2); return p;
}`);
g('get: challenge a SharedArrayBuffer', `async (h) => typeof SharedArrayBuffer === 'function' ? h.get(h.pkGet({ challenge: new SharedArrayBuffer(32) })) : 'no SharedArrayBuffer'`);
g('get: challenge a string', `async (h) => h.get(h.pkGet({ challenge: 'abc' }))`);
g('get: challenge null', `async (h) => h.get(h.pkGet({ challenge: null }))`);
g('get: challenge as a DataView', `async (h) => h.get(h.pkGet({ challenge: new DataView(new ArrayBuffer(32)) }))`);
g('get: challenge as a Float64Array', `async (h) => h.get(h.pkGet({ challenge: new Float64Array(4) }))`);
g('get: challenge a resizable ArrayBuffer', `async (h) => h.get(h.pkGet({ challenge: new ArrayBuffer(32, { maxByteLength: 64 }) }))`);

// ---- user.id ----
for (const len of [0, 1, 64, 65]) {
  c(`create: user.id of ${len} bytes`, `async (h) => { const id = h.fill(${len}, 0x5a); if (${len}) id[0] = Math.random() * 256; return h.create(h.pk({ user: h.user({ id }) })); }`);
}
c('create: user.id as a DataView of 16 bytes', `async (h) => h.create(h.pk({ user: h.user({ id: new DataView(crypto.getRandomValues(new Uint8Array(16)).buffer) }) }))`);
c('create: user.id a SharedArrayBuffer', `async (h) => h.create(h.pk({ user: h.user({ id: new SharedArrayBuffer(8) }) }))`);

// ---- rp.id / rpId (the page is http://localhost:PORT) ----
const rpIds: [string, string][] = [
  ['the origin\'s host', `'localhost'`], ['uppercase', `'LOCALHOST'`], ['trailing dot', `'localhost.'`],
  ['unrelated domain', `'example.com'`], ['an IP address', `'127.0.0.1'`], ['a public suffix', `'com'`],
  ['empty', `''`], ['a subdomain of the host', `'sub.localhost'`], ['a non-dot-bounded suffix', `'calhost'`],
  ['with a port', `'localhost:1234'`], ['a number (ToString)', `1`], ['null (ToString)', `null`],
];
for (const [what, v] of rpIds) {
  c(`create: rp.id ${what}`, `async (h) => h.create(h.pk({ rp: { name: 'C', id: ${v} } }))`);
  g(`get: rpId ${what}`, `async (h) => h.get(h.pkGet({ rpId: ${v} }))`);
}

// ---- Unknown enum strings (ignored: DOMString members, §5.4) ----
c('create: attestation unknown', `async (h) => h.create(h.pk({ attestation: 'bogus' }))`);
c('create: authenticatorAttachment unknown', `async (h) => h.create(h.pk({ authenticatorSelection: { authenticatorAttachment: 'bogus' } }))`);
c('create: residentKey unknown', `async (h) => h.create(h.pk({ authenticatorSelection: { residentKey: 'bogus' } }))`);
c('create: userVerification unknown', `async (h) => h.create(h.pk({ authenticatorSelection: { userVerification: 'bogus' } }))`);
g('get: userVerification unknown', `async (h) => h.get(h.pkGet({ userVerification: 'bogus' }))`);

// ---- pubKeyCredParams ----
const params: [string, string][] = [
  ['empty (defaults)', `[]`],
  ['ES256 only', `[{ type: 'public-key', alg: -7 }]`],
  ['EdDSA only', `[{ type: 'public-key', alg: -8 }]`],
  ['EdDSA then ES256', `[{ type: 'public-key', alg: -8 }, { type: 'public-key', alg: -7 }]`],
  ['ES256 then EdDSA', `[{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -8 }]`],
  ['an unknown alg only', `[{ type: 'public-key', alg: -999 }]`],
  ['an unknown alg then ES256', `[{ type: 'public-key', alg: -999 }, { type: 'public-key', alg: -7 }]`],
  ['an unknown type only', `[{ type: 'bogus', alg: -7 }]`],
  ['an unknown type then EdDSA', `[{ type: 'bogus', alg: -7 }, { type: 'public-key', alg: -8 }]`],
  ['alg missing', `[{ type: 'public-key' }]`],
  ['type missing', `[{ alg: -7 }]`],
  ['alg a numeric string', `[{ type: 'public-key', alg: '-7' }]`],
  ['alg wrapping to ES256 (2^32 - 7)', `[{ type: 'public-key', alg: 4294967289 }]`],
  ['alg NaN (0)', `[{ type: 'public-key', alg: NaN }]`],
  ['alg fractional (-7.9 -> -7)', `[{ type: 'public-key', alg: -7.9 }]`],
  ['duplicate ES256', `[{ type: 'public-key', alg: -7 }, { type: 'public-key', alg: -7 }]`],
  ['null entry', `[null]`],
  ['type an object (ToString)', `[{ type: { toString() { return 'public-key'; } }, alg: -7 }]`],
];
for (const [what, v] of params) c(`create: pubKeyCredParams ${what}`, `async (h) => h.create(h.pk({ pubKeyCredParams: ${v} }))`);

// ---- timeout ----
for (const [what, v] of [['0', '0'], ['60000', '60000'], ['-1 (wraps)', '-1'], ['NaN', 'NaN'], ['a string', `'abc'`], ['Infinity', 'Infinity'], ['2^32 + 5', '4294967301'], ['null', 'null']] as const) {
  c(`create: timeout ${what}`, `async (h) => h.create(h.pk({ timeout: ${v} }))`);
}
g('get: timeout 0', `async (h) => h.get(h.pkGet({ timeout: 0 }))`);
g('get: timeout a string', `async (h) => h.get(h.pkGet({ timeout: 'abc' }))`);

// ---- excludeCredentials / allowCredentials (never matching a stored passkey) ----
const descriptorShapes: [string, string][] = [
  ['empty', `[]`],
  ['one unknown id', `[{ type: 'public-key', id: crypto.getRandomValues(new Uint8Array(16)) }]`],
  ['id missing', `[{ type: 'public-key' }]`],
  ['type missing', `[{ id: new Uint8Array(16) }]`],
  ['id a string', `[{ type: 'public-key', id: 'abc' }]`],
  ['type unknown', `[{ type: 'bogus', id: new Uint8Array(16) }]`],
  ['transports known and unknown', `[{ type: 'public-key', id: new Uint8Array(16).fill(1), transports: ['usb', 'internal', 'bogus'] }]`],
  ['transports a string', `[{ type: 'public-key', id: new Uint8Array(16), transports: 'usb' }]`],
  ['transports null', `[{ type: 'public-key', id: new Uint8Array(16), transports: null }]`],
  ['not a sequence', `{}`],
  ['null', `null`],
  ['a null entry', `[null]`],
  ['an id of 0 bytes', `[{ type: 'public-key', id: new Uint8Array(0) }]`],
  ['an id as an ArrayBuffer', `[{ type: 'public-key', id: new ArrayBuffer(16) }]`],
  ['an id a SharedArrayBuffer', `[{ type: 'public-key', id: new SharedArrayBuffer(16) }]`],
];
for (const [what, v] of descriptorShapes) {
  c(`create: excludeCredentials ${what}`, `async (h) => h.create(h.pk({ excludeCredentials: ${v} }))`);
  g(`get: allowCredentials ${what}`, `async (h) => h.get(h.pkGet({ allowCredentials: ${v} }))`);
}

// ---- hints ----
const hints: [string, string][] = [
  ['all three', `['security-key', 'client-device', 'hybrid']`], ['client-device', `['client-device']`],
  ['duplicated', `['client-device', 'client-device']`], ['unknown', `['bogus']`],
  ['a string', `'client-device'`], ['null', `null`], ['empty', `[]`],
];
for (const [what, v] of hints) {
  c(`create: hints ${what}`, `async (h) => h.create(h.pk({ hints: ${v} }))`);
  g(`get: hints ${what}`, `async (h) => h.get(h.pkGet({ hints: ${v} }))`);
}

// ---- extensions ----
c('create: extensions credProps, resident key required', `async (h) => h.create(h.pk({ extensions: { credProps: true }, authenticatorSelection: { residentKey: 'required' } }))`);
c('create: extensions credProps false', `async (h) => h.create(h.pk({ extensions: { credProps: false } }))`);
c('create: extensions unknown ignored', `async (h) => h.create(h.pk({ extensions: { bogusExtension: 1 } }))`);
c('create: extensions empty', `async (h) => h.create(h.pk({ extensions: {} }))`);
c('create: extensions null', `async (h) => h.create(h.pk({ extensions: null }))`);
c('create: extensions a number', `async (h) => h.create(h.pk({ extensions: 5 }))`);
g('get: extensions unknown ignored', `async (h) => h.get(h.pkGet({ extensions: { bogusExtension: 1 } }))`);
g('get: extensions a number', `async (h) => h.get(h.pkGet({ extensions: 5 }))`);

// ---- attestation ----
for (const a of ['none', 'indirect', 'direct', 'enterprise']) c(`create: attestation ${a}`, `async (h) => h.create(h.pk({ attestation: '${a}' }))`);

// ---- authenticatorSelection ----
const selections: [string, string][] = [
  ['empty', `{}`], ['residentKey required', `{ residentKey: 'required' }`], ['residentKey preferred', `{ residentKey: 'preferred' }`],
  ['residentKey discouraged', `{ residentKey: 'discouraged' }`], ['requireResidentKey true', `{ requireResidentKey: true }`],
  ['userVerification required', `{ userVerification: 'required' }`], ['userVerification discouraged', `{ userVerification: 'discouraged' }`],
  ['attachment platform', `{ authenticatorAttachment: 'platform' }`], ['a number', `5`], ['null', `null`],
];
for (const [what, v] of selections) c(`create: authenticatorSelection ${what}`, `async (h) => h.create(h.pk({ authenticatorSelection: ${v} }))`);
g('get: userVerification required', `async (h) => h.get(h.pkGet({ userVerification: 'required' }))`);
g('get: userVerification discouraged', `async (h) => h.get(h.pkGet({ userVerification: 'discouraged' }))`);

// ---- AbortSignal ----
const reasons: [string, string][] = [
  ['no reason', ``], ['undefined', `undefined`], ['a string', `'stop'`], ['an Error', `new Error('stop')`],
  ['null', `null`], ['a TypeError', `new TypeError('stop')`],
];
for (const [what, v] of reasons) {
  for (const op of ['create', 'get'] as const) {
    const call = op === 'create' ? `h.create(h.pk(), { signal })` : `h.get(h.pkGet(), { signal })`;
    cases.push({ name: `${op}: signal already aborted, ${what}`, op, src: `async (h) => {
      const signal = h.aborted(${v});
      try { await ${call}; return 'resolved'; }
      catch (e) { return { same: e === signal.reason, ...h.errorOf(e) }; }
    }` });
  }
}
// Aborting right after create() is not compared: Chromium's own virtual authenticator sometimes
// answers before the abort arrives (resolved), sometimes not. With nothing to find, get() is stable.
g('get: aborted right after the call', `async (h) => {
  const ac = new AbortController(); const p = h.get(h.pkGet(), { signal: ac.signal }); ac.abort('late');
  try { await p; return 'resolved'; } catch (e) { return { same: e === 'late' }; }
}`);
for (const op of ['create', 'get'] as const) {
  const pk = op === 'create' ? `h.pk({ challenge: undefined })` : `{}`;
  cases.push({ name: `${op}: aborted signal and invalid arguments`, op, src: `async (h) => h.${op}(${pk}, { signal: h.aborted('why') })` });
  cases.push({ name: `${op}: signal not an AbortSignal`, op, src: `async (h) => h.${op}(${op === 'create' ? 'h.pk()' : 'h.pkGet()'}, { signal: { aborted: true, reason: 'fake' } })` });
  cases.push({ name: `${op}: signal null`, op, src: `async (h) => h.${op}(${op === 'create' ? 'h.pk()' : 'h.pkGet()'}, { signal: null })` });
}

// ---- mediation ----
for (const m of ['optional', 'required', 'silent', 'bogus', 'immediate']) {
  c(`create: mediation ${m}`, `async (h) => h.create(h.pk(), { mediation: '${m}' })`);
  g(`get: mediation ${m}`, `async (h) => h.get(h.pkGet(), { mediation: '${m}' })`);
}
for (const op of ['create', 'get'] as const) {
  cases.push({ name: `${op}: signal from another realm`, op, src: `async (h) => {
    const f = document.createElement('iframe'); document.body.append(f);
    try { return await h.${op}(h.${op === 'create' ? 'pk' : 'pkGet'}(), { signal: new f.contentWindow.AbortController().signal }); } finally { f.remove(); }
  }` });
  cases.push({ name: `${op}: mediation a Symbol`, op, src: `async (h) => h.${op}(h.${op === 'create' ? 'pk' : 'pkGet'}(), { mediation: Symbol('m') })` });
}
g('get: mediation conditional, then aborted', `async (h) => {
  const ac = new AbortController(); const p = h.get(h.pkGet(), { mediation: 'conditional', signal: ac.signal });
  setTimeout(() => ac.abort(), 50);
  try { await p; return 'resolved'; } catch (e) { return h.errorOf(e); }
}`);

// ---- More shapes ----
c('create: challenge a Proxy of a Uint8Array', `async (h) => h.create(h.pk({ challenge: new Proxy(h.fill(32, 7), {}) }))`);
c('create: challenge a Uint8Array subclass', `async (h) => { class Bytes extends Uint8Array {} return h.create(h.pk({ challenge: new Bytes(32).fill(7) })); }`);
c('create: rp a function (its name is rp.name)', `async (h) => h.create(h.pk({ rp: function Conformance() {} }))`);
c('create: user.id of 64 bytes in a view on a larger buffer', `async (h) => { const b = crypto.getRandomValues(new Uint8Array(100)); return h.create(h.pk({ user: h.user({ id: b.subarray(10, 74) }) })); }`);
c('create: pubKeyCredParams a generator', `async (h) => h.create(h.pk({ pubKeyCredParams: (function* () { yield { type: 'public-key', alg: -8 }; yield { type: 'public-key', alg: -7 }; })() }))`);
c('create: attestationFormats none', `async (h) => h.create(h.pk({ attestationFormats: ['none'] }))`);
c('create: attestationFormats packed, attestation direct', `async (h) => h.create(h.pk({ attestation: 'direct', attestationFormats: ['packed'] }))`);
c('create: attestationFormats not a sequence', `async (h) => h.create(h.pk({ attestationFormats: 5 }))`);
c('create: credProps with residentKey discouraged', `async (h) => h.create(h.pk({ extensions: { credProps: true }, authenticatorSelection: { residentKey: 'discouraged' } }))`);
c('create: credProps with residentKey preferred', `async (h) => h.create(h.pk({ extensions: { credProps: true }, authenticatorSelection: { residentKey: 'preferred' } }))`);
// Only a cross-platform authenticator may answer (§5.1.3, authenticator selection): the browsers'
// own clients wait for one that never comes, so the case aborts after half a second.
c('create: attachment cross-platform', `async (h) => {
  const ac = new AbortController(); setTimeout(() => ac.abort(), 500);
  return h.create(h.pk({ authenticatorSelection: { authenticatorAttachment: 'cross-platform' } }), { signal: ac.signal });
}`);
c('create: extensions appid (a get() extension)', `async (h) => h.create(h.pk({ extensions: { appid: 'https://example.com' } }))`);
// §10.1.1: appid at create() is NotSupportedError whatever its value ("" and null, which WebIDL makes "null").
c('create: extensions appid an empty string', `async (h) => h.create(h.pk({ extensions: { appid: '' } }))`);
c('create: extensions appid null', `async (h) => h.create(h.pk({ extensions: { appid: null } }))`);
c('create: extensions appid this origin', `async (h) => h.create(h.pk({ extensions: { appid: location.origin } }))`);
c('create: extensions appid undefined (not present)', `async (h) => h.create(h.pk({ extensions: { appid: undefined } }))`);
// §10.1.2: appidExclude, a registration extension; Latchkey holds nothing registered under an AppID.
c('create: extensions appidExclude this origin', `async (h) => h.create(h.pk({ extensions: { appidExclude: location.origin } }))`);
// credProtect not enforced: a preference; the credential is made (CTAP 2.1 §12.1).
c('create: extensions credProtect required, not enforced', `async (h) => h.create(h.pk({ extensions: { credentialProtectionPolicy: 'userVerificationRequired' }, authenticatorSelection: { residentKey: 'required', userVerification: 'required' } }))`);
c('create: extensions credProtect optional, enforced', `async (h) => h.create(h.pk({ extensions: { credentialProtectionPolicy: 'userVerificationOptional', enforceCredentialProtectionPolicy: true }, authenticatorSelection: { residentKey: 'required' } }))`);
// Identifiers removed from the spec or not for pages: ignored (§5.1.3 step 12).
c('create: extensions txAuthSimple, uvm, exts, loc (removed from the spec)', `async (h) => h.create(h.pk({ extensions: { txAuthSimple: 'Pay?', uvm: true, exts: true, loc: true } }))`);
// largeBlob (§10.1.5): Latchkey stores no blobs; "required" goes to the browser.
c('create: extensions largeBlob support required', `async (h) => h.create(h.pk({ extensions: { largeBlob: { support: 'required' } }, authenticatorSelection: { residentKey: 'required' } }))`);
c('create: extensions largeBlob read (a get() member)', `async (h) => h.create(h.pk({ extensions: { largeBlob: { read: true } }, authenticatorSelection: { residentKey: 'required' } }))`);
c('create: extensions largeBlob write (a get() member)', `async (h) => h.create(h.pk({ extensions: { largeBlob: { write: new Uint8Array(4) } }, authenticatorSelection: { residentKey: 'required' } }))`);
c('create: extensions largeBlob support preferred', `async (h) => h.create(h.pk({ extensions: { largeBlob: { support: 'preferred' } }, authenticatorSelection: { residentKey: 'required' } }))`);
g('get: extensions largeBlob support (a create() member)', `async (h) => h.get(h.pkGet({ extensions: { largeBlob: { support: 'preferred' } } }))`);
g('get: extensions largeBlob read and write together', `async (h) => h.get(h.pkGet({ allowCredentials: [{ type: 'public-key', id: new Uint8Array(16) }], extensions: { largeBlob: { read: true, write: new Uint8Array(4) } } }))`);
g('get: extensions largeBlob write without allowCredentials', `async (h) => h.get(h.pkGet({ extensions: { largeBlob: { write: new Uint8Array(4) } } }))`);
c('create: extensions minPinLength', `async (h) => h.create(h.pk({ extensions: { minPinLength: true } }))`);
c('create: extensions credProps a getter', `async (h) => h.create(h.pk({ extensions: { get credProps() { return true; } }, authenticatorSelection: { residentKey: 'required' } }))`);
c('create: user.displayName very long', `async (h) => h.create(h.pk({ user: h.user({ displayName: 'x'.repeat(5000) }) }))`);
c('create: rp.name and user.name with non-ASCII characters', `async (h) => h.create(h.pk({ rp: { name: 'Caf\\u00e9 \\u2615' }, user: h.user({ name: '\\u00fcser@\\u4f8b.test' }) }))`);
g('get: extensions appid a foreign URL', `async (h) => h.get(h.pkGet({ extensions: { appid: 'https://example.com' } }))`);
g('get: challenge a Proxy of a Uint8Array', `async (h) => h.get(h.pkGet({ challenge: new Proxy(new Uint8Array(32), {}) }))`);
g('get: allowCredentials a generator', `async (h) => h.get(h.pkGet({ allowCredentials: (function* () { yield { type: 'public-key', id: new Uint8Array(16) }; })() }))`);

// ---- Behaviour ----
c('create: the promise is a page Promise', `async (h) => { const p = h.create(h.pk()); const isPromise = p instanceof Promise; await p; return { isPromise }; }`);
c('create: toJSON of the result', `async (h) => {
  const cred = await h.create(h.pk());
  const j = cred.toJSON();
  return { keys: Object.keys(j).sort(), response: Object.keys(j.response).sort(), id: j.id === cred.id, type: j.type };
}`);
c('create: response methods', `async (h) => {
  const r = (await h.create(h.pk())).response;
  return { transports: Array.isArray(r.getTransports()), authData: r.getAuthenticatorData() instanceof ArrayBuffer, spki: r.getPublicKey() instanceof ArrayBuffer, spkiLen: r.getPublicKey().byteLength };
}`);
c('create: methods keep their names', `async () => ({ create: navigator.credentials.create.name, get: navigator.credentials.get.name, len: navigator.credentials.create.length })`);
g('get: nothing stored for this site', `async (h) => h.get(h.pkGet())`);

export const CASES: readonly Case[] = cases;
