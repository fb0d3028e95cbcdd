// Which way imports may point (docs/ARCHITECTURE.md draws it). Checked by `npm run check:deps`
// (scripts/check-deps.mjs), part of `npm test`. A rule's name says what it keeps true; its comment
// says why. Type-only imports count too: a layer that needs another's types depends on it.
//
//   src/content (page side) ─┐
//   windows (popup/ options/ action/ autofill/ automation/, sharing ui/) ─┴→ src/messages
//   src/background → src/messages, src/client, src/vault, src/core, src/lazy
//   src/client (the WebAuthn client's decisions) → src/messages, src/core, src/lazy; used by the
//     page side and the background alike
//   src/messages → src/core (pure helpers)   src/vault → src/core, src/lazy   src/core → src/lazy
//   testing/ → src/ (types), never e2e/      e2e/, bench/, scripts/ → anything

/** The extension's own windows: each is an entry file of the build that a person sees. */
const WINDOWS = '^(popup|options|action|autofill|automation|ui)/';
/** Code that does cryptography or parses CBOR: never in a window's or the page's bundle. */
const CRYPTO = '^(src/lazy/|node_modules/(@noble/|cbor-x/|hash-wasm/|tldts))';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle makes the order of evaluation matter and hides which module owns what: move the shared piece into its own module.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-other-layer',
      severity: 'error',
      comment: 'src/core is pure WebAuthn (authenticator data, COSE, attestation, signatures): it imports nothing of the layers above it, and no browser API.',
      from: { path: '^src/core/' },
      to: { path: ['^src/(background|vault|messages|client|content)/', '^src/browser\\.cjs$', WINDOWS, '^(testing|e2e|bench|scripts)/'] },
    },
    {
      name: 'vault-below-the-protocol',
      severity: 'error',
      comment:
        'src/vault keeps the passkeys (IndexedDB, keys wrapped under the PIN): it builds on src/core only; the background translates between it and the protocol.',
      from: { path: '^src/vault/' },
      to: { path: ['^src/(background|messages|client|content)/', WINDOWS, '^(testing|e2e|bench|scripts)/'] },
    },
    {
      name: 'messages-are-the-protocol-only',
      severity: 'error',
      comment: "src/messages is the typed protocol every side shares (and its runtime checks): it may use src/core's pure helpers, never a side of a boundary.",
      from: { path: '^src/messages/' },
      to: { path: ['^src/(background|vault|client|content)/', '^src/browser\\.cjs$', WINDOWS, '^(testing|e2e|bench|scripts)/'] },
    },
    {
      name: 'client-decisions-are-shared',
      severity: 'error',
      comment:
        "src/client holds the WebAuthn client's decisions (RP ID, frames, algorithms, attachment): pure functions that both the page side and the background call.",
      // Its tests may drive a decision through the page side's converter, the way a page's call
      // meets it (extensions.test.ts: appid at create is refused while the options are converted).
      from: { path: '^src/client/', pathNot: '\\.test\\.ts$' },
      to: { path: ['^src/(background|vault|content)/', '^src/browser\\.cjs$', WINDOWS, '^(testing|e2e|bench|scripts)/'] },
    },
    {
      name: 'background-serves-no-one-above',
      severity: 'error',
      comment: 'The background answers the page side and the windows through src/messages; it never imports them.',
      from: { path: '^src/background/' },
      to: { path: ['^src/content/', WINDOWS, '^(testing|e2e|bench|scripts)/'] },
    },
    {
      name: 'page-side-talks-through-messages',
      severity: 'error',
      comment:
        'src/content runs in the page (main-world) or beside it (bridge, autofill offer): it reaches the background only by messages, and holds no key, vault or background code.',
      from: { path: '^src/content/' },
      to: { path: ['^src/(background|vault|core)/', WINDOWS, '^(testing|e2e|bench|scripts)/'] },
    },
    {
      name: 'page-side-bundles-no-crypto',
      severity: 'error',
      comment: 'What runs in the page must stay small and hold no cryptography (the page is hostile; main-world.js is paid on every page load).',
      from: { path: '^src/content/', pathNot: '\\.test\\.ts$' },
      to: { path: CRYPTO, reachable: true },
    },
    {
      name: 'windows-talk-through-messages',
      severity: 'error',
      comment:
        'The windows (ceremony window, manage page, toolbar popup, autofill offer, automation page) ask the background by messages: they never import the background, the vault, core, the lazy libraries or the page side.',
      from: { path: WINDOWS },
      to: { path: ['^src/(background|vault|core|lazy|content|client)/', '^(testing|e2e|bench|scripts)/'] },
    },
    {
      name: 'windows-bundle-no-crypto',
      severity: 'error',
      comment: "Key material and the code that uses it stay in the background: no window's bundle contains cryptography.",
      from: { path: WINDOWS, pathNot: '\\.test\\.tsx?$' },
      to: { path: CRYPTO, reachable: true },
    },
    {
      name: 'windows-share-through-ui',
      severity: 'error',
      comment:
        "Code two windows share lives in ui/. Exceptions: options/api.ts and options/syncApi.ts, the manage and sync protocols' clients, which the toolbar popup (action/) uses too (its sync status line).",
      from: { path: '^(popup|options|action|autofill|automation)/' },
      to: { path: '^(popup|options|action|autofill|automation)/', pathNot: ['^$1/', '^options/(api|syncApi)\\.ts$'] },
    },
    {
      name: 'ui-is-shared-by-windows',
      severity: 'error',
      comment: 'ui/ is what the windows share: it imports none of them.',
      from: { path: '^ui/' },
      to: { path: '^(popup|options|action|autofill|automation)/' },
    },
    {
      name: 'testing-never-imports-e2e',
      severity: 'error',
      comment:
        "testing/ is the fixture other people's suites install: it must ship without Latchkey's own tests " +
        '(the launchers live in testing/; e2e/lib re-exports them).',
      from: { path: '^testing/' },
      to: { path: '^e2e/' },
    },
    {
      name: 'testing-uses-src-for-types-only',
      severity: 'error',
      comment:
        'The fixture drives the built extension through its automation page; it takes only types from src/, never code (which would run a second copy of Latchkey in the test process).',
      from: { path: '^testing/' },
      to: { path: '^src/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'shipped-code-imports-no-tests',
      severity: 'error',
      comment: 'Nothing the build ships imports the fixture, the suites, the benchmarks or the scripts.',
      from: { path: ['^src/', WINDOWS] },
      to: { path: '^(testing|e2e|bench|scripts|examples)/' },
    },
    {
      name: 'shipped-code-uses-no-dev-dependency',
      severity: 'error',
      comment: 'The build bundles src/ and the windows: a devDependency there would ship untracked (tests beside the code may use them).',
      from: { path: ['^src/', WINDOWS], pathNot: '\\.test\\.tsx?$|^src/vault/testFixtures\\.ts$|^src/core/_webauthnTestVectors\\.ts$' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import that resolves to nothing fails at build or run time. examples/ is a team\'s own project: it imports ' +
        '@latchkey/testing, which scripts/runExample.mjs installs from the packed tarball into a copy outside this repository.',
      from: { pathNot: '^examples/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Declaration files (scripts/*.d.mts, testing/*.d.mts) hold types only; swc cannot read them as modules.
    exclude: { path: ['^dist/', '\\.d\\.[cm]?ts$'] },
    // TypeScript 7.0 has no JavaScript API for dependency-cruiser to parse with, so swc parses
    // the TypeScript (@swc/core, dev). swc keeps type-only imports, so the rules see them too
    // (tsPreCompilationDeps would ask for the TypeScript API, and only warn without it).
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
