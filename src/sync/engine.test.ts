import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { deriveSyncKeys } from './crypto';
import { SyncDataGoneError, SyncEngine, SyncRollbackError, type SyncDav } from './engine';
import { SyncStore } from './state';
import { MemoryDav, MemoryVault, passkey } from './testDevices';

const keys = deriveSyncKeys(new Uint8Array(32).fill(3));
let dbs = 0;

async function device(id: string, dav: SyncDav, vault = new MemoryVault()) {
  const store = await SyncStore.open(`sync-test-${id}-${++dbs}`);
  return {
    vault, store,
    sync: (o: { stopAfterPuts?: number; dav?: SyncDav; backoffMs?: number } = {}) => new SyncEngine({ dav: o.dav ?? dav, keys, store, vault, deviceId: id, ...o }).run(),
  };
}

const view = async (v: MemoryVault) => (await v.list()).map((p) => [p.credentialId, p.label, p.lastUsedAt, p.hidden?.by ?? null]).sort();

test('a second device gets every passkey, with its private key; nothing runs twice', async () => {
  const dav = new MemoryDav();
  const a = await device('A', dav, new MemoryVault([passkey(1), passkey(2, { label: 'Work' }), passkey(3)]));
  const b = await device('B', dav);
  assert.equal((await a.sync()).uploaded, 3);
  assert.equal((await b.sync()).downloaded, 3);
  assert.deepEqual(await view(b.vault), await view(a.vault));
  assert.equal(await b.vault.privateKey('cred-2'), 'sk-2');
  assert.deepEqual(await a.sync(), { downloaded: 0, uploaded: 0, applied: 0 });
  assert.deepEqual(await b.sync(), { downloaded: 0, uploaded: 0, applied: 0 });
});

test('a rename on one device and a sign-in on another both survive; a delete wins over an older edit', async () => {
  const dav = new MemoryDav();
  const a = await device('A', dav, new MemoryVault([passkey(1), passkey(2)]));
  const b = await device('B', dav);
  await a.sync(); await b.sync();
  await a.vault.rename('cred-1', 'Renamed on A');
  await b.vault.recordLastUsed([{ credentialId: 'cred-1', at: 9000 }]);
  await b.vault.rename('cred-2', 'edited on B');
  await b.sync();
  await a.vault.delete('cred-2'); // A deletes after B's edit reached the server, but without having seen it
  await a.sync(); await b.sync(); await a.sync();
  assert.deepEqual(await view(a.vault), [['cred-1', 'Renamed on A', 9000, null]]);
  assert.deepEqual(await view(b.vault), await view(a.vault));
});

test('concurrent edits on three devices, with 412s on the way, converge', async () => {
  const dav = new MemoryDav();
  const a = await device('A', dav, new MemoryVault([passkey(1), passkey(2), passkey(3)]));
  const b = await device('B', dav);
  const c = await device('C', dav);
  await a.sync(); await b.sync(); await c.sync();
  await a.vault.rename('cred-1', 'A1'); await b.vault.rename('cred-1', 'B1'); await c.vault.delete('cred-3');
  await b.vault.importPasskeys([passkey(4)]); await c.vault.importPasskeys([passkey(5)]);
  b.vault.sites = ['b.example']; c.vault.sites = ['c.example'];
  await Promise.all([a.sync(), b.sync(), c.sync()]);
  for (let i = 0; i < 2; i++) { await a.sync(); await b.sync(); await c.sync(); }
  const expected = await view(a.vault);
  assert.deepEqual(expected.map((x) => x[0]), ['cred-1', 'cred-2', 'cred-4', 'cred-5']);
  assert.deepEqual(await view(b.vault), expected);
  assert.deepEqual(await view(c.vault), expected);
  assert.deepEqual([a.vault.sites, b.vault.sites, c.vault.sites], Array(3).fill(['b.example', 'c.example']));
  assert.ok(dav.log.some((l) => l.method === 'GET' && l.path.startsWith('r/')), 'some conflict was read back and merged');
});

test('a worker stopped between two PUTs resumes: no duplicate, nothing lost', async () => {
  const dav = new MemoryDav();
  const list = Array.from({ length: 12 }, (_, i) => passkey(i));
  const a = await device('A', dav, new MemoryVault(list));
  await assert.rejects(a.sync({ stopAfterPuts: 5 }), /stopped/);
  assert.equal(dav.records().length, 5);
  await a.sync(); // a new engine from the stored state, as after a restart
  assert.equal(dav.records().length, 12);
  const b = await device('B', dav);
  await b.sync();
  assert.equal((await b.vault.list()).length, 12);
});

test('a PUT that reached the server but not the state is recognized by its tag, not uploaded twice', async () => {
  const dav = new MemoryDav();
  let lose = 3;
  const lossy: SyncDav = {
    get: (p, e) => dav.get(p, e),
    async put(p, body, cond) {
      const res = await dav.put(p, body, cond);
      if (p.startsWith('r/') && --lose === 0) throw new Error('worker stopped before the answer was stored');
      return res;
    },
  };
  const a = await device('A', dav, new MemoryVault([passkey(1), passkey(2), passkey(3), passkey(4)]));
  await assert.rejects(a.sync({ dav: lossy, concurrency: 1 } as never), /worker stopped/);
  const before = dav.log.length;
  await a.sync();
  const puts = dav.log.slice(before).filter((l) => l.method === 'PUT' && l.path.startsWith('r/'));
  assert.equal(puts.length, 2, 'the third record (landed) is adopted after its 412; the fourth is uploaded once');
  assert.equal(dav.records().length, 4);
});

