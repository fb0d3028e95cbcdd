// Measurements for docs/DESIGN.md "Performance budgets" (run by hand, not a test; no assertions):
//   node --import tsx bench/vault.bench.ts
// 1. Argon2id with DEFAULT_KDF (unlock is dominated by it; budget ~0.3-0.5 s), median of 5.
// 2. listByRpId with 10,000 passkeys over 1,000 sites in fake-indexeddb (budget < 5 ms).
import 'fake-indexeddb/auto';
import { performance } from 'node:perf_hooks';
import { DEFAULT_KDF, deriveKek } from '../src/vault/kdf.js';
import { Vault } from '../src/vault/vault.js';
import { CHEAP_KDF, randomId, samplePasskey } from '../src/vault/testFixtures.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
const ms = (x: number) => `${x.toFixed(2)} ms`;

// CPU time too: on a shared machine wall time mostly measures the neighbours (hash-wasm is one thread,
// so on an idle machine the two agree).
const kdfRuns: number[] = [];
const kdfCpu: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const c = process.cpuUsage();
  await deriveKek('123456', { ...DEFAULT_KDF, salt: crypto.getRandomValues(new Uint8Array(16)) });
  const used = process.cpuUsage(c);
  kdfRuns.push(performance.now() - t);
  kdfCpu.push((used.user + used.system) / 1000);
}
console.log(`Argon2id m=${DEFAULT_KDF.memoryKiB} KiB t=${DEFAULT_KDF.iterations} p=${DEFAULT_KDF.parallelism}: ` +
  `wall median ${ms(median(kdfRuns))} (${kdfRuns.map((x) => x.toFixed(0)).join(', ')}), ` +
  `CPU median ${ms(median(kdfCpu))} (${kdfCpu.map((x) => x.toFixed(0)).join(', ')})`);

const SITES = 1000;
const PASSKEYS = 10_000;
const vault = await Vault.open({ dbName: 'latchkey-bench', kdf: CHEAP_KDF });
const key = await vault.initialize('123456');
const { passkey: template } = samplePasskey();
const fill = performance.now();
for (let i = 0; i < PASSKEYS; i++) {
  await vault.addPasskey(key, {
    ...template, credentialId: randomId(), userHandle: randomId(32), rpId: `site${i % SITES}.example`,
    userName: `user${i}`, createdAt: 1_700_000_000_000 + i,
  }, crypto.getRandomValues(new Uint8Array(32)));
}
console.log(`addPasskey x${PASSKEYS}: ${ms(performance.now() - fill)} total, ${ms((performance.now() - fill) / PASSKEYS)} each`);

for (let i = 0; i < 50; i++) await vault.listByRpId(`site${i}.example`); // warm-up
const lookups: number[] = [];
for (let i = 0; i < 500; i++) {
  const site = `site${Math.floor(Math.random() * SITES)}.example`;
  const t = performance.now();
  const found = await vault.listByRpId(site);
  lookups.push(performance.now() - t);
  if (found.length !== PASSKEYS / SITES) throw new Error(`expected ${PASSKEYS / SITES} for ${site}, got ${found.length}`);
}
console.log(`listByRpId (${PASSKEYS / SITES} per site, ${lookups.length} lookups): median ${ms(median(lookups))}, p95 ${ms(pct(lookups, 0.95))}`);
const miss = performance.now();
await vault.listByRpId('nobody.example');
console.log(`listByRpId for a site with none: ${ms(performance.now() - miss)}`);
const all = performance.now();
const everything = await vault.listAll();
console.log(`listAll (${everything.length}): ${ms(performance.now() - all)}`);
vault.close();
