import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error: a plain .mjs script without types
import { checkLockfile, judge, parseAllowlist } from './audit.mjs';
import { readFileSync } from 'node:fs';

// The shape of `npm audit --json` (auditReportVersion 2): advisories sit in `via` objects at the
// package they are in; packages that only depend on one list its name as a string.
const report = {
  auditReportVersion: 2,
  vulnerabilities: {
    'left-pad': { name: 'left-pad', severity: 'critical', via: [{ source: 1001, name: 'left-pad', title: 'Prototype pollution', url: 'https://github.com/advisories/GHSA-aaaa-bbbb-cccc', severity: 'critical' }] },
    'uses-left-pad': { name: 'uses-left-pad', severity: 'critical', via: ['left-pad'] },
    'slow-regex': { name: 'slow-regex', severity: 'high', via: [{ source: 1002, name: 'slow-regex', title: 'ReDoS', url: 'https://github.com/advisories/GHSA-dddd-eeee-ffff', severity: 'high' }] },
    'minor': { name: 'minor', severity: 'moderate', via: [{ source: 1003, name: 'minor', title: 'x', url: 'https://github.com/advisories/GHSA-gggg-hhhh-iiii', severity: 'moderate' }] },
  },
  metadata: {},
};

test('high and critical advisories fail unless allowed with a reason; moderate ones do not', () => {
  const r = judge(report, []);
  assert.deepEqual(r.blocking.map((b: { package: string; advisory: string }) => `${b.package} ${b.advisory}`).sort(), ['left-pad GHSA-AAAA-BBBB-CCCC', 'slow-regex GHSA-DDDD-EEEE-FFFF']);
  const allow = parseAllowlist({ allow: [{ advisory: 'GHSA-dddd-eeee-ffff', package: 'slow-regex', reason: 'dev-only, never given page input' }, { advisory: 'GHSA-zzzz-zzzz-zzzz', package: 'gone', reason: 'fixed upstream' }] });
  const r2 = judge(report, allow);
  assert.deepEqual(r2.blocking.map((b: { package: string }) => b.package), ['left-pad']);
  assert.deepEqual(r2.allowed.map((b: { reason: string }) => b.reason), ['dev-only, never given page input']);
  assert.deepEqual(r2.stale.map((e: { package: string }) => e.package), ['gone']);
});

test('an allow-list entry needs an advisory, a package and a reason', () => {
  assert.throws(() => parseAllowlist({ allow: [{ advisory: 'GHSA-dddd-eeee-ffff', package: 'slow-regex' }] }), /reason/);
  assert.throws(() => parseAllowlist({ allow: [{ advisory: 'GHSA-dddd-eeee-ffff', package: 'slow-regex', reason: '  ' }] }), /reason/);
  assert.throws(() => parseAllowlist({}), /allow/);
  assert.deepEqual(parseAllowlist(JSON.parse(readFileSync(new URL('../audit-allowlist.json', import.meta.url), 'utf8'))).length >= 0, true);
});

test('an audit service that cannot be reached is reported as not checked, never as clean', () => {
  assert.ok(judge({ statusCode: 405, message: '405 Method Not Allowed', error: { summary: '' } }, []).unavailable);
  assert.ok(judge({}, []).unavailable);
});

test("the project's lockfile pins every package by a sha512 hash; a git or http source is refused", () => {
  assert.deepEqual(checkLockfile(JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'))), []);
  const bad = checkLockfile({ lockfileVersion: 3, packages: { '': {}, 'node_modules/a': { version: '1.0.0', resolved: 'git+ssh://x', integrity: 'sha512-x' }, 'node_modules/b': { version: '1.0.0' } } });
  assert.equal(bad.length, 2);
  assert.deepEqual(checkLockfile({ lockfileVersion: 1, dependencies: {} }).length, 1);
});