test('a tampered or truncated file is refused and the vault is left as it was', async () => {
  const dav = new MemoryDav();
  const a = await device('A', dav, new MemoryVault([passkey(1)]));
  const b = await device('B', dav, new MemoryVault([passkey(9)]));
  await a.sync();
  const [name] = dav.records();
  const f = dav.files.get(name!)!;
  f.bytes[f.bytes.length - 5]! ^= 0x40;
  await assert.rejects(b.sync(), /failed its integrity check/);
  assert.deepEqual((await b.vault.list()).map((p) => p.credentialId), ['cred-9']);
  f.bytes = f.bytes.subarray(0, 60);
  await assert.rejects(b.sync(), /failed its integrity check/);
  assert.deepEqual((await b.vault.list()).map((p) => p.credentialId), ['cred-9']);
});

test('an older root than one already seen is refused (a server rolling back)', async () => {
  const dav = new MemoryDav();
  const a = await device('A', dav, new MemoryVault([passkey(1)]));
  await a.sync();
  const old = dav.files.get('root')!;
  await a.vault.rename('cred-1', 'new');
  await a.sync();
  dav.files.set('root', { ...old, etag: '"old-again"' });
  await assert.rejects(a.sync(), SyncRollbackError);
  assert.equal((await a.vault.list())[0]!.label, 'new');
});

test('one change in a vault of 500 costs O(1) requests and bytes', async () => {
  const dav = new MemoryDav();
  const a = await device('A', dav, new MemoryVault(Array.from({ length: 500 }, (_, i) => passkey(i))));
  const b = await device('B', dav);
  await a.sync(); await b.sync();
  await a.vault.rename('cred-77', 'just this one');
  let from = dav.log.length;
  await a.sync();
  const up = dav.log.slice(from);
  from = dav.log.length;
  await b.sync();
  const down = dav.log.slice(from);
  assert.ok(up.length <= 4, `upload: ${up.map((l) => `${l.method} ${l.path}`).join(', ')}`);
  assert.ok(down.length <= 3, `download: ${down.map((l) => `${l.method} ${l.path}`).join(', ')}`);
  assert.ok(up.reduce((n, l) => n + l.bytes, 0) < 32_000);
  assert.equal((await b.vault.list()).find((p) => p.credentialId === 'cred-77')?.label, 'just this one');
});

test('clock skew between devices changes nothing but dates: the later edit wins, by Lamport stamps', async () => {
  const dav = new MemoryDav();
  const year = 365 * 24 * 3600 * 1000;
  const a = await device('A', dav, new MemoryVault([passkey(1)]));
  const b = await device('B', dav);
  await a.sync(); await b.sync();
  // B's clock is a year behind: its sign-in date is "older", its rename is still the later edit.
  await a.vault.recordLastUsed([{ credentialId: 'cred-1', at: 10 * year }]);
  await a.vault.rename('cred-1', 'first, on A (clock ahead)');
  await a.sync(); await b.sync();
  await b.vault.recordLastUsed([{ credentialId: 'cred-1', at: 9 * year }]);
  await b.vault.rename('cred-1', 'then, on B (clock behind)');
  await b.sync(); await a.sync();
  for (const v of [a.vault, b.vault]) {
    const [p] = await v.list();
    assert.equal(p!.label, 'then, on B (clock behind)');
    assert.equal(p!.lastUsedAt, 10 * year, 'last used is the latest date seen, whatever the clocks');
  }
});

test('a server that answers PUT with no ETag (Apache): the next write reads the file first, never sends it blind for a 412', async () => {
  const dav = new MemoryDav({ etagOnPut: false });
  const a = await device('A', dav, new MemoryVault([passkey(1), passkey(2)]));
  await a.sync();
  await a.vault.rename('cred-1', 'again');
  const from = dav.log.length;
  await a.sync();
  const run = dav.log.slice(from);
  assert.equal(run.filter((l) => l.status === 412).length, 0, run.map((l) => `${l.method} ${l.path} ${l.status ?? ''}`).join(', '));
  assert.deepEqual(run.map((l) => `${l.method} ${l.path.slice(0, 2)}`), ['GET ro', 'GET r/', 'PUT r/', 'GET b/', 'PUT b/', 'PUT ro']);
});

test('the server lost everything: refused in words, nothing uploaded over it, the vault untouched', async () => {
  const dav = new MemoryDav();
  const a = await device('A', dav, new MemoryVault([passkey(1), passkey(2)]));
  await a.sync();
  dav.files.clear();
  await assert.rejects(a.sync(), SyncDataGoneError);
  assert.equal(dav.files.size, 0);
  assert.equal((await a.vault.list()).length, 2);
});

test('412 after 412 (another device never stops writing the root): a clear message, nothing lost, and later it goes through', async () => {
  const dav = new MemoryDav();
  const a = await device('A', dav, new MemoryVault([passkey(1)]));
  await a.sync();
  await a.vault.rename('cred-1', 'kept');
  const busy: SyncDav = { get: (p, e) => dav.get(p, e), put: async (p, b, c) => (p === 'root' ? { status: 'conflict' } : dav.put(p, b, c)) };
  await assert.rejects(a.sync({ dav: busy, backoffMs: 1 }), /Another device kept changing the sync data at the same time/);
  assert.equal((await a.vault.list())[0]!.label, 'kept');
  await a.sync();
  const b = await device('B', dav);
  await b.sync();
  assert.equal((await b.vault.list())[0]!.label, 'kept');
});
