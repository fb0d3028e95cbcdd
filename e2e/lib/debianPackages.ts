// Debian packages a suite needs, installed by the suite itself when absent (a new machine, CI):
// `dpkg-query` says whether each is installed; the missing ones come from apt-get, as root.
// This machine reaches Debian's mirrors (and npm), not PyPI or RubyGems, so relying-party libraries
// in other languages come from Debian's packages.
//
//   await ensureDebianPackages(['python3-fido2', 'ruby-webauthn']);
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Whether dpkg knows the package as installed ("install ok installed"). */
export async function isInstalled(pkg: string): Promise<boolean> {
  try {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${Status} is dpkg-query's own format field, not JavaScript.
    const { stdout } = await run('dpkg-query', ['-W', '-f=${Status}', pkg]);
    return stdout.trim() === 'install ok installed';
  } catch {
    return false; // dpkg-query exits non-zero for a package it has never seen
  }
}

let installing: Promise<void> = Promise.resolve();

/**
 * Installs the packages that are not installed yet (apt-get update once, then install), one
 * install at a time within this process. Throws with apt-get's output when that fails, or when the
 * process is not root (there is no sudo here).
 */
export async function ensureDebianPackages(pkgs: readonly string[]): Promise<void> {
  const next = installing.then(async () => {
    const missing: string[] = [];
    for (const p of pkgs) if (!(await isInstalled(p))) missing.push(p);
    if (missing.length === 0) return;
    if (process.getuid?.() !== 0) throw new Error(`Debian packages missing and not root to install them: ${missing.join(' ')}`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    await run('apt-get', ['update'], { env, maxBuffer: 64 << 20 });
    await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, maxBuffer: 64 << 20 });
    for (const p of missing) if (!(await isInstalled(p))) throw new Error(`apt-get did not install ${p}`);
  });
  installing = next.catch(() => {});
  return next;
}
