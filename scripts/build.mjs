// Builds the unpacked extension for each browser: dist/chrome/ and dist/firefox/.
// One source manifest (manifest.json); each browser gets the keys it understands:
//   Chrome: background.service_worker, no browser_specific_settings.
//   Firefox: background.scripts (an event page), browser_specific_settings.gecko.
// Usage: node scripts/build.mjs [chrome|firefox]...   (default: both)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inlineStyles } from './inlineStyles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const BROWSERS = ['chrome', 'firefox'];
const wanted = process.argv.slice(2);
for (const b of wanted) if (!BROWSERS.includes(b)) throw new Error(`unknown browser "${b}"; expected one of ${BROWSERS.join(', ')}`);
const targets = wanted.length ? wanted : BROWSERS;

/** Entry points: output name -> source file. */
const entries = {
  'bg': 'src/background/index.ts',
  'main-world': 'src/content/main-world.ts',
  'bridge': 'src/content/bridge.ts',
  'popup/ceremony': 'popup/index.tsx',
  'automation/automation': 'automation/index.ts',
  'options/options': 'options/index.tsx',
  'action/action': 'action/index.tsx',
  'autofill-offer': 'src/content/autofill.ts',
  'autofill/autofill': 'autofill/index.ts',
};
/** Static files copied as they are (HTML with its stylesheets inlined: inlineStyles.mjs): destination -> source. */
const statics = {
  'popup/ceremony.html': 'popup/ceremony.html',
  'automation/automation.html': 'automation/automation.html',
  'options/options.html': 'options/options.html',
  'action/action.html': 'action/action.html',
  'autofill/autofill.html': 'autofill/autofill.html',
};

function manifestFor(browser) {
  const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  m.version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
  if (browser === 'chrome') {
    m.background = { service_worker: m.background.service_worker };
    delete m.browser_specific_settings;
  } else {
    m.background = { scripts: m.background.scripts };
    delete m.minimum_chrome_version;
    // Firefox already gives each installation its own random moz-extension:// origin, so a page
    // cannot guess Latchkey's resources there; it does not know use_dynamic_url.
    for (const r of m.web_accessible_resources ?? []) delete r.use_dynamic_url;
  }
  return m;
}

for (const browser of targets) {
  // Built beside dist/<browser> and swapped in at the end: a failed build leaves the last good one.
  const final = join(root, 'dist', browser);
  const out = `${final}.building`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v])),
    outdir: out,
    bundle: true,
    format: 'iife',
    target: ['chrome129', 'firefox128'],
    minify: true,
    legalComments: 'none',
    metafile: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { 'process.env.BROWSER': JSON.stringify(browser), 'process.env.NODE_ENV': '"production"' },
    // kdbxweb's UMD wrapper requires Node's crypto, which it never uses beside WebCrypto (src/exchange/noNodeCrypto.cjs).
    alias: { crypto: './src/exchange/noNodeCrypto.cjs' },
    logLevel: 'warning',
  });
  for (const [dest, src] of Object.entries(statics)) {
    mkdirSync(dirname(join(out, dest)), { recursive: true });
    if (src.endsWith('.html')) writeFileSync(join(out, dest), inlineStyles(join(root, src)));
    else copyFileSync(join(root, src), join(out, dest));
  }
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifestFor(browser), null, 2) + '\n');
  rmSync(final, { recursive: true, force: true });
  renameSync(out, final);
  const sizes = Object.entries(result.metafile.outputs)
    .filter(([f]) => f.endsWith('.js'))
    .map(([f, o]) => `${f.replace(`dist/${browser}.building/`, '')} ${(o.bytes / 1024).toFixed(1)} KiB`);
  console.log(`built dist/${browser}: ${sizes.join(', ')}`);
}
