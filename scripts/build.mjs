// Builds the unpacked extension, for each browser in two flavours:
//   release: dist/chrome/ and dist/firefox/ (CONTRACT.md), what people install and what
//            `npm run package` zips. No test automation in it (docs/security/automation.md).
//   testing: dist/chrome-testing/ and dist/firefox-testing/, the same plus Latchkey's test
//            automation (src/background/automation.ts and the automation/ page), which approves
//            ceremonies with no window. The e2e suites and the test fixture (testing/) load these.
// One source manifest (manifest.json); each browser gets the keys it understands:
//   Chrome: background.service_worker, no browser_specific_settings.
//   Firefox: background.scripts (an event page), browser_specific_settings.gecko.
// The version comes from package.json only (the one place it is bumped).
// Usage: node scripts/build.mjs [chrome|firefox]... [--release | --testing]   (default: both, both)
import { build } from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inlineStyles } from './inlineStyles.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BROWSERS = ['chrome', 'firefox'];
export const FLAVOURS = ['release', 'testing'];

/** Entry points: output name -> source file. */
const entries = {
  'bg': 'src/background/index.ts',
  'main-world': 'src/content/main-world.ts',
  'bridge': 'src/content/bridge.ts',
  'popup/ceremony': 'popup/index.tsx',
  'options/options': 'options/index.tsx',
  'action/action': 'action/index.tsx',
  'autofill-offer': 'src/content/autofill.ts',
  'autofill/autofill': 'autofill/index.ts',
  'upgrade-notice': 'src/content/upgradeNotice.ts',
  'notice/notice': 'notice/index.ts',
};
/** Static files copied as they are (HTML with its stylesheets inlined: inlineStyles.mjs): destination -> source. */
const statics = {
  'popup/ceremony.html': 'popup/ceremony.html',
  'options/options.html': 'options/options.html',
  'action/action.html': 'action/action.html',
  'autofill/autofill.html': 'autofill/autofill.html',
  'notice/notice.html': 'notice/notice.html',
};
/** What only the testing flavour has: the automation page (not web accessible, not in the manifest). */
const testingEntries = { 'automation/automation': 'automation/index.ts' };
const testingStatics = { 'automation/automation.html': 'automation/automation.html' };

/** The folder a build goes to: dist/chrome, dist/firefox-testing, ... */
export function distDir(browser, flavour) {
  return join(root, 'dist', flavour === 'release' ? browser : `${browser}-testing`);
}

/** The version, from package.json: the only place it is written by hand. */
export function version() {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
}

export function manifestFor(browser) {
  const m = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  // Key order as in the source manifest, with the version after the name (where people look).
  const { manifest_version, name, ...rest } = m;
  const out = { manifest_version, name, version: version(), ...rest };
  if (browser === 'chrome') {
    out.background = { service_worker: m.background.service_worker };
    delete out.browser_specific_settings;
  } else {
    out.background = { scripts: m.background.scripts };
    delete out.minimum_chrome_version;
    // Chrome's webAuthenticationProxy (src/background/proxy.ts) does not exist in Firefox.
    out.permissions = out.permissions.filter((p) => p !== 'webAuthenticationProxy');
    // Firefox already gives each installation its own random moz-extension:// origin, so a page
    // cannot guess Latchkey's resources there; it does not know use_dynamic_url.
    for (const r of out.web_accessible_resources ?? []) delete r.use_dynamic_url;
  }
  return out;
}

/**
 * In release builds, `./automation` (from src/background/) resolves to automation.release.ts: the
 * same exports, none of which can turn automation on. So bg.js holds no automation code at all
 * (not merely code that is switched off), which scripts/build.test.ts checks on the output.
 */
const releaseAutomation = {
  name: 'latchkey-release-automation',
  setup(b) {
    const real = join(root, 'src/background/automation.ts');
    const stub = join(root, 'src/background/automation.release.ts');
    b.onResolve({ filter: /\/automation(\.ts)?$/ }, (args) => {
      const target = join(args.resolveDir, args.path.replace(/\.ts$/, '') + '.ts');
      return target === real ? { path: stub } : undefined;
    });
  },
};

