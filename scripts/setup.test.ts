// scripts/setup.mjs's decisions: from what a machine has to what `npm start` / `npm test` run first.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BROWSERS, TEST_PACKAGES } from './debianPackages.mjs';
import { npmState, planSetup, type SetupFacts } from './setup.mjs';

const browsers = (exists: Record<string, boolean> = {}, env: Record<string, string> = {}) =>
  BROWSERS.map((b) => ({ ...b, fromEnv: b.env in env, path: env[b.env] ?? b.path, exists: exists[b.package] ?? true }));

/** A machine with everything in place; each test changes one thing. */
function facts(o: Partial<SetupFacts> = {}): SetupFacts {
  return {
    purpose: 'test', isRoot: true, hasApt: true, npm: { ok: true }, nodeModulesIsLink: false,
    browsers: browsers(), installedDebs: new Set(TEST_PACKAGES), ...o,
  };
}
const commands = (f: SetupFacts) => planSetup(f).steps.map((s) => s.command.join(' '));

describe('planSetup', () => {
  test('everything in place: nothing to run, nothing to say (the second run)', () => {
    assert.deepEqual(planSetup(facts()), { steps: [], problems: [] });
    assert.deepEqual(planSetup(facts({ purpose: 'start' })), { steps: [], problems: [] });
  });

  test('a fresh clone: npm ci, with no browser download', () => {
    const plan = planSetup(facts({ npm: { ok: false, reason: 'node_modules is missing' } }));
    assert.deepEqual(plan.steps.map((s) => s.command), [['npm', 'ci', '--no-audit', '--no-fund']]);
    assert.equal(plan.steps[0]?.env?.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD, '1');
  });

  test('node_modules that links to a shared install is never run through npm ci (it deletes first)', () => {
    const plan = planSetup(facts({ npm: { ok: false, reason: 'stale' }, nodeModulesIsLink: true }));
    assert.deepEqual(plan.steps, []);
    assert.match(plan.problems[0] ?? '', /link to a shared install/);
  });

  test('missing browsers as root: apt-get update, then install them', () => {
    assert.deepEqual(commands(facts({ browsers: browsers({ chromium: false, 'firefox-esr': false }) })), [
      'apt-get update', 'apt-get install -y chromium firefox-esr']);
  });

  test('npm start needs Chromium only, and none of the test packages', () => {
    const f = facts({ purpose: 'start', browsers: browsers({ chromium: false, 'firefox-esr': false }), installedDebs: new Set() });
    assert.deepEqual(commands(f), ['apt-get update', 'apt-get install -y chromium']);
  });

  test('npm test installs the missing test packages with the browsers, in one apt-get', () => {
    const f = facts({ browsers: browsers({ 'firefox-esr': false }), installedDebs: new Set(['apache2']) });
    const missing = TEST_PACKAGES.filter((p) => p !== 'apache2');
    assert.deepEqual(commands(f), ['apt-get update', `apt-get install -y firefox-esr ${missing.join(' ')}`]);
    assert.ok(TEST_PACKAGES.includes('python3-fido2') && TEST_PACKAGES.includes('ruby-webauthn') && TEST_PACKAGES.includes('keepassxc'));
  });

  test('not root: nothing runs; the exact command is given', () => {
    const plan = planSetup(facts({ isRoot: false, browsers: browsers({ chromium: false }) }));
    assert.deepEqual(plan.steps, []);
    assert.equal(plan.problems.length, 1);
    assert.match(plan.problems[0] ?? '', /sudo apt-get update && sudo apt-get install -y chromium$/);
  });

  test('CHROMIUM_PATH / FIREFOX_PATH are respected: no Debian package instead, a clear error when wrong', () => {
    const ok = facts({ browsers: browsers({}, { CHROMIUM_PATH: '/opt/chrome/chrome' }) });
    assert.deepEqual(planSetup(ok), { steps: [], problems: [] });
    const wrong = planSetup(facts({ browsers: browsers({ chromium: false }, { CHROMIUM_PATH: '/opt/nothing' }) }));
    assert.deepEqual(wrong.steps, []);
    assert.match(wrong.problems[0] ?? '', /CHROMIUM_PATH=\/opt\/nothing is not an executable file/);
  });

  test('no apt-get (not Debian): say what is missing, run nothing', () => {
    const plan = planSetup(facts({ hasApt: false, installedDebs: null }));
    assert.deepEqual(plan.steps, []);
    assert.match(plan.problems.join('\n'), /cannot ask dpkg/);
  });
});

describe('npmState', () => {
  const lock = { packages: { '': { version: '0.1.0' }, 'node_modules/a': { version: '1.0.0' }, 'node_modules/b': { version: '2.0.0', optional: true } } };
  test('no node_modules, or no record of an install: npm ci', () => {
    assert.equal(npmState({ nodeModules: { exists: false }, lockMtimeMs: 1, record: null }).ok, false);
    assert.equal(npmState({ nodeModules: { exists: true }, lockMtimeMs: 1, record: null }).ok, false);
  });
  test('a record newer than the lockfile: in place, without reading either file', () => {
    const record = { mtimeMs: 2, get lock(): never { throw new Error('read'); }, get installed(): never { throw new Error('read'); } };
    assert.deepEqual(npmState({ nodeModules: { exists: true }, lockMtimeMs: 1, record }), { ok: true });
  });
  test('an older record that matches (a checkout touched the lockfile): in place', () => {
    const installed = { packages: { 'node_modules/a': { version: '1.0.0' } } }; // b is optional: may be missing
    assert.deepEqual(npmState({ nodeModules: { exists: true }, lockMtimeMs: 2, record: { mtimeMs: 1, lock, installed } }), { ok: true });
  });
  test('an older record that differs: npm ci, saying why', () => {
    const old = { packages: { 'node_modules/a': { version: '0.9.0' } } };
    const r = npmState({ nodeModules: { exists: true }, lockMtimeMs: 2, record: { mtimeMs: 1, lock, installed: old } });
    assert.deepEqual(r, { ok: false, reason: 'package-lock.json is newer than node_modules (node_modules/a 0.9.0, wanted 1.0.0)' });
    const missing = npmState({ nodeModules: { exists: true }, lockMtimeMs: 2, record: { mtimeMs: 1, lock, installed: { packages: {} } } });
    assert.equal(missing.ok, false);
    const wrongOptional = { packages: { 'node_modules/a': { version: '1.0.0' }, 'node_modules/b': { version: '1.0.0' } } };
    assert.equal(npmState({ nodeModules: { exists: true }, lockMtimeMs: 2, record: { mtimeMs: 1, lock, installed: wrongOptional } }).ok, false);
  });
});
