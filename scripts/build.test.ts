// The build's flavours, checked on what it writes: the release build (what people install and
// `npm run package` zips) holds no test automation, neither the code nor the page; the test build
// holds both. And the version comes from package.json alone, into both browsers' manifests.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildExtension, manifestFor, root, targetsFromArgs } from './build.mjs';

/** Names only the automation code uses: its global, its message type, its storage key, its calls. */
const AUTOMATION_MARKERS = ['latchkeyAutomation', 'automation/call', 'latchkey.automation', 'queueAnswers', 'skipPin', 'automation/automation.html'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}
function markersIn(dir: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const f of files(dir)) {
    const text = readFileSync(f, 'latin1');
    for (const m of AUTOMATION_MARKERS) if (text.includes(m)) found.set(m, [...(found.get(m) ?? []), relative(dir, f)]);
  }
  return found;
}

const tmp = mkdtempSync(join(tmpdir(), 'latchkey-build-test-'));
const out = (name: string) => join(tmp, name);
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('release and test builds', () => {
  before(async () => {
    for (const browser of ['chrome', 'firefox'] as const) {
      for (const flavour of ['release', 'testing'] as const) await buildExtension({ browser, flavour, outDir: out(`${browser}-${flavour}`), quiet: true });
    }
  });

  for (const browser of ['chrome', 'firefox'] as const) {
    test(`${browser} release: no automation code, no automation page`, () => {
      const dir = out(`${browser}-release`);
      assert.deepEqual([...markersIn(dir).entries()], [], 'automation names in the release build');
      assert.ok(!files(dir).some((f) => relative(dir, f).startsWith('automation')), 'no automation/ folder');
      assert.doesNotMatch(readFileSync(join(dir, 'manifest.json'), 'utf8'), /automation/);
    });

    test(`${browser} test build: the automation page and the background's automation are there`, () => {
      const dir = out(`${browser}-testing`);
      const found = markersIn(dir);
      for (const m of AUTOMATION_MARKERS) assert.ok(found.has(m), `${m} in the test build`);
      assert.ok(found.get('latchkeyAutomation')?.includes('bg.js'), 'the service-worker global is installed by bg.js');
      assert.ok(files(dir).some((f) => relative(dir, f) === join('automation', 'automation.html')));
    });

    test(`${browser}: both flavours' manifests carry package.json's version, and are otherwise the same`, () => {
      const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
      assert.match(version, /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/);
      const release = JSON.parse(readFileSync(join(out(`${browser}-release`), 'manifest.json'), 'utf8'));
      const testing = JSON.parse(readFileSync(join(out(`${browser}-testing`), 'manifest.json'), 'utf8'));
      assert.equal(release.version, version);
      assert.deepEqual(testing, release);
      assert.deepEqual(manifestFor(browser), release);
    });
  }

  test('every build carries the words of each language, and its manifest takes its name from them', () => {
    const languages = readdirSync(join(root, '_locales')).sort();
    assert.deepEqual(languages, ['de', 'en', 'fr']);
    for (const browser of ['chrome', 'firefox'] as const) {
      for (const flavour of ['release', 'testing'] as const) {
        const dir = out(`${browser}-${flavour}`);
        for (const lang of languages) {
          assert.equal(readFileSync(join(dir, '_locales', lang, 'messages.json'), 'utf8'), readFileSync(join(root, '_locales', lang, 'messages.json'), 'utf8'), `${browser}-${flavour} ${lang}`);
        }
        const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
        assert.equal(manifest.default_locale, 'en');
        assert.equal(manifest.name, '__MSG_extName__');
      }
    }
  });

  test('the source manifest has no version of its own (package.json is the one place)', () => {
    assert.equal('version' in JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')), false);
  });
});

test('command line: browsers and flavours', () => {
  assert.deepEqual(targetsFromArgs([]), [
    { browser: 'chrome', flavour: 'release' }, { browser: 'chrome', flavour: 'testing' },
    { browser: 'firefox', flavour: 'release' }, { browser: 'firefox', flavour: 'testing' }]);
  assert.deepEqual(targetsFromArgs(['chrome', '--release']), [{ browser: 'chrome', flavour: 'release' }]);
  assert.deepEqual(targetsFromArgs(['--testing']), [{ browser: 'chrome', flavour: 'testing' }, { browser: 'firefox', flavour: 'testing' }]);
  assert.throws(() => targetsFromArgs(['safari']), /unknown browser/);
  assert.throws(() => targetsFromArgs(['--debug']), /unknown option/);
});
