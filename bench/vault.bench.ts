// Measurements for docs/DESIGN.md "Performance budgets" (run by hand, not a test; no assertions):
//   node --import tsx bench/vault.bench.ts
// 1. Argon2id with DEFAULT_KDF (unlock is dominated by it; budget ~0.3-0.5 s), median of 5.
//    The same figure as an attacker's cost per guess (docs/security/vault.md): guesses per core-hour
//    and the time to try every 4-, 6- and 8-digit PIN and every 4-word passphrase (7,776-word list).
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

// An attacker with a copy of the profile runs exactly this per guess (one core; the machine's other
// core runs the same in parallel). CPU time is the honest per-core cost on a shared machine.
const perGuess = median(kdfCpu) / 1000;
const perCoreHour = 3600 / perGuess;
const span = (seconds: number) => seconds < 3600 ? `${(seconds / 60).toFixed(0)} min` : seconds < 86_400 * 2 ? `${(seconds / 3600).toFixed(1)} h`
  : seconds < 86_400 * 365 * 2 ? `${(seconds / 86_400).toFixed(0)} days` : `${(seconds / 86_400 / 365).toExponential(1)} years`;
console.log(`per guess: ${perGuess.toFixed(3)} s of one core; ${perCoreHour.toFixed(0)} guesses per core-hour`);
for (const [what, space] of [['4-digit PIN', 1e4], ['6-digit PIN', 1e6], ['8-digit PIN', 1e8], ['4-word passphrase (7,776 words)', 7776 ** 4]] as const) {
  console.log(`  every ${what} (${space.toExponential(2)}): one core ${span(space * perGuess)}, 2 cores ${span(space * perGuess / 2)}, 100 cores ${span(space * perGuess / 100)}`);
}

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
