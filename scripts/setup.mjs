// Sets up what `npm start` / `npm test` need and is missing, and nothing else:
//   - the npm packages: `npm ci` when node_modules is absent or older than package-lock.json;
//   - the Debian packages (scripts/debianPackages.mjs): the browsers, and for `test` the relying-party
//     libraries, the WebDAV server and keepassxc: apt-get when root, else the exact command to run.
// A second run finds everything in place and does no work. Only node: modules, because it runs
// first in the npm scripts, before node_modules may exist.
// Usage: node scripts/setup.mjs start|test [--dry-run]   (--dry-run: say what would run, run nothing)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BROWSERS, TEST_PACKAGES } from './debianPackages.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---- pure decisions (scripts/setup.test.ts) ------------------------------------------------------

/**
 * Whether node_modules holds what package-lock.json asks for, judged from npm's own record of what
 * it installed (node_modules/.package-lock.json, written by every install). A record at least as new
 * as the lockfile is trusted; an older one is compared entry by entry (a fresh checkout can touch the
 * lockfile without changing it): every package the lockfile lists must be installed at its version.
 * Optional ones may be missing (npm leaves out those for other platforms, such as esbuild's other
 * binaries, and what only they depend on), but one that is there must have the locked version.
 * @returns {{ ok: true } | { ok: false, reason: string }}
 */
export function npmState({ nodeModules, lockMtimeMs, record }) {
  if (!nodeModules.exists) return { ok: false, reason: 'node_modules is missing' };
  if (!record) return { ok: false, reason: 'node_modules has no record of an install (.package-lock.json)' };
  if (record.mtimeMs >= lockMtimeMs) return { ok: true };
  const wanted = record.lock?.packages ?? {};
  const have = record.installed?.packages ?? {};
  for (const [path, p] of Object.entries(wanted)) {
    if (path === '' || p.link) continue;
    if (!have[path]) {
      if (p.optional) continue;
      return { ok: false, reason: `package-lock.json is newer than node_modules (${path} is not installed)` };
    }
    if (have[path].version !== p.version) return { ok: false, reason: `package-lock.json is newer than node_modules (${path} ${have[path].version}, wanted ${p.version})` };
  }
  return { ok: true };
}

/**
 * What to run, from what is there. `facts`:
 *   purpose 'start' | 'test'; isRoot; hasApt (apt-get and dpkg-query exist);
 *   npm: npmState's result, and nodeModulesIsLink (a link to an install shared with other checkouts);
 *   browsers: [{ package, env, path, fromEnv, exists, neededBy }];
 *   installedDebs: Set of installed package names (null when dpkg-query could not be asked).
 * @returns {{ steps: {what: string, command: string[], env?: object}[], problems: string[] }}
 */
