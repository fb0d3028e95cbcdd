import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SyncHttpError, WebDav, checkFolderUrl } from './webdav';

function recorder(respond: (url: string, init: RequestInit) => Response) {
  const calls: { url: string; init: RequestInit }[] = [];
  return { calls, fetch: async (url: string, init: RequestInit) => { calls.push({ url, init }); return respond(url, init); } };
}

test('the folder must be https, or http to this computer only; no credentials in the address', () => {
  assert.equal(checkFolderUrl('https://cloud.example/dav/files/ann/Latchkey').href, 'https://cloud.example/dav/files/ann/Latchkey/');
  assert.equal(checkFolderUrl('http://127.0.0.1:8080/dav').href, 'http://127.0.0.1:8080/dav/');
  assert.throws(() => checkFolderUrl('http://nas.lan/dav'), /must start with https/);
  assert.throws(() => checkFolderUrl('https://ann:pw@cloud.example/'), /own boxes/);
  assert.throws(() => checkFolderUrl('cloud.example'), /full address/);
});

test('every request stays in the folder, sends basic auth, no cookies, refuses redirects', async () => {
  const r = recorder(() => new Response('x', { status: 200, headers: { ETag: '"e1"' } }));
  const dav = new WebDav({ folderUrl: 'https://cloud.example/dav/L/', userName: 'ann', appPassword: 'pässword', fetch: r.fetch });
  await dav.get('r/abc');
  const { url, init } = r.calls[0]!;
  assert.equal(url, 'https://cloud.example/dav/L/r/abc');
  assert.equal((init.headers as Record<string, string>).Authorization, `Basic ${Buffer.from('ann:pässword').toString('base64')}`);
  assert.equal(init.credentials, 'omit');
  assert.equal(init.redirect, 'error');
  for (const bad of ['../x', '/etc', 'https://evil.example/x', '//evil.example/x', 'r/../../x']) {
    assert.throws(() => dav.url(bad), /bad sync path|leaves the folder/, bad);
  }
});

test('PUT is conditional: If-Match for a known file, If-None-Match: * for a new one; 412 is a conflict', async () => {
  let status = 201;
  const r = recorder(() => new Response(null, { status, headers: { ETag: '"e2"' } }));
  const dav = new WebDav({ folderUrl: 'https://cloud.example/', userName: 'a', appPassword: 'b', fetch: r.fetch });
  assert.deepEqual(await dav.put('root', new Uint8Array(3), { ifNoneMatch: '*' }), { status: 'ok', etag: '"e2"' });
  assert.equal((r.calls[0]!.init.headers as Record<string, string>)['If-None-Match'], '*');
  status = 412;
  assert.deepEqual(await dav.put('root', new Uint8Array(3), { ifMatch: '"e1"' }), { status: 'conflict' });
  assert.equal((r.calls[1]!.init.headers as Record<string, string>)['If-Match'], '"e1"');
});

test('failures read as plain words: server down, 401, 403, 507', async () => {
  const down = new WebDav({ folderUrl: 'https://cloud.example/', userName: 'a', appPassword: 'b', fetch: async () => { throw new TypeError('Failed to fetch'); } });
  await assert.rejects(down.get('root'), /could not be reached/);
  for (const [status, words] of [[401, /user name or app password/], [403, /does not allow Latchkey/], [507, /is full/]] as const) {
    const dav = new WebDav({ folderUrl: 'https://cloud.example/', userName: 'a', appPassword: 'b', fetch: async () => new Response(null, { status }) });
    await assert.rejects(dav.put('root', new Uint8Array(1), { ifMatch: '"x"' }), (e: unknown) => e instanceof SyncHttpError && e.status === status && words.test(e.message));
  }
});

test('a connection that fails once (a kept-alive socket the server closed) is tried once more', async () => {
  let calls = 0;
  const dav = new WebDav({ folderUrl: 'https://cloud.example/', userName: 'a', appPassword: 'b', fetch: async () => {
    if (++calls === 1) throw new TypeError('other side closed');
    return new Response('x', { status: 200 });
  } });
  assert.equal((await dav.get('root')).status, 200);
  assert.equal(calls, 2);
});
