// The version is set in package.json only; what else names it must agree (docs/PACKAGING.md):
// CHANGELOG.md's latest release, and the example project's dependency on the packed fixture.
// (The built manifests: scripts/build.test.ts. The fixture's package.json: written by testing/build.mjs.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(import.meta.dirname, '..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');
const version = JSON.parse(read('package.json')).version as string;

test('CHANGELOG.md: an Unreleased section, then the current version as the latest release', () => {
  const headings = [...read('CHANGELOG.md').matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)].map((m) => m[1]);
  assert.equal(headings[0], 'Unreleased');
  assert.equal(headings[1], version, 'the latest release in CHANGELOG.md is package.json\'s version');
});

test('the source manifest and the fixture\'s package.json carry no version of their own', () => {
  assert.equal('version' in JSON.parse(read('manifest.json')), false);
  assert.equal('version' in JSON.parse(read('testing/package.json')), false);
});

test('examples/playwright depends on the tarball `npm run package` writes for this version', () => {
  const example = JSON.parse(read('examples/playwright/package.json'));
  assert.equal(example.devDependencies['@latchkey/testing'], `file:../../dist/latchkey-testing-${version}.tgz`);
});