export function planSetup(facts) {
  const steps = [];
  const problems = [];
  if (!facts.npm.ok) {
    if (facts.nodeModulesIsLink) {
      // `npm ci` deletes node_modules first: never through a link into someone else's install.
      problems.push(`${facts.npm.reason}, and node_modules is a link to a shared install: not running npm ci through it. Run \`npm ci\` where it points, or remove the link.`);
    } else {
      steps.push({ what: `npm packages (${facts.npm.reason})`, command: ['npm', 'ci', '--no-audit', '--no-fund'], env: { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1', PUPPETEER_SKIP_DOWNLOAD: '1' } });
    }
  }
  const debs = [];
  for (const b of facts.browsers) {
    if (!b.neededBy.includes(facts.purpose) || b.exists) continue;
    if (b.fromEnv) problems.push(`${b.env}=${b.path} is not an executable file (unset ${b.env} to use Debian's ${b.package})`);
    else debs.push(b.package);
  }
  if (facts.purpose === 'test') {
    if (facts.installedDebs) debs.push(...TEST_PACKAGES.filter((p) => !facts.installedDebs.has(p)));
    else problems.push(`cannot ask dpkg which Debian packages are installed; the tests need ${TEST_PACKAGES.join(', ')}`);
  }
  if (debs.length) {
    // With recommends, as BROWSERS.md installs them (Chromium's fonts among them: the screenshots depend on them).
    const install = ['apt-get', 'install', '-y', ...debs];
    if (facts.isRoot && facts.hasApt) {
      steps.push({ what: `Debian packages: ${debs.join(', ')}`, command: ['apt-get', 'update'], env: { DEBIAN_FRONTEND: 'noninteractive' } });
      steps.push({ what: `Debian packages: ${debs.join(', ')}`, command: install, env: { DEBIAN_FRONTEND: 'noninteractive' } });
    } else if (facts.hasApt) {
      problems.push(`missing Debian packages: ${debs.join(', ')}. Install them with:\n  sudo apt-get update && sudo ${install.join(' ')}`);
    } else {
      problems.push(`missing: ${debs.join(', ')} (Debian package names; this machine has no apt-get: install them with its own package manager)`);
    }
  }
  return { steps, problems };
}

// ---- looking at the machine --------------------------------------------------------------------

function isExecutable(path) {
  try { accessSync(path, constants.X_OK); return statSync(path).isFile(); } catch { return false; }
}

function onPath(command) {
  return (process.env.PATH ?? '').split(':').some((d) => d && isExecutable(join(d, command)));
}

/** Installed packages among `names`, from one dpkg-query call; null when dpkg-query is not there. */
function installedDebs(names) {
  if (!onPath('dpkg-query')) return null;
  // dpkg-query's own format fields, not a JS template: ${Package} is dpkg's syntax.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's -f format, not a template literal
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package}\t${db:Status-Abbrev}\n', ...names], { encoding: 'utf8' });
  const out = new Set();
  for (const line of (r.stdout ?? '').split('\n')) {
    const [name, status] = line.split('\t');
    if (name && status?.startsWith('ii')) out.add(name.split(':')[0]);
  }
  return out;
}

function readRecord() {
  const file = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(file)) return null;
  const mtimeMs = statSync(file).mtimeMs;
  const lockFile = join(root, 'package-lock.json');
  // Parsed only when needed (the record is older than the lockfile): the usual run reads two mtimes.
  return {
    mtimeMs,
    get lock() { return JSON.parse(readFileSync(lockFile, 'utf8')); },
    get installed() { return JSON.parse(readFileSync(file, 'utf8')); },
  };
}

export function gatherFacts(purpose) {
  const nm = join(root, 'node_modules');
  const nodeModulesIsLink = (() => { try { return lstatSync(nm).isSymbolicLink(); } catch { return false; } })();
  const npm = npmState({ nodeModules: { exists: existsSync(nm) }, lockMtimeMs: statSync(join(root, 'package-lock.json')).mtimeMs, record: readRecord() });
  const browsers = BROWSERS.map((b) => {
    const fromEnv = Boolean(process.env[b.env]);
    const path = fromEnv ? process.env[b.env] : b.path;
    return { ...b, fromEnv, path, exists: isExecutable(path) };
  });
  return {
    purpose,
    isRoot: process.getuid?.() === 0,
    hasApt: onPath('apt-get') && onPath('dpkg-query'),
    npm, nodeModulesIsLink, browsers,
    installedDebs: purpose === 'test' ? installedDebs(TEST_PACKAGES) : new Set(),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const t0 = performance.now();
  const purpose = process.argv[2];
  if (purpose !== 'start' && purpose !== 'test') {
    console.error('usage: node scripts/setup.mjs start|test [--dry-run]');
    process.exit(2);
  }
  const dryRun = process.argv.includes('--dry-run');
  const { steps, problems } = planSetup(gatherFacts(purpose));
  for (const s of steps) {
    console.log(`setup: ${s.what}: ${dryRun ? 'would run' : 'running'} ${s.command.join(' ')}`);
    if (dryRun) continue;
    const r = spawnSync(s.command[0], s.command.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...s.env } });
    if (r.status !== 0) {
      console.error(`setup: ${s.command.join(' ')} failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
      process.exit(1);
    }
  }
  for (const p of problems) console.error(`setup: ${p}`);
  if (problems.length) process.exit(1);
  if (steps.length === 0) console.log(`setup: everything is in place (${(performance.now() - t0).toFixed(0)} ms)`);
}
