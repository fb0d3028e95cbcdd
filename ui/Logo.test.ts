// The mark is drawn in three places: icons/latchkey.svg (the source, also the toolbar icon's origin),
// ui/Logo.tsx (inline in every page, see why there) and the ceremony window's static "Loading…"
// markup (popup/ceremony.html, shown before any script runs). This keeps the copies the same shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

/** The shapes inside the first <svg> of a text, each as its element name and sorted attributes. */
function shapes(text: string): string[] {
  const svg = /<svg\b[\s\S]*?<\/svg>/.exec(text)?.[0];
  assert.ok(svg, 'no <svg> found');
  return [...svg.matchAll(/<(rect|circle|path)\b([^>]*?)\/?>/g)].map(([, name, attrs]) => {
    const pairs = [...attrs!.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => `${k}=${v}`).sort();
    return `${name} ${pairs.join(' ')}`;
  });
}

test('the logo in Logo.tsx and in the ceremony window markup draws icons/latchkey.svg', () => {
  const source = shapes(read('icons/latchkey.svg'));
  assert.equal(source.length, 3);
  assert.deepEqual(shapes(read('ui/Logo.tsx')), source);
  assert.deepEqual(shapes(read('popup/ceremony.html')), source);
});
