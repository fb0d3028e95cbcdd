// `npm run package`: the archives people install, from the release build (no test automation):
//   dist/latchkey-chrome-<version>.zip   (Chrome Web Store upload / unpacked install)
//   dist/latchkey-firefox-<version>.xpi  (addons.mozilla.org upload / Firefox ESR unsigned install)
// and the test fixture's package, dist/latchkey-testing-<version>.tgz (testing/build.mjs).
// Reproducible: the same sources give the same bytes (scripts/zipDirectory.mjs; esbuild's output
// is deterministic). The Firefox build is checked with `web-ext lint`: an error fails the package,
// and so does a warning that docs/PACKAGING.md does not explain. See docs/PACKAGING.md.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildExtension, root, version } from './build.mjs';
import { zipDirectory } from './zipDirectory.mjs';

export const archiveName = (browser, v = version()) => `latchkey-${browser}-${v}.${browser === 'firefox' ? 'xpi' : 'zip'}`;

/**
 * Builds the release flavour of both browsers into `workDir` and writes their archives to `outDir`.
 * Returns { chrome, firefox }: each { archive (path), unpacked (the folder it was made from) }.
 */
export async function packageExtensions({ outDir = join(root, 'dist'), workDir = join(root, 'dist') } = {}) {
  mkdirSync(outDir, { recursive: true });
  const out = {};
  for (const browser of ['chrome', 'firefox']) {
    const unpacked = join(workDir, browser);
    await buildExtension({ browser, flavour: 'release', outDir: unpacked, quiet: true });
    const archive = join(outDir, archiveName(browser));
    writeFileSync(archive, zipDirectory(unpacked));
    out[browser] = { archive, unpacked };
  }
  return out;
}

/** `web-ext lint` on an unpacked Firefox build: { errors, warnings, notices }, each [{ code, message, file }]. */
export function lintFirefox(dir) {
  const r = spawnSync(process.execPath, [join(root, 'node_modules/web-ext/bin/web-ext.js'), 'lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  let report;
  try { report = JSON.parse(r.stdout); } catch { throw new Error(`web-ext lint gave no report (exit ${r.status}): ${r.stderr || r.stdout}`); }
  const pick = (list) => list.map(({ code, message, description, file }) => ({ code, message, description, file }));
  return { errors: pick(report.errors), warnings: pick(report.warnings), notices: pick(report.notices) };
}

/** The warning codes docs/PACKAGING.md explains: each `CODE` in the first column of its lint table. */
export function explainedWarnings(markdown = readFileSync(join(root, 'docs/PACKAGING.md'), 'utf8')) {
  return new Set([...markdown.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]));
}

/** What is wrong with a lint report: its errors, and its warnings that are not explained. */
export function lintProblems(report, explained = explainedWarnings()) {
  return [
    ...report.errors.map((e) => `error ${e.code} in ${e.file}: ${e.message}`),
    ...report.warnings.filter((w) => !explained.has(w.code)).map((w) => `warning ${w.code} in ${w.file} (not explained in docs/PACKAGING.md): ${w.message}`),
  ];
}

export const sha256 = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const built = await packageExtensions();
  const report = lintFirefox(built.firefox.unpacked);
  const problems = lintProblems(report);
  console.log(`web-ext lint: ${report.errors.length} errors, ${report.warnings.length} warnings (each explained in docs/PACKAGING.md), ${report.notices.length} notices`);
  if (problems.length) {
    for (const p of problems) console.error(`  ${p}`);
    process.exit(1);
  }
  const { packTesting } = await import('../testing/build.mjs');
  const tmp = mkdtempSync(join(tmpdir(), 'latchkey-package-'));
  let tarball;
  try {
    tarball = await packTesting({ outDir: join(root, 'dist'), workDir: tmp });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const f of [built.chrome.archive, built.firefox.archive, tarball]) console.log(`${f.slice(root.length + 1)}  sha256 ${sha256(f)}`);
}
