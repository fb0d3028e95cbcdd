// Where the fixture finds the browsers and the Latchkey it loads.
//
// The extension is Latchkey's *test build* (with its test automation; the release build has none,
// docs/security/automation.md). In the published package it is the copy the package carries in
// extension/chrome and extension/firefox (testing/build.mjs puts it there, so fixture and extension
// always come from the same version and speak the same automation calls). Run from this
// repository's sources (the e2e suites, tsx) it is dist/chrome-testing and dist/firefox-testing,
// which `npm run build` writes.
import { resolve } from 'node:path';

/** Set to true by testing/build.mjs (an esbuild define) in the package's JavaScript; absent in the sources. */
declare const LATCHKEY_PACKAGED: boolean | undefined;
const packaged = typeof LATCHKEY_PACKAGED !== 'undefined' && LATCHKEY_PACKAGED;

/** The unpacked test build of Latchkey for Chromium. */
export const CHROME_DIST = packaged
  ? resolve(import.meta.dirname, '../extension/chrome')
  : resolve(import.meta.dirname, '../dist/chrome-testing');

/** The unpacked test build of Latchkey for Firefox. */
export const FIREFOX_DIST = packaged
  ? resolve(import.meta.dirname, '../extension/firefox')
  : resolve(import.meta.dirname, '../dist/firefox-testing');

/** The browsers: Debian's chromium and firefox-esr unless CHROMIUM_PATH / FIREFOX_PATH say otherwise. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
