// KDBX against an independent implementation: Debian's keepassxc-cli (KeePassXC's own code) reads
// what Latchkey writes and shows the KPEX_PASSKEY_* attributes; Latchkey reads a database that
// keepassxc-cli made. Needs the Debian package keepassxc: installed here with apt-get (as root)
// when missing, so the test runs on a new machine too.
import 'fake-indexeddb/auto';
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromBase64url, toBase64url } from '../core/base64url.js';
import { parseKdbx, serializeKdbx, KPEX } from './kdbx.js';
import { CHEAP_KDF, openVault, seedVault } from './testFixtures.js';

const PASS = 'kdbx passphrase 1';
const dir = mkdtempSync(join(tmpdir(), 'latchkey-kdbx-'));

function haveCli(): boolean {
  return spawnSync('keepassxc-cli', ['--version']).status === 0;
}

before(() => {
  if (haveCli()) return;
  if (process.getuid?.() !== 0) throw new Error('keepassxc-cli is missing: apt-get install keepassxc (as root)');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'keepassxc'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (!haveCli()) execFileSync('sh', ['-c', 'apt-get update && apt-get install -y --no-install-recommends keepassxc'], { stdio: 'inherit' });
});

/** keepassxc-cli with the database password on stdin (it prompts for it). */
function cli(args: string[], input = `${PASS}\n`): string {
  const r = spawnSync('keepassxc-cli', args, { input, encoding: 'utf8', env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
  assert.equal(r.status, 0, `keepassxc-cli ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** "Key: value" lines of `show --all -s`, PEM values (several lines) included. */
function attributes(out: string): Map<string, string> {
  const m = new Map<string, string>();
  let last = '';
  for (const line of out.split('\n')) {
    const kv = /^([A-Za-z_]+): ?(.*)$/.exec(line);
    if (kv) { last = kv[1]!; m.set(last, kv[2]!); } else if (last) m.set(last, `${m.get(last)}\n${line}`);
  }
  return m;
}

test('keepassxc-cli opens Latchkey\'s KDBX and shows every passkey with its KPEX_PASSKEY_* attributes', async () => {
  const { vault, key } = await openVault('kxc-out');
  await seedVault(vault, key);
  const items = await vault.exportPasskeys(key);
  const { file, count } = await serializeKdbx(items, PASS, { kdf: { memoryKiB: CHEAP_KDF.memoryKiB * 8, iterations: 2, parallelism: 1 } });
  assert.equal(count, 3);
  const path = join(dir, 'latchkey.kdbx');
  writeFileSync(path, file);
  const titles = cli(['ls', '-q', path]).split('\n').filter((t) => t !== '' && !t.endsWith('/')); // groups end with "/"
  assert.equal(titles.length, 3, titles.join(', '));
  for (const p of items) {
    const title = p.label ?? `${p.rpId} (Passkey)`;
    assert.ok(titles.includes(title), `listed: ${title}`);
    const a = attributes(cli(['show', '-q', '-s', '--all', path, title]));
    assert.equal(a.get(KPEX.RELYING_PARTY), p.rpId);
    assert.equal(a.get(KPEX.USERNAME), p.userName);
    assert.equal(a.get(KPEX.CREDENTIAL_ID), p.credentialId);
    assert.equal(a.get(KPEX.USER_HANDLE), p.userHandle);
    assert.equal(a.get(KPEX.FLAG_BE), p.backupEligible ? '1' : '0');
    assert.equal(a.get('UserName'), p.userName);
    assert.equal(a.get('URL'), `https://${p.rpId}`);
    assert.match(a.get('Tags') ?? '', /Passkey/);
    // The PEM KeePassXC shows is a key OpenSSL reads, and its public half is the passkey's.
    const pem = a.get(KPEX.PRIVATE_KEY_PEM)!;
    assert.match(pem, /^-----BEGIN PRIVATE KEY-----/);
    const pub = createPublicKey(createPrivateKey(pem)).export({ format: 'jwk' });
    const expected = fromBase64url(p.publicKey);
    if (p.alg === -8) assert.deepEqual(fromBase64url(pub.x!), expected);
    else assert.deepEqual(new Uint8Array([4, ...fromBase64url(pub.x!), ...fromBase64url(pub.y!)]), expected);
  }
  // The protected attributes are protected (hidden without -s).
  const hidden = attributes(cli(['show', '-q', '--all', path, items[0]!.label ?? `${items[0]!.rpId} (Passkey)`]));
  assert.equal(hidden.get(KPEX.PRIVATE_KEY_PEM), 'PROTECTED');
});

function xmlEscape(s: string): string {
  return s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

test('Latchkey reads a database keepassxc-cli made (its XML import, KDBX 3.1 with AES-KDF: the CLI\'s defaults)', async () => {
  const es = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const entries = [
    { title: 'github.com (Passkey)', rp: 'github.com', user: 'octo', id: randomBytes(32), handle: randomBytes(16), pem: es.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, pub: es.publicKey, be: undefined },
    { title: 'Work mail', rp: 'mail.example', user: 'ada', id: randomBytes(32), handle: randomBytes(8), pem: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, pub: ed.publicKey, be: '0' },
  ];
  const str = (k: string, v: string, prot = false) => `<String><Key>${k}</Key><Value${prot ? ' ProtectInMemory="True"' : ''}>${xmlEscape(v)}</Value></String>`;
  const xml = `<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile><Meta><Generator>Latchkey test</Generator><DatabaseName>from keepassxc-cli</DatabaseName></Meta><Root><Group><UUID>${toB64(randomBytes(16))}</UUID><Name>Root</Name>
${entries.map((e) => `<Entry><UUID>${toB64(randomBytes(16))}</UUID><Tags>Passkey</Tags>${str('Title', e.title)}${str('UserName', e.user)}${str('URL', `https://${e.rp}`)}
${str(KPEX.USERNAME, e.user)}${str(KPEX.RELYING_PARTY, e.rp)}${str(KPEX.CREDENTIAL_ID, toBase64url(e.id), true)}${str(KPEX.USER_HANDLE, toBase64url(e.handle), true)}${str(KPEX.PRIVATE_KEY_PEM, e.pem, true)}${e.be ? str(KPEX.FLAG_BE, e.be) + str(KPEX.FLAG_BS, e.be) : ''}</Entry>`).join('\n')}
<Entry><UUID>${toB64(randomBytes(16))}</UUID>${str('Title', 'A password, not a passkey')}${str('Password', 'hunter2', true)}</Entry>
</Group></Root></KeePassFile>`;
  const xmlPath = join(dir, 'in.xml');
  const kdbxPath = join(dir, 'from-cli.kdbx');
  writeFileSync(xmlPath, xml);
  cli(['import', '-q', '-p', '-t', '100', xmlPath, kdbxPath], `${PASS}\n${PASS}\n`);
  const bytes = new Uint8Array(readFileSync(kdbxPath));
  const got = await parseKdbx(bytes, PASS);
  assert.deepEqual(got.skipped, []);
  assert.equal(got.items.length, 2);
  for (const e of entries) {
    const p = got.items.find((x) => x.rpId === e.rp)!;
    assert.ok(p, e.rp);
    assert.equal(p.credentialId, toBase64url(e.id));
    assert.equal(p.userHandle, toBase64url(e.handle));
    assert.equal(p.userName, e.user);
    assert.equal(p.alg, e.rp === 'github.com' ? -7 : -8);
    assert.equal(p.label, e.title === 'Work mail' ? 'Work mail' : null);
    assert.equal(p.backupEligible, e.be !== '0');
    const jwk = e.pub.export({ format: 'jwk' });
    const expected = p.alg === -8 ? fromBase64url(jwk.x!) : new Uint8Array([4, ...fromBase64url(jwk.x!), ...fromBase64url(jwk.y!)]);
    assert.deepEqual(fromBase64url(p.publicKey), expected);
  }
  // And they go into the vault (which checks each private key against its public key again).
  const { vault, key } = await openVault('kxc-in');
  const r = await vault.importPasskeys(key, got.items);
  assert.equal(r.added.length, 2);
});

function toB64(b: Uint8Array): string {
  return Buffer.from(b).toString('base64');
}
void toBase64url;
