// The libraries behind load.cjs stay lazy only if nothing in the extension imports them directly
// (one static import anywhere in a bundle makes the bundler evaluate them at load again), and the
// extension API stays cheap only if nothing default-imports webextension-polyfill (src/browser.cjs
// says why). Tests may import anything.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cbor, curves, publicSuffix } from './load.cjs';

const root = new URL('../..', import.meta.url).pathname;
const SOURCE_DIRS = ['src', 'popup', 'options', 'action', 'automation', 'autofill', 'ui'];

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(ts|tsx|cjs|js)$/.test(name) && !/\.test\.tsx?$/.test(name) && !name.endsWith('.d.cts')) out.push(p);
  }
  return out;
}

test('no extension module imports tldts, cbor-x or @noble/curves except through load.cjs', () => {
  const offenders: string[] = [];
  for (const file of SOURCE_DIRS.flatMap((d) => sources(join(root, d)))) {
    const rel = relative(root, file);
    if (rel.startsWith('src/lazy/')) continue;
    const text = readFileSync(file, 'utf8');
    // `import type` is erased at build; anything else evaluates the package.
    for (const m of text.matchAll(/^import (?!type )[^;]*? from '(tldts|cbor-x|@noble\/curves[^']*)';/gm)) offenders.push(`${rel}: ${m[1]}`);
    for (const m of text.matchAll(/require\('(tldts|cbor-x|@noble\/curves[^']*)'\)/g)) offenders.push(`${rel}: require ${m[1]}`);
  }
  assert.deepEqual(offenders, []);
});

test('no extension module default-imports webextension-polyfill (src/browser.cjs instead)', () => {
  const offenders = SOURCE_DIRS.flatMap((d) => sources(join(root, d)))
    .filter((file) => /^import (?!type )\w+ from 'webextension-polyfill';/m.test(readFileSync(file, 'utf8')))
    .map((file) => relative(root, file));
  assert.deepEqual(offenders, []);
});

test('load.cjs gives the libraries themselves, the same object each time', () => {
  assert.equal(curves(), curves());
  const pair = curves().p256.keygen();
  assert.equal(curves().p256.getPublicKey(pair.secretKey, false).length, 65);
  assert.equal(curves().ed25519.getPublicKey(curves().ed25519.utils.randomSecretKey()).length, 32);
  assert.equal(publicSuffix().parse('a.b.example.co.uk').domain, 'example.co.uk');
  const enc = new (cbor().Encoder)({ useRecords: false, mapsAsObjects: false });
  assert.deepEqual([...enc.encode(new Map([[1, 2]]))], [0xa1, 0x01, 0x02]);
});
