// The sync engine against a real Apache httpd with mod_dav (e2e/lib/webdav.ts): conditional PUTs
// with Apache's own ETags (weak ones included), concurrent devices, and the faults, each with
// nothing lost and the message a person reads. The browsers' side is e2e/sync.e2e.test.ts.
import 'fake-indexeddb/auto';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deriveSyncKeys, randomBytes, recordName } from '../src/sync/crypto';
import { SyncEngine } from '../src/sync/engine';
import { SyncStore } from '../src/sync/state';
import { MemoryVault, passkey } from '../src/sync/testDevices';
import { WebDav } from '../src/sync/webdav';
import { startWebDav, type WebDavServer } from './lib/webdav';

let server: WebDavServer;
before(async () => { server = await startWebDav(); });
after(async () => { await server?.close(); });

let n = 0;
async function device(id: string, folder: string, vault = new MemoryVault(), keys = deriveSyncKeys(new Uint8Array(32).fill(1)), appPassword = server.appPassword) {
  const store = await SyncStore.open(`apache-${id}-${++n}`);
  const dav = new WebDav({ folderUrl: `${server.folderUrl}${folder}/`, userName: server.userName, appPassword });
  return { vault, store, dav, sync: () => new SyncEngine({ dav, keys, store, vault, deviceId: id }).run() };
}

async function folder(name: string): Promise<void> {
  const root = new WebDav({ folderUrl: `${server.folderUrl}${name}/`, userName: server.userName, appPassword: server.appPassword });
  await root.mkcol(); await root.mkcol('r'); await root.mkcol('b');
}

const labels = async (v: MemoryVault) => (await v.list()).map((p) => `${p.credentialId}:${p.label ?? ''}:${p.lastUsedAt ?? ''}`).sort();

describe('sync engine on Apache mod_dav', { timeout: 120_000 }, () => {
  test('two devices: first sync, then renames, sign-ins, deletes and concurrent edits converge', async () => {
    await folder('converge');
    const a = await device('A', 'converge', new MemoryVault([passkey(1), passkey(2), passkey(3)]));
    const b = await device('B', 'converge');
    await a.sync(); await b.sync();
    assert.deepEqual(await labels(b.vault), await labels(a.vault));
    // Right away (Apache's ETags are weak for a second after a write): both edit, both sync at once.
    await a.vault.rename('cred-1', 'on A');
    await b.vault.recordLastUsed([{ credentialId: 'cred-1', at: 777 }]);
    await b.vault.delete('cred-3');
    await a.vault.importPasskeys([passkey(4)]);
    await Promise.all([a.sync(), b.sync()]);
    await a.sync(); await b.sync();
    const want = ['cred-1:on A:777', 'cred-2::', 'cred-4::'];
    assert.deepEqual(await labels(a.vault), want);
    assert.deepEqual(await labels(b.vault), want);
    assert.ok(server.requests.some((r) => r.method === 'PUT' && r.status === 412), 'Apache answered 412 to a blind write at least once');
  });

  test('401, 403, 507 and a server that is down: a clear message, nothing lost, and the next sync catches up', async () => {
    await folder('faults');
    const a = await device('A', 'faults', new MemoryVault([passkey(1)]));
    await a.sync();
    await a.vault.rename('cred-1', 'offline edit');
    const wrong = await device('A2', 'faults', a.vault, undefined, 'not-the-password');
    await assert.rejects(wrong.sync(), /did not accept the user name or app password \(401\)/);
    for (const [answer, words] of [[403, /does not allow Latchkey/], [507, /is full \(507/], ['down', /could not be reached/]] as const) {
      server.setFault({ answer, methods: answer === 'down' ? undefined : ['PUT'] });
      try {
        await assert.rejects(a.sync(), words);
      } finally { server.setFault(null); }
      assert.equal((await a.vault.list())[0]!.label, 'offline edit', 'the local edit is kept');
    }
    await a.sync();
    const b = await device('B', 'faults');
    await b.sync();
    assert.equal((await b.vault.list())[0]!.label, 'offline edit', 'caught up once the server was back');
  });

  test('a tampered, a truncated, a swapped file: refused, nothing of the vault lost, and it heals once the file is good', async () => {
    await folder('tamper');
    const a = await device('A', 'tamper', new MemoryVault([passkey(1), passkey(2)]));
    await a.sync();
    const records = server.files().filter((f) => f.startsWith('tamper/r/'));
    const [first, second] = records.map((f) => join(server.root, f));
    const original = readFileSync(first!);
    const b = await device('B', 'tamper', new MemoryVault([passkey(9)]));
    const damaged = Buffer.from(original); damaged[damaged.length - 3]! ^= 1;
    writeFileSync(first!, damaged);
    await assert.rejects(b.sync(), /failed its integrity check/);
    writeFileSync(first!, original.subarray(0, 500));
    await assert.rejects(b.sync(), /failed its integrity check/);
    writeFileSync(first!, readFileSync(second!)); // another record's (valid) file under this name
    await assert.rejects(b.sync(), /failed its integrity check/);
    // The damaged file's passkey never arrived; the rest of the folder may (each file stands alone); B's own stays.
    const damagedId = ['cred-1', 'cred-2'].find((id) => first!.endsWith(recordName(deriveSyncKeys(new Uint8Array(32).fill(1)), 'passkey', id)))!;
    const ids = (await b.vault.list()).map((p) => p.credentialId);
    assert.ok(ids.includes('cred-9') && !ids.includes(damagedId), ids.join());
    writeFileSync(first!, original);
    await b.sync();
    assert.deepEqual((await b.vault.list()).map((p) => p.credentialId).sort(), ['cred-1', 'cred-2', 'cred-9']);
  });

  test('another root key (wrong pairing) cannot read the folder', async () => {
    await folder('otherkey');
    const a = await device('A', 'otherkey', new MemoryVault([passkey(1)]));
    await a.sync();
    const c = await device('C', 'otherkey', new MemoryVault(), deriveSyncKeys(randomBytes(32)));
    await assert.rejects(c.sync(), /failed its integrity check/);
    assert.equal((await c.vault.list()).length, 0);
  });
});
