// `npm run check:deps`: the import rules of .dependency-cruiser.cjs (docs/ARCHITECTURE.md) over
// every folder of the project. dependency-cruiser's own command refuses Node 20 (it follows Node's
// release cycle), which is this project's floor (package.json engines); its API, used here, runs
// on it. Exits non-zero on any rule broken, after naming each one.
import { cruise } from 'dependency-cruiser';
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';

const FOLDERS = ['src', 'popup', 'options', 'action', 'autofill', 'automation', 'ui', 'testing', 'e2e', 'bench', 'scripts', 'examples'];

const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs');
const tsConfig = await extractTSConfig(options.tsConfig.fileName);
const result = await cruise(FOLDERS, { ...options, validate: true, outputType: 'err-long' }, undefined, { tsConfig });
process.stdout.write(typeof result.output === 'string' ? result.output : JSON.stringify(result.output));
process.exitCode = result.exitCode;
