// Runs examples/playwright as a team's own project would run it: the fixture packed with `npm pack`
// (testing/build.mjs), the example copied to a temporary folder outside this repository (so nothing
// resolves from the repository's node_modules), `npm install <tarball>` there (npm's usual cache,
// so a second run is fast and needs no network), its type-check (the package's .d.ts files, with
// NodeNext resolution and no tsx), then `npx playwright test`. The demo relying party it tests is
// started from this repository (LATCHKEY_REPO), on a free port.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { root } from './build.mjs';
import { packTesting } from '../testing/build.mjs';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** @returns {Promise<{ ok: boolean, passed: number, failed: number, skipped: number }>} */
export async function runExample(tmp) {
  const say = (m) => console.log(`example: ${m}`);
  const fail = (m) => { console.error(`example: ${m}`); return { ok: false, passed: 0, failed: 1, skipped: 0 }; };
  let tarball;
  try {
    tarball = await packTesting({ outDir: join(tmp, 'pack'), workDir: join(tmp, 'pack') });
  } catch (e) {
    return fail(`could not pack the fixture: ${e.message}`);
  }
  const project = join(tmp, 'example');
  mkdirSync(project, { recursive: true });
  cpSync(join(root, 'examples/playwright'), project, {
    recursive: true,
    filter: (src) => !/[/\\](node_modules|test-results|playwright-report)([/\\]|$)/.test(src),
  });
  const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' };
  delete env.NODE_OPTIONS; // the repository's tsx loader is not the example's business
  const run = (what, cmd, args, extraEnv = {}) => {
    say(`${what}: ${cmd} ${args.join(' ')}`);
    const r = spawnSync(cmd, args, { cwd: project, stdio: 'inherit', env: { ...env, ...extraEnv } });
    return r.status === 0;
  };
  if (!run('install the packed fixture', 'npm', ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'])) return fail('npm install failed');
  if (!run('type-check against the package\'s .d.ts', 'npx', ['--no-install', 'tsc', '--noEmit', '-p', '.'])) return fail('the example does not type-check against the package');
  const json = join(tmp, 'example.json');
  const ok = run('run its tests', 'npx', ['--no-install', 'playwright', 'test', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: json, LATCHKEY_REPO: root, EXAMPLE_PORT: String(await freePort()),
  });
  try {
    const stats = JSON.parse(readFileSync(json, 'utf8')).stats;
    return { ok, passed: stats.expected, failed: stats.unexpected + stats.flaky + (ok ? 0 : stats.unexpected ? 0 : 1), skipped: stats.skipped };
  } catch {
    return fail('no report from Playwright');
  }
}
