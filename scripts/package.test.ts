// `npm run package`'s archives are reproducible: built twice from the same sources (the second time
// in another process, in another time zone) they are the same bytes; their entries are in one fixed
// order with one fixed date. And the lint gate: an unexplained warning fails the package.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { unzipSync } from 'fflate';
import { version } from './build.mjs';
import { archiveName, explainedWarnings, lintProblems, packageExtensions, sha256 } from './package.mjs';
import { listFiles } from './zipDirectory.mjs';

const tmp = mkdtempSync(join(tmpdir(), 'latchkey-package-test-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The central directory's (name, DOS time, DOS date) for each entry, in the archive's order. */
function centralDirectory(zip: Uint8Array): { name: string; time: number; date: number }[] {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let eocd = zip.length - 22;
  while (v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = v.getUint16(eocd + 10, true);
  let p = v.getUint32(eocd + 16, true);
  const out = [];
  for (let i = 0; i < count; i++) {
    assert.equal(v.getUint32(p, true), 0x02014b50);
    const nameLen = v.getUint16(p + 28, true), extraLen = v.getUint16(p + 30, true), commentLen = v.getUint16(p + 32, true);
    out.push({ name: new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen)), time: v.getUint16(p + 12, true), date: v.getUint16(p + 14, true) });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

describe('npm run package', { timeout: 120_000 }, () => {
  test('twice from the same sources, in another process and time zone: the same bytes', async () => {
    const a = await packageExtensions({ outDir: join(tmp, 'a'), workDir: join(tmp, 'a') });
    const b = join(tmp, 'b');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e',
      `const { packageExtensions } = await import(${JSON.stringify(new URL('./package.mjs', import.meta.url).href)});
       await packageExtensions({ outDir: ${JSON.stringify(b)}, workDir: ${JSON.stringify(b)} });`],
    { encoding: 'utf8', env: { ...process.env, TZ: 'Pacific/Kiritimati' } });
    assert.equal(child.status, 0, child.stderr);
    for (const browser of ['chrome', 'firefox'] as const) {
      assert.equal(a[browser].archive, join(tmp, 'a', archiveName(browser)));
      assert.match(archiveName(browser), new RegExp(`^latchkey-${browser}-${version().replace(/\./g, '\\.')}\\.${browser === 'chrome' ? 'zip' : 'xpi'}$`));
      assert.equal(sha256(join(b, archiveName(browser))), sha256(a[browser].archive), `${browser} archive differs between builds`);
    }
  });

  test('each archive holds exactly its build, sorted, every entry dated 1980-01-01 00:00', () => {
    for (const browser of ['chrome', 'firefox'] as const) {
      const zip = new Uint8Array(readFileSync(join(tmp, 'a', archiveName(browser))));
      const entries = centralDirectory(zip);
      const names = entries.map((e) => e.name);
      assert.deepEqual(names, [...names].sort());
      assert.deepEqual(names, listFiles(join(tmp, 'a', browser)));
      assert.ok(names.includes('manifest.json') && names.includes('bg.js'));
      for (const lang of ['en', 'de', 'fr']) assert.ok(names.includes(`_locales/${lang}/messages.json`), `${lang} messages in the ${browser} archive`);
      assert.ok(!names.some((n) => n.startsWith('automation/')), 'the release build has no automation page');
      for (const e of entries) assert.deepEqual([e.date, e.time], [(0 << 9) | (1 << 5) | 1, 0], e.name);
      const manifest = JSON.parse(new TextDecoder().decode(unzipSync(zip)['manifest.json']));
      assert.equal(manifest.version, version());
    }
  });
});

describe('the lint gate', () => {
  const report = (codes: string[], errors: string[] = []) => ({
    errors: errors.map((code) => ({ code, message: 'm', file: 'f' })),
    warnings: codes.map((code) => ({ code, message: 'm', file: 'f' })),
    notices: [],
  });
  test('errors always fail; warnings only when docs/PACKAGING.md does not explain them', () => {
    const explained = new Set(['DANGEROUS_EVAL']);
    assert.deepEqual(lintProblems(report(['DANGEROUS_EVAL']), explained), []);
    assert.equal(lintProblems(report(['DANGEROUS_EVAL', 'NEW_ONE']), explained).length, 1);
    assert.match(lintProblems(report([], ['JSON_INVALID']), explained)[0] ?? '', /^error JSON_INVALID/);
  });
  test('the explained codes are read from the first column of docs/PACKAGING.md\'s table', () => {
    assert.deepEqual([...explainedWarnings('| code | why |\n|---|---|\n| `A_B` | x |\n| not code | y |\ntext `C_D`\n')], ['A_B']);
    assert.ok(explainedWarnings().size > 0, 'docs/PACKAGING.md explains the warnings it lists');
  });
});

test('no Latchkey source assigns innerHTML or uses dangerouslySetInnerHTML (docs/PACKAGING.md, UNSAFE_VAR_ASSIGNMENT)', () => {
  const root = join(import.meta.dirname, '..');
  const offenders: string[] = [];
  for (const dir of ['src', 'popup', 'options', 'action', 'autofill', 'automation', 'ui']) {
    for (const f of listFiles(join(root, dir))) {
      if (!/\.(ts|tsx|cjs|mjs|js)$/.test(f) || /\.test\.tsx?$/.test(f)) continue;
      const text = readFileSync(join(root, dir, f), 'utf8');
      if (/dangerouslySetInnerHTML|\b(inner|outer)HTML\s*=|insertAdjacentHTML/.test(text)) offenders.push(`${dir}/${f}`);
    }
  }
  assert.deepEqual(offenders, []);
});
