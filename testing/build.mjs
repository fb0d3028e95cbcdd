// Builds the test fixture's npm package, @latchkey/testing, and packs it with `npm pack`:
//   dist/*.js      the fixture, bundled by esbuild (ESM for Node 20; playwright-core and fflate
//                  stay dependencies, @playwright/test a peer, so the suite's own copies are used)
//   dist/*.d.ts    its types, emitted by tsc (testing/tsconfig.json); they stand alone
//                  (testing/types.ts), so a suite needs no Latchkey sources and no tsx set-up
//   extension/     Latchkey's *test build* for Chromium and Firefox (scripts/build.mjs, flavour
//                  "testing"), which the fixture loads by default: the package carries the
//                  extension whose automation calls it speaks, so the two cannot come apart
//   package.json   testing/package.json with the version of Latchkey's package.json (the one place)
// Used by `npm run package` (dist/latchkey-testing-<version>.tgz) and by scripts/run-tests.mjs,
// which installs the tarball into a copy of examples/playwright outside this repository.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { buildExtension, root, version } from '../scripts/build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ENTRIES = ['playwright', 'chromium', 'firefox'];

/** Writes the package's files into `stageDir` (emptied first). */
export async function stageTesting(stageDir) {
  rmSync(stageDir, { recursive: true, force: true });
  mkdirSync(stageDir, { recursive: true });
  for (const browser of ['chrome', 'firefox']) {
    await buildExtension({ browser, flavour: 'testing', outDir: join(stageDir, 'extension', browser), quiet: true });
  }
  const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'));
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(ENTRIES.map((e) => [e, join(here, `${e}.ts`)])),
    outdir: join(stageDir, 'dist'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: [...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)],
    define: { LATCHKEY_PACKAGED: 'true' },
    chunkNames: 'shared-[hash]',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(here, 'tsconfig.json'), '--outDir', join(stageDir, 'dist')], { encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc (declarations) failed:\n${tsc.stdout}${tsc.stderr}`);
  const { name, description, ...rest } = manifest;
  writeFileSync(join(stageDir, 'package.json'), JSON.stringify({ name, version: version(), description, ...rest }, null, 2) + '\n');
  copyFileSync(join(here, 'README.md'), join(stageDir, 'README.md'));
  return stageDir;
}

/** Stages the package in `workDir` and packs it into `outDir`; returns the tarball's path. */
export async function packTesting({ outDir, workDir }) {
  const stage = await stageTesting(join(workDir, 'package'));
  mkdirSync(outDir, { recursive: true });
  const r = spawnSync('npm', ['pack', stage, '--pack-destination', outDir, '--json', '--ignore-scripts'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stdout}${r.stderr}`);
  return join(outDir, JSON.parse(r.stdout)[0].filename);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outDir = process.argv[2] ?? join(root, 'dist');
  const work = join(root, 'dist', 'testing-package');
  console.log(await packTesting({ outDir, workDir: work }));
}
