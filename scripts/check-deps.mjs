// `npm run check:deps`: the import rules of .dependency-cruiser.cjs (docs/ARCHITECTURE.md) over
// every folder of the project. dependency-cruiser's own command refuses Node 20 (it follows Node's
// release cycle), which is this project's floor (package.json engines); its API, used here, runs
// on it. Exits non-zero on any rule broken, after naming each one.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, format } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const FOLDERS = ['src', 'popup', 'options', 'action', 'autofill', 'automation', 'ui', 'testing', 'e2e', 'bench', 'scripts', 'examples'];
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;

/** Every source file under the folders, as dependency-cruiser names them (relative, with /). */
function sources(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (SOURCE.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name)) out.push(p.split('\\').join('/'));
  }
  return out;
}

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const tsConfig = await extractTSConfig(options.tsConfig.fileName);
const result = await cruise(FOLDERS, { ...options, validate: true, outputType: 'json' }, undefined, { tsConfig });
const cruised = JSON.parse(String(result.output));
const report = await format(cruised, { outputType: 'err-long' });
process.stdout.write(String(report.output));
process.exitCode = report.exitCode;

// A rule can only fail for a file that was read. Without its TypeScript parser (@swc/core, not
// installed: run `npm ci`) dependency-cruiser skips every .ts file and finds nothing wrong; so
// every source file must be among the modules it read, or the check fails.
const seen = new Set(cruised.modules.map((m) => m.source));
const missed = FOLDERS.flatMap((f) => sources(f)).filter((f) => !seen.has(f));
if (missed.length > 0) {
  console.error(
    `check:deps: dependency-cruiser did not read ${missed.length} source files (${missed.slice(0, 3).join(', ')}…): is @swc/core installed (npm ci)?`,
  );
  process.exitCode = 1;
}
