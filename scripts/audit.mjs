// Supply chain check for CI: `npm audit --json`, then fail on any high or critical advisory that
// audit-allowlist.json does not name with a reason. Run: node scripts/audit.mjs
//
// audit-allowlist.json: { "allow": [ { "advisory": "GHSA-xxxx-xxxx-xxxx", "package": "name",
//   "reason": "why this cannot reach Latchkey's users" } ] }. Every entry needs a reason; an entry
// that no longer matches anything is reported (so the list does not grow stale).
//
// When the advisory service cannot be reached at all (this project's build machines reach only a
// registry mirror without the audit endpoint), the script says so plainly and exits 0, unless
// AUDIT_REQUIRED=1, when it fails: CI on a machine with the real registry should set it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BLOCKING = new Set(['high', 'critical']);

/**
 * The lockfile pins every package by version and content hash (npm ci installs exactly that and
 * checks the hash). Problems: a package without a sha512 integrity, or fetched from anything but
 * an https registry URL (git, file, http tarballs are not pinned by the registry's hash).
 */
export function checkLockfile(lock) {
  const problems = [];
  if (!(lock?.lockfileVersion >= 2) || typeof lock.packages !== 'object') return ['package-lock.json: lockfileVersion 2 or 3 expected'];
  for (const [path, p] of Object.entries(lock.packages)) {
    if (path === '' || p.link) continue; // the project itself; workspace links
    if (typeof p.version !== 'string') problems.push(`${path}: no version`);
    if (typeof p.integrity !== 'string' || !p.integrity.startsWith('sha512-')) problems.push(`${path}: no sha512 integrity`);
    if (p.resolved !== undefined && !/^https:\/\/registry\.npmjs\.org\//.test(p.resolved)) problems.push(`${path}: resolved from ${p.resolved}`);
  }
  return problems;
}

/** Checks the allow-list's shape; returns its entries or throws with what is wrong. */
export function parseAllowlist(json) {
  const list = json?.allow;
  if (!Array.isArray(list)) throw new Error('audit-allowlist.json: expected { "allow": [...] }');
  return list.map((e, i) => {
    for (const k of ['advisory', 'package', 'reason']) {
      if (typeof e?.[k] !== 'string' || e[k].trim() === '') throw new Error(`audit-allowlist.json: entry ${i} needs a non-empty "${k}"`);
    }
    return { advisory: e.advisory.trim(), package: e.package.trim(), reason: e.reason.trim() };
  });
}

/** The advisory's id as the allow-list names it: the GHSA id at the end of its URL, else its number. */
function advisoryId(via) {
  const m = /GHSA-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}/i.exec(via.url ?? '');
  return m ? m[0].toUpperCase() : String(via.source);
}

/**
 * Judges an `npm audit --json` report (auditReportVersion 2) against the allow-list. Each advisory
 * is counted once, at the package it is in (`via` objects); packages affected only through a
 * dependency (`via` strings) follow from those.
 */
export function judge(report, allow) {
  if (report?.error || report?.statusCode) return { unavailable: String(report.error?.summary || report.message || 'npm audit failed') };
  const vulns = report?.vulnerabilities;
  if (typeof vulns !== 'object' || vulns === null) return { unavailable: 'npm audit gave no report' };
  const blocking = [];
  const allowed = [];
  const used = new Set();
  for (const [pkg, v] of Object.entries(vulns)) {
    for (const via of v.via ?? []) {
      if (typeof via !== 'object' || !BLOCKING.has(via.severity)) continue;
      const id = advisoryId(via);
      const entry = allow.find((e) => e.package === (via.name ?? pkg) && e.advisory.toUpperCase() === id.toUpperCase());
      const finding = { package: via.name ?? pkg, advisory: id, severity: via.severity, title: via.title ?? '', url: via.url ?? '' };
      if (entry) { allowed.push({ ...finding, reason: entry.reason }); used.add(entry); } else blocking.push(finding);
    }
  }
  const dedupe = (xs) => [...new Map(xs.map((x) => [`${x.package} ${x.advisory}`, x])).values()];
  return { blocking: dedupe(blocking), allowed: dedupe(allowed), stale: allow.filter((e) => !used.has(e)) };
}

function main() {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const lockProblems = checkLockfile(JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')));
  for (const p of lockProblems) console.error(`audit: lockfile: ${p}`);
  if (lockProblems.length) process.exit(1);
  const allow = parseAllowlist(JSON.parse(readFileSync(join(root, 'audit-allowlist.json'), 'utf8')));
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = spawnSync(npm, ['audit', '--json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  let report;
  try { report = JSON.parse(res.stdout); } catch { report = { error: { summary: (res.stderr || 'no output').trim().split('\n').pop() } }; }
  const r = judge(report, allow);
  if (r.unavailable) {
    const required = process.env.AUDIT_REQUIRED === '1';
    console[required ? 'error' : 'warn'](`audit: NOT CHECKED: the advisory service could not be reached (${r.unavailable}).${required ? '' : ' Set AUDIT_REQUIRED=1 to fail on this.'}`);
    process.exit(required ? 1 : 0);
  }
  for (const a of r.allowed) console.log(`audit: allowed ${a.severity} ${a.package} ${a.advisory}: ${a.reason}`);
  for (const e of r.stale) console.warn(`audit: allow-list entry no longer needed: ${e.package} ${e.advisory}`);
  for (const b of r.blocking) console.error(`audit: ${b.severity} ${b.package} ${b.advisory} ${b.title} ${b.url}`);
  if (r.blocking.length) { console.error(`audit: ${r.blocking.length} high/critical advisories not in audit-allowlist.json`); process.exit(1); }
  console.log('audit: no high or critical advisory outside the allow-list');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
