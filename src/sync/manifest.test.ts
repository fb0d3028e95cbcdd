// The manifest's side of docs/SYNC.md "Permissions": the server's origin is an optional host
// permission (asked for when sync is turned on), and extension pages may connect to nothing but
// https and this computer (no plain-http request leaves it).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { originPattern } from '../messages/sync';

const manifest = JSON.parse(readFileSync(new URL('../../manifest.json', import.meta.url), 'utf8'));

test('extension pages connect only to themselves, https, and the loopback address', () => {
  const csp: string = manifest.content_security_policy.extension_pages;
  const connect = /connect-src ([^;]+);/.exec(csp)?.[1]?.trim().split(/\s+/);
  assert.deepEqual(connect, ["'self'", 'https:', 'http://localhost:*', 'http://127.0.0.1:*']);
});

test('sync asks for one origin, and every origin it may ask for is declared optional', () => {
  const optional: string[] = manifest.optional_host_permissions;
  for (const url of ['https://cloud.example/remote.php/dav/files/ann/', 'http://127.0.0.1:8080/dav/', 'http://localhost:9000/']) {
    const pattern = originPattern(url);
    const host = new URL(url).hostname;
    assert.equal(pattern, `${new URL(url).protocol}//${host}/*`);
    assert.ok(optional.some((p) => p === pattern || (p === 'https://*/*' && pattern.startsWith('https://'))), pattern);
  }
  assert.ok(!manifest.permissions.includes('<all_urls>'));
});
