// Puts each local stylesheet an extension page links to into the page itself, at build time: a
// ceremony window otherwise fetches two small files before its deferred script may run (a deferred
// script waits for the stylesheets above it), which cost it about 10 ms of its first 150
// (bench/windowfloor.bench.ts). The sources keep their <link>s, so each file stays readable on its
// own. Allowed by the extension pages' CSP (manifest.json): it restricts scripts, not styles.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const LINK = /<link rel="stylesheet" href="([^"]+)">/g;

/** The HTML at `htmlPath` (a file of the source tree) with its stylesheet links replaced by <style>. */
export function inlineStyles(htmlPath) {
  return readFileSync(htmlPath, 'utf8').replace(LINK, (_, href) => {
    if (/^[a-z]+:/i.test(href)) throw new Error(`${htmlPath}: only local stylesheets can be inlined, not ${href}`);
    const css = readFileSync(join(dirname(htmlPath), href), 'utf8');
    if (css.includes('</style')) throw new Error(`${href} cannot be inlined: it contains "</style"`);
    return `<style>\n${css}</style>`;
  });
}
