// Sync benchmark: the first sync of N passkeys (default 10,000) to a fresh, real Apache httpd
// mod_dav (e2e/lib/webdav.ts), the first sync of a second device from it, then one change (a
// rename) on the first device and the second device picking it up. Wall time, requests, bytes on
// the wire (request and response bodies) and memory. The devices are the real engine and the real
// Vault (fake-indexeddb in Node), talking HTTP to Apache on this machine.
//   node --import tsx bench/sync.bench.ts [N]
import 'fake-indexeddb/auto';
import { p256 } from '@noble/curves/nist.js';
import { performance } from 'node:perf_hooks';
import { toBase64url } from '../src/core/base64url';
import { deriveSyncKeys, randomBytes } from '../src/sync/crypto';
import { SyncEngine } from '../src/sync/engine';
import { SyncStore } from '../src/sync/state';
import { syncVaultOf } from '../src/sync/vaultAdapter';
import { WebDav } from '../src/sync/webdav';
import { Vault, type ExportedPasskey } from '../src/vault/vault';
import { startWebDav } from '../e2e/lib/webdav';
import { f, machine, table, writeResults } from './lib';

const N = Number(process.argv[2] ?? 10_000);
const CHEAP_KDF = { algorithm: 'argon2id', memoryKiB: 64, iterations: 1, parallelism: 1 } as const;

interface Wire { requests: number; sent: number; received: number; byMethod: Record<string, number> }
const newWire = (): Wire => ({ requests: 0, sent: 0, received: 0, byMethod: {} });

async function device(name: string, folderUrl: string, user: string, pw: string, keys: ReturnType<typeof deriveSyncKeys>) {
  const vault = await Vault.open({ dbName: `bench-${name}`, kdf: CHEAP_KDF });
  const vaultKey = await vault.initialize('482759');
  let wire = newWire();
  const dav = new WebDav({
    folderUrl, userName: user, appPassword: pw,
    onRequest: (r) => { wire.requests++; wire.sent += r.sent; wire.received += r.received; wire.byMethod[r.method] = (wire.byMethod[r.method] ?? 0) + 1; },
  });
  const store = await SyncStore.open(`bench-sync-${name}`);
  let sites: string[] = [];
  const sv = syncVaultOf(async () => vault, vaultKey, { get: async () => sites, set: async (s) => { sites = s; } });
  return {
    vault, vaultKey, dav,
    async sync(label: string) {
      wire = newWire();
      global.gc?.();
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = 0;
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 50);
      const t0 = performance.now();
      const outcome = await new SyncEngine({ dav, keys, store, vault: sv, deviceId: name }).run();
      const ms = performance.now() - t0;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().heapUsed);
      return { label, ms, ...wire, outcome, heapPeakMiB: peak / 2 ** 20, heapGrowthMiB: (peak - heapBefore) / 2 ** 20 };
    },
  };
}

function passkeys(n: number): ExportedPasskey[] {
  const out: ExportedPasskey[] = [];
  for (let i = 0; i < n; i++) {
    const sk = p256.utils.randomSecretKey();
    out.push({
      credentialId: toBase64url(randomBytes(16)), rpId: `site${i % 500}.example`, userHandle: toBase64url(randomBytes(16)),
      userName: `person${i}@example.com`, userDisplayName: `Person ${i}`, alg: -7, publicKey: toBase64url(p256.getPublicKey(sk, false)),
      backupEligible: false, backupState: false, signCount: 0, createdAt: Date.now() - i * 1000, lastUsedAt: null, label: null,
      hidden: null, privateKey: toBase64url(sk),
    });
  }
  return out;
}

const server = await startWebDav();
try {
  const folder = new WebDav({ folderUrl: `${server.apacheUrl}bench/`, userName: server.userName, appPassword: server.appPassword });
  await folder.mkcol(); await folder.mkcol('r'); await folder.mkcol('b');
  const keys = deriveSyncKeys(randomBytes(32));
  const a = await device('A', `${server.apacheUrl}bench/`, server.userName, server.appPassword, keys);
  const b = await device('B', `${server.apacheUrl}bench/`, server.userName, server.appPassword, keys);
  console.log(`importing ${N} passkeys into device A's vault…`);
  const list = passkeys(N);
  await a.vault.importPasskeys(a.vaultKey, list);

  const rows = [];
  rows.push(await a.sync(`A: first sync, uploads ${N}`));
  rows.push(await b.sync(`B: first sync, downloads ${N}`));
  rows.push(await a.sync('A: nothing changed'));
  await a.vault.renamePasskey(list[1234 % N]!.credentialId, 'Renamed once');
  rows.push(await a.sync('A: one rename'));
  rows.push(await b.sync('B: picks up the rename'));
  await b.vault.recordLastUsed([{ credentialId: list[42 % N]!.credentialId, at: Date.now() }]);
  rows.push(await b.sync('B: one sign-in'));
  rows.push(await a.sync('A: picks up the sign-in'));
  const renamed = (await b.vault.get(list[1234 % N]!.credentialId))?.label;
  if (renamed !== 'Renamed once') throw new Error('the rename did not arrive');

  const md = table(['run', 'wall s', 'requests', 'by method', 'sent KiB', 'received KiB', 'heap peak MiB', 'records up/down'],
    rows.map((r) => [r.label, f(r.ms / 1000, 2), r.requests, Object.entries(r.byMethod).map(([k, v]) => `${k} ${v}`).join(', '),
      f(r.sent / 1024, 1), f(r.received / 1024, 1), f(r.heapPeakMiB, 0), `${r.outcome.uploaded}/${r.outcome.downloaded}`]));
  const file = writeResults('sync', { n: N, machine: machine(), rows });
  console.log(md);
  console.log(`results: ${file}; files on the server: ${server.files().length}`);
} finally {
  await server.close();
}