/**
 * kdbxweb's prebuilt bundle carries webpack's "find the global object" runtime, which falls back to
 * `new Function('return this')()`: eval by another name (web-ext lint: DANGEROUS_EVAL). It is never
 * reached (globalThis is checked first, and the CSP would refuse it), so the build takes it out
 * rather than shipping it; the build fails if kdbxweb's text changes and the pattern is gone.
 */
const kdbxwebWithoutEval = {
  name: 'latchkey-kdbxweb-without-eval',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]kdbxweb[\\/]dist[\\/]kdbxweb\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      const evalFallback = "return this || new Function('return this')();";
      if (!text.includes(evalFallback)) throw new Error(`${args.path}: webpack's global fallback changed; check it for eval again`);
      return { contents: text.replace(evalFallback, 'return this;'), loader: 'js' };
    });
  },
};

/**
 * Builds one browser in one flavour into `outDir` (default: distDir), replacing what was there only
 * when the build succeeded. Returns the output files' sizes.
 */
export async function buildExtension({ browser, flavour, outDir = distDir(browser, flavour), quiet = false }) {
  if (!BROWSERS.includes(browser)) throw new Error(`unknown browser "${browser}"; expected one of ${BROWSERS.join(', ')}`);
  if (!FLAVOURS.includes(flavour)) throw new Error(`unknown flavour "${flavour}"; expected one of ${FLAVOURS.join(', ')}`);
  const testing = flavour === 'testing';
  // Built beside the destination and swapped in at the end: a failed build leaves the last good one.
  const out = `${outDir}.building`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: { ...entries, ...(testing ? testingEntries : {}) },
    outdir: out,
    bundle: true,
    format: 'iife',
    target: ['chrome129', 'firefox128'],
    minify: true,
    legalComments: 'none',
    metafile: true,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: {
      'process.env.BROWSER': JSON.stringify(browser),
      'process.env.NODE_ENV': '"production"',
    },
    // kdbxweb's UMD wrapper requires Node's crypto, which it never uses beside WebCrypto (src/exchange/noNodeCrypto.cjs).
    alias: { crypto: './src/exchange/noNodeCrypto.cjs' },
    plugins: [kdbxwebWithoutEval, ...(testing ? [] : [releaseAutomation])],
    logLevel: quiet ? 'error' : 'warning',
  });
  for (const [dest, src] of Object.entries({ ...statics, ...(testing ? testingStatics : {}) })) {
    mkdirSync(dirname(join(out, dest)), { recursive: true });
    if (src.endsWith('.html')) writeFileSync(join(out, dest), inlineStyles(join(root, src)));
    else copyFileSync(join(root, src), join(out, dest));
  }
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifestFor(browser), null, 2) + '\n');
  // The words of every page (ui/i18n.ts), one messages.json per language; manifest.json names its
  // default_locale and takes its name and description from them (__MSG_extName__).
  cpSync(join(root, '_locales'), join(out, '_locales'), { recursive: true });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(out, outDir);
  return Object.entries(result.metafile.outputs)
    .filter(([f]) => f.endsWith('.js'))
    .map(([f, o]) => ({ file: f.slice(f.indexOf('.building/') + '.building/'.length), bytes: o.bytes }));
}

/** `node scripts/build.mjs chrome --release` -> [{browser:'chrome', flavour:'release'}]. */
export function targetsFromArgs(args) {
  const browsers = args.filter((a) => !a.startsWith('--'));
  const flags = args.filter((a) => a.startsWith('--'));
  for (const b of browsers) if (!BROWSERS.includes(b)) throw new Error(`unknown browser "${b}"; expected one of ${BROWSERS.join(', ')}`);
  for (const f of flags) if (!['--release', '--testing'].includes(f)) throw new Error(`unknown option "${f}"; expected --release or --testing`);
  const flavours = flags.length ? flags.map((f) => f.slice(2)) : FLAVOURS;
  return (browsers.length ? browsers : BROWSERS).flatMap((browser) => flavours.map((flavour) => ({ browser, flavour })));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const t of targetsFromArgs(process.argv.slice(2))) {
    const sizes = await buildExtension(t);
    const name = t.flavour === 'release' ? t.browser : `${t.browser}-testing`;
    console.log(`built dist/${name}: ${sizes.map((s) => `${s.file} ${(s.bytes / 1024).toFixed(1)} KiB`).join(', ')}`);
  }
}
