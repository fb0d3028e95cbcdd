// Shared helpers for the browser benchmarks (bench/*.bench.ts): statistics, a table printer, a tiny
// static server on localhost (a secure context), the in-page ceremony loop, the machine description
// and the JSON output in bench/results/<name>.json. Benchmarks only: nothing here asserts on time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { resolve } from 'node:path';

export const BENCH_DIR = import.meta.dirname;

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
export function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))]!;
}
export interface Stats { n: number; median: number; p10: number; p90: number; min: number; max: number }
export function stats(xs: number[]): Stats {
  return { n: xs.length, median: median(xs), p10: pct(xs, 0.1), p90: pct(xs, 0.9), min: Math.min(...xs), max: Math.max(...xs) };
}
export const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : String(x));

/** Prints rows as an aligned text table (and returns the markdown form, for RESULTS files). */
export function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(w[i]!)).join('  ');
  console.log(line(head));
  console.log(w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of cells.slice(1)) console.log(line(r));
  console.log('');
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...cells.slice(1).map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function machine(): Record<string, string | number> {
  const v = (cmd: string, args: string[]) => { try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { return 'n/a'; } };
  return {
    nproc: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'n/a',
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    loadavg: os.loadavg().map((x) => x.toFixed(2)).join(' '),
    node: process.version,
    chromium: v(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version']),
    firefox: v(process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr', ['--version']),
    date: new Date().toISOString(),
  };
}

export function writeResults(name: string, data: unknown): string {
  const dir = resolve(BENCH_DIR, 'results');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ machine: machine(), ...(data as object) }, null, 2) + '\n');
  console.log(`wrote ${file}`);
  return file;
}

