// Moving 10,000 passkeys (run by hand, not a test; no assertions):
//   node --import tsx bench/exchange.bench.ts
// For each format: the file's size, writing it, reading it back (every key checked), the preview
// against a vault that holds them all already, and Vault.importPasskeys into an empty vault
// (fake-indexeddb). Argon2id at Latchkey's defaults (64 MiB, t=3) for the encrypted ones.
import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import { readImport, writeExport } from '../src/exchange/files.js';
import { previewImport } from '../src/exchange/preview.js';
import { openVault, passkey } from '../src/exchange/testFixtures.js';
import type { ExchangeFormat } from '../src/exchange/types.js';

const N = Number(process.env.N ?? 10_000);
const PASS = 'bench passphrase';
const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

const { vault, key } = await openVault('bench-from');
const seed = Array.from({ length: N }, (_, i) => passkey({ rpId: `site${i % 1000}.example`, alg: i % 2 ? -8 : -7, userName: `user${i}` }));
const t0 = performance.now();
await vault.importPasskeys(key, seed.map(({ passkey: p, privateKey }) => ({
  ...p, signCount: 0, lastUsedAt: null, label: null, privateKey: Buffer.from(privateKey).toString('base64url'),
})));
console.log(`seeded ${N} passkeys (half ES256, half EdDSA) in ${ms(t0)}`);
const items = await vault.exportPasskeys(key);

for (const format of ['cxf', 'kdbx', 'bitwarden', 'latchkey'] as ExchangeFormat[]) {
  let t = performance.now();
  const file = await writeExport(format, items, { passphrase: PASS });
  const write = ms(t);
  t = performance.now();
  let ticks = 0;
  const read = await readImport(format, file.bytes, PASS, { onProgress: () => { ticks++; } });
  const readTime = ms(t);
  t = performance.now();
  const p = previewImport(read, await vault.listAll());
  const preview = ms(t);
  const to = await openVault(`bench-to-${format}`);
  t = performance.now();
  const r = await to.vault.importPasskeys(to.key, read.items);
  const importTime = ms(t);
  console.log(`${format}: ${(file.bytes.length / 1024 / 1024).toFixed(1)} MB, ${file.count} passkeys (${file.excluded.length} left out); ` +
    `write ${write}; read and check ${readTime} (${ticks} progress reports); preview ${preview} (${p.unchanged} already there); ` +
    `import ${importTime} (${r.added.length} added)`);
  to.vault.close();
}
