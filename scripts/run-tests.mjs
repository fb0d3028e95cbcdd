// Runs the test files with Node's own test runner (tsx compiles TypeScript on the fly).
//   unit: every *.test.ts that is not an end-to-end suite (src/, popup/, options/, e2e/ helpers)
//   e2e:  every *.e2e.test.ts (real browsers; run after `npm run build`)
//   all:  unit, then e2e
// e2e and all also run examples/playwright as a team's own project (scripts/runExample.mjs).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runExample } from './runExample.mjs';

const mode = process.argv[2] ?? 'all';
const roots = ['src', 'popup', 'options', 'action', 'ui', 'testing', 'e2e', 'scripts'];

function walk(dir, out = []) {
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts') || name.endsWith('.test.tsx')) out.push(p);
  }
  return out;
}

const all = roots.flatMap((r) => walk(r)).sort();
const isE2e = (f) => /\.e2e\.test\.tsx?$/.test(f);
const unit = all.filter((f) => !isE2e(f));
const e2e = all.filter(isE2e);
const files = mode === 'unit' ? unit : mode === 'e2e' ? e2e : [...unit, ...e2e];
if (files.length === 0) { console.error(`no test files for mode ${mode}`); process.exit(1); }

// One process, files run one after another: the browser suites share the two cores of this machine.
// The spec report goes to the terminal; a TAP copy gives the closing "N passed, N failed" line.
const tapDir = mkdtempSync(join(tmpdir(), 'latchkey-tap-'));
const tap = join(tapDir, 'report.tap');
const res = spawnSync(process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...files],
  { stdio: 'inherit', env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' } });
let counts = null;
try {
  const text = readFileSync(tap, 'utf8');
  const n = (k) => Number(new RegExp(`^# ${k} (\\d+)$`, "m").exec(text)?.[1] ?? NaN);
  counts = { passed: n('pass'), failed: n('fail'), skipped: n('skipped') };
} catch { /* no report: the runner itself failed */ }
let status = res.status ?? 1;

// The example of a team's own suite (examples/playwright), run as a team would: outside this
// repository (no access to its node_modules), with the fixture installed from its packed tarball.
if (mode !== 'unit') {
  const ex = await runExample(tapDir);
  if (!ex.ok) status = status || 1;
  if (counts) { counts.passed += ex.passed; counts.failed += ex.failed; counts.skipped += ex.skipped; }
}
rmSync(tapDir, { recursive: true, force: true });
if (counts) console.log(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
process.exit(status);