/** A bare HTML page on http://localhost:<port>/ (a secure context); extra routes for the page-load bench. */
export async function startServer(routes: Record<string, { type: string; body: string | Buffer }> = {}): Promise<{ url: string; server: Server; close(): Promise<void> }> {
  const all: Record<string, { type: string; body: string | Buffer }> = {
    '/': { type: 'text/html; charset=utf-8', body: '<!doctype html><meta charset="utf-8"><title>bench</title><p>bench page</p>' },
    ...routes,
  };
  const server = createServer((req, res) => {
    const r = all[(req.url ?? '/').split('?')[0]!];
    if (!r) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': r.type, 'cache-control': 'no-store' }).end(r.body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  return { url: `http://localhost:${port}`, server, close: () => new Promise((ok) => server.close(() => ok())) };
}

/**
 * The in-page ceremony loop, as a function SOURCE string (tsx would inject `__name` into a real
 * function). Called with { n, rpId, uv }: n times create() then get() (allowCredentials = the new
 * passkey, so every authenticator answers the same request without an account chooser). Returns the
 * times from performance.now(), plus Latchkey's page-side split when the extension is there: the
 * request envelope posted to the bridge (conversion done) and the answer envelope received.
 */
export const CEREMONY_LOOP = `async (o) => {
  const out = { create: [], get: [], split: [] };
  let posted = 0, answered = 0;
  const onMsg = (e) => {
    const d = e.data;
    if (!d || typeof d !== 'object' || d.channel !== 'latchkey/v1') return;
    // e.timeStamp: when the event was created (the postMessage call); the listener itself may run
    // only after main-world's listener has already settled the page's promise.
    if (d.dir === 'to-bridge' && d.kind === 'request') posted = e.timeStamp;
    if (d.dir === 'to-page') answered = e.timeStamp;
  };
  window.addEventListener('message', onMsg, true);
  const rnd = (n) => crypto.getRandomValues(new Uint8Array(n));
  try {
    for (let i = 0; i < o.n; i++) {
      posted = 0; answered = 0;
      let t = performance.now();
      const c = await navigator.credentials.create({ publicKey: {
        rp: { id: o.rpId, name: 'Bench' }, user: { id: rnd(16), name: 'bench' + i + '@example.test', displayName: 'Bench ' + i },
        challenge: rnd(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        authenticatorSelection: { residentKey: 'required', userVerification: o.uv }, attestation: 'none', timeout: 60000 } });
      let end = performance.now();
      out.create.push(end - t);
      await new Promise((r) => setTimeout(r, 0)); // let the stamping listener run (untimed)
      if (posted) out.split.push({ op: 'create', toPost: posted - t, roundTrip: answered - posted, toResolve: end - answered });
      posted = 0; answered = 0;
      t = performance.now();
      const a = await navigator.credentials.get({ publicKey: {
        rpId: o.rpId, challenge: rnd(32), allowCredentials: [{ type: 'public-key', id: c.rawId }], userVerification: o.uv, timeout: 60000 } });
      end = performance.now();
      if (!a || a.id !== c.id) throw new Error('get() answered with another credential');
      out.get.push(end - t);
      await new Promise((r) => setTimeout(r, 0));
      if (posted) out.split.push({ op: 'get', toPost: posted - t, roundTrip: answered - posted, toResolve: end - answered });
    }
  } finally {
    window.removeEventListener('message', onMsg, true);
  }
  return out;
}`;

export interface LoopResult { create: number[]; get: number[]; split: { op: string; toPost: number; roundTrip: number; toResolve: number }[] }

/**
 * Source of a service-worker instrument (evaluate it in Latchkey's background): counts and times
 * storage.session get/set, IndexedDB transactions and opens, WebCrypto calls, and, per request on
 * a frame's ceremony port, the time from the request message to the result posted. Read with SW_READ; reset on read.
 */
export const SW_INSTRUMENT = `(() => {
  if (globalThis.__bench) return 'already';
  const b = globalThis.__bench = { counts: {}, times: {}, ports: [] };
  const add = (k, ms) => { b.counts[k] = (b.counts[k] || 0) + 1; b.times[k] = (b.times[k] || 0) + ms; };
  const wrapCb = (obj, name, key) => {
    const orig = obj[name];
    obj[name] = function (...args) {
      const t = performance.now();
      const cb = typeof args[args.length - 1] === 'function' ? args.pop() : null;
      if (cb) return orig.call(this, ...args, (...r) => { add(key, performance.now() - t); cb(...r); });
      const p = orig.apply(this, args);
      if (p && p.then) p.then(() => add(key, performance.now() - t), () => add(key, performance.now() - t));
      return p;
    };
  };
  wrapCb(chrome.storage.session, 'get', 'storage.session.get');
  wrapCb(chrome.storage.session, 'set', 'storage.session.set');
  wrapCb(chrome.storage.session, 'remove', 'storage.session.remove');
  wrapCb(chrome.storage.local, 'get', 'storage.local.get');
  wrapCb(chrome.storage.local, 'set', 'storage.local.set');
  if (chrome.alarms) { wrapCb(chrome.alarms, 'clear', 'alarms.clear'); const c = chrome.alarms.create; chrome.alarms.create = function (...a) { add('alarms.create', 0); return c.apply(this, a); }; }
  for (const m of ['importKey', 'encrypt', 'decrypt', 'digest', 'sign', 'generateKey']) {
    const orig = crypto.subtle[m].bind(crypto.subtle);
    crypto.subtle[m] = (...a) => { const t = performance.now(); const p = orig(...a); p.then(() => add('subtle.' + m, performance.now() - t), () => {}); return p; };
  }
  const tx = IDBDatabase.prototype.transaction;
  IDBDatabase.prototype.transaction = function (...a) {
    const t = performance.now();
    const r = tx.apply(this, a);
    const k = 'idb.tx(' + [].concat(a[0]).join(',') + ',' + (a[1] || 'readonly') + ')';
    r.addEventListener('complete', () => add(k, performance.now() - t));
    return r;
  };
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...a) { add('idb.open', 0); return open.apply(this, a); };
  // One port per frame carries every request, each numbered (rid): time each request from its
  // message to its result.
  chrome.runtime.onConnect.addListener((port) => {
    if (port.name !== 'latchkey-ceremony' || !port.sender || !port.sender.tab) return;
    const connected = performance.now();
    const got = new Map();
    port.onMessage.addListener((m) => { if (m && m.rid && !got.has(m.rid)) { got.set(m.rid, performance.now()); if (got.size === 1) (b.connectToMessage = b.connectToMessage || []).push(performance.now() - connected); } });
    const post = port.postMessage.bind(port);
    port.postMessage = (m) => { if (m && m.msg && m.msg.kind === 'result' && got.has(m.rid)) { b.ports.push(performance.now() - got.get(m.rid)); got.delete(m.rid); } return post(m); };
  });
  return 'ok';
})()`;
export const SW_READ = `(() => { const b = globalThis.__bench; if (!b) return null; const r = JSON.parse(JSON.stringify(b)); b.counts = {}; b.times = {}; b.ports = []; b.connectToMessage = []; return r; })()`;
export interface SwCounters { counts: Record<string, number>; times: Record<string, number>; ports: number[]; connectToMessage?: number[] }

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The window benches' call (function source): a create() that opens Latchkey's window, with
 * userVerification 'discouraged' so no PIN screen comes first; returns the call's absolute time.
 */
export const WINDOW_CREATE_CALL = `() => {
  const rnd = (n) => crypto.getRandomValues(new Uint8Array(n));
  const t = performance.timeOrigin + performance.now();
  navigator.credentials.create({ publicKey: {
    rp: { id: 'localhost', name: 'Bench' }, user: { id: rnd(16), name: 'window@example.test', displayName: 'Window' },
    challenge: rnd(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey: 'required', userVerification: 'discouraged' } } }).catch(() => {});
  return t;
}`;
