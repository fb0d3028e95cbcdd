// The fetch side of related origin requests, against a real HTTP server on loopback: the fetcher
// only rewrites https://<RP ID> to the server's address, so Node's own fetch applies the options
// (credentials, redirect: 'error', the size limit) as a browser's would.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { after, before, beforeEach, test } from 'node:test';
import { checkRelatedOrigin, forgetRelatedOrigins, MAX_DOCUMENT_BYTES } from './relatedOrigins';

type Route = { status?: number; type?: string; body?: string; location?: string; chunks?: number };
const routes = new Map<string, Route>();
const seen: { host: string; path: string; headers: IncomingHttpHeaders }[] = [];
const server = createServer((req, res) => {
  const host = req.headers['x-rp'] as string;
  seen.push({ host, path: req.url ?? '', headers: req.headers });
  const r = routes.get(host);
  if (!r) { res.writeHead(404).end(); return; }
  const headers: Record<string, string> = {};
  if (r.type) headers['content-type'] = r.type;
  if (r.location) headers.location = r.location;
  res.writeHead(r.status ?? 200, headers);
  if (r.chunks) { for (let i = 0; i < r.chunks; i++) res.write('x'.repeat(16 * 1024)); res.end(); return; }
  res.end(r.body ?? '');
});
let base = '';
before(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => server.close());
beforeEach(() => { forgetRelatedOrigins(); routes.clear(); seen.length = 0; });

const toLoopback = (url: string, init: RequestInit) => {
  const u = new URL(url);
  assert.equal(u.protocol, 'https:', 'only https is ever asked for');
  return fetch(`${base}${u.pathname}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-rp': u.hostname } });
};
const doc = (origins: unknown) => ({ type: 'application/json', body: JSON.stringify({ origins }) });

test('a listed origin is accepted; the request is GET /.well-known/webauthn without cookies or referrer', async () => {
  routes.set('rp.example', doc(['https://shop.example.net']));
  assert.deepEqual(await checkRelatedOrigin('https://shop.example.net', 'rp.example', toLoopback), { ok: true });
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.path, '/.well-known/webauthn');
  assert.equal(seen[0]!.headers.cookie, undefined);
  assert.equal(seen[0]!.headers.referer, undefined);
});

test('an origin not listed, or one past the label limit, is refused with a reason', async () => {
  routes.set('rp.example', doc(['https://a1.com', 'https://a2.com', 'https://a3.com', 'https://a4.com', 'https://a5.com', 'https://a6.com']));
  const r = await checkRelatedOrigin('https://a6.com', 'rp.example', toLoopback);
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /does not list https:\/\/a6\.com/);
  assert.equal((await checkRelatedOrigin('https://other.example', 'rp.example', toLoopback)).ok, false);
});

test('the document is kept for a while: a second ceremony does not fetch again', async () => {
  routes.set('rp.example', doc(['https://shop.example.net']));
  await checkRelatedOrigin('https://shop.example.net', 'rp.example', toLoopback);
  await checkRelatedOrigin('https://shop.example.net', 'rp.example', toLoopback);
  await Promise.all([1, 2, 3].map(() => checkRelatedOrigin('https://x.example.org', 'rp2.example', toLoopback)));
  assert.equal(seen.filter((s) => s.host === 'rp.example').length, 1);
  assert.equal(seen.filter((s) => s.host === 'rp2.example').length, 1, 'requests at the same time share one fetch');
});

test('refused: a redirect, a status other than 200, another content type, bad JSON, no origins array', async () => {
  routes.set('redirect.example', { status: 302, location: '/elsewhere' });
  routes.set('missing.example', { status: 404 });
  routes.set('html.example', { type: 'text/html', body: JSON.stringify({ origins: ['https://a.example'] }) });
  routes.set('badjson.example', { type: 'application/json', body: '{"origins": [' });
  routes.set('noarray.example', { type: 'application/json', body: '{"origins": "https://a.example"}' });
  for (const rp of ['redirect.example', 'missing.example', 'html.example', 'badjson.example', 'noarray.example', 'down.example']) {
    const r = await checkRelatedOrigin('https://a.example', rp, toLoopback);
    assert.equal(r.ok, false, rp);
  }
  const unreachable = await checkRelatedOrigin('https://a.example', 'gone.example', () => Promise.reject(new TypeError('network')));
  assert.match((unreachable as { reason: string }).reason, /could not be fetched/);
});

test('a document larger than the limit is refused without reading it all', async () => {
  routes.set('big.example', { type: 'application/json', chunks: Math.ceil((2 * MAX_DOCUMENT_BYTES) / (16 * 1024)) });
  const r = await checkRelatedOrigin('https://a.example', 'big.example', toLoopback);
  assert.equal(r.ok, false);
  assert.match((r as { reason: string }).reason, /larger than/);
});

test('RP IDs that cannot list origins are refused without any request', async () => {
  for (const rp of ['com', 'github.io', '127.0.0.1', 'Upper.example', 'a b.example']) {
    assert.equal((await checkRelatedOrigin('https://a.example', rp, toLoopback)).ok, false, rp);
  }
  assert.equal(seen.length, 0);
});
