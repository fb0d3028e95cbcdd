// docs/PERMISSIONS.md justifies every permission manifest.json asks for, and nothing more: a new
// permission fails this test until it is explained, and a dropped one until its section goes.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const manifest = JSON.parse(readFileSync(new URL('../manifest.json', import.meta.url), 'utf8')) as {
  permissions?: string[]; optional_permissions?: string[]; host_permissions?: string[]; optional_host_permissions?: string[];
  content_scripts?: { js: string[] }[]; web_accessible_resources?: { resources: string[] }[]; content_security_policy?: Record<string, string>;
};
const doc = readFileSync(new URL('../docs/PERMISSIONS.md', import.meta.url), 'utf8');
/** What the `### ` headings of one `## section` name in backticks. */
function headings(section: string): string[] {
  const body = doc.split(/^## /m).find((s) => s.startsWith(`${section}\n`)) ?? '';
  return [...body.matchAll(/^### (.+)$/gm)].flatMap((m) => [...m[1]!.matchAll(/`([^`]+)`/g)].map((x) => x[1]!));
}

test('every permission is justified, and only those', () => {
  assert.deepEqual(headings('permissions').sort(), [...(manifest.permissions ?? [])].sort());
  assert.equal(manifest.optional_permissions, undefined, 'no optional permissions');
  // No other extension or web page may message Latchkey directly (docs/SECURITY.md, threat 11).
  assert.equal((manifest as { externally_connectable?: unknown }).externally_connectable, undefined, 'no externally_connectable');
});

test('every host permission is justified, and only those', () => {
  const documented = headings('host_permissions');
  assert.deepEqual(documented.sort(), [...(manifest.host_permissions ?? [])].sort());
  // The sync server's origin, asked for when sync is turned on (docs/SYNC.md).
  assert.deepEqual(headings('optional_host_permissions').sort(), [...(manifest.optional_host_permissions ?? [])].sort());
});

test('content scripts, web-accessible resources and the CSP are explained', () => {
  const scripts = headings('content_scripts');
  assert.deepEqual(scripts.sort(), (manifest.content_scripts ?? []).flatMap((c) => c.js).sort());
  assert.deepEqual(headings('web_accessible_resources').sort(), (manifest.web_accessible_resources ?? []).flatMap((w) => w.resources).sort());
  assert.deepEqual(headings('content_security_policy'), Object.entries(manifest.content_security_policy ?? {}).map(([k, v]) => `${k}: ${v}`));
});
