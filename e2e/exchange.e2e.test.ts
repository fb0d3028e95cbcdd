// Moving passkeys between managers, end to end in Chromium, by the manage page's CONTRACT names
// (docs/CONTRACT.md): each "Kind of file" exported (the PIN asked again), each imported into a
// new profile through its preview and "Confirm import", and the imported passkey signs in to the
// demo relying party (@simplewebauthn/server verifies it). keepassxc-cli (Debian's keepassxc,
// installed when missing, as root) reads the KDBX the browser saved. Bad files get an alert and
// change nothing.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { addPasskey, DEMO_EMAIL, signInWithPassword, signInWithPasskey, signOut, type Log } from './flows/chromiumDemoFlow';
import { askForES256Only } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';
import { serializeCxf } from '../src/exchange/cxf';

const log: Log = (step) => { if (process.env.E2E_VERBOSE) console.log(`  · ${step}`); };
const dir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-exchange-'));
const PASS = 'exchange passphrase 7';
const PIN = '4826';
const SECTION = 'Backup, import and export';
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dir, { recursive: true, force: true }); });

type Kind = 'Latchkey backup' | 'CXF' | 'KeePassXC (KDBX)' | 'Bitwarden JSON';
interface Exported { kind: Kind; file: string; passphrase: string }
const exported: Exported[] = [];
let credentialId = '';

const section = (manage: Page) => manage.getByRole('region', { name: SECTION });

async function exportAs(manage: Page, kind: Kind, o: { plainCxf?: boolean; wrongPinFirst?: boolean } = {}): Promise<{ file: string; status: string }> {
  const s = section(manage);
  await s.getByRole('group', { name: 'Kind of file' }).getByRole('radio', { name: kind, exact: true }).check();
  const plain = kind === 'Bitwarden JSON' || o.plainCxf;
  if (o.plainCxf) {
    await s.getByLabel('Save a plain CXF file, without encryption').check();
    await s.getByText('Warning: this file will not be encrypted.').waitFor();
  }
  if (!plain) {
    await s.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await s.getByLabel('Confirm passphrase', { exact: true }).fill(PASS);
  }
  await s.getByRole('button', { name: 'Export', exact: true }).click();
  if (o.wrongPinFirst) {
    await s.getByLabel('PIN', { exact: true }).fill('0000');
    await s.getByRole('button', { name: 'Unlock' }).click();
    await s.getByRole('alert').filter({ hasText: /PIN/i }).waitFor();
  }
  await s.getByLabel('PIN', { exact: true }).fill(PIN);
  const download = manage.waitForEvent('download');
  await s.getByRole('button', { name: 'Unlock' }).click();
  const d = await download;
  const file = join(dir, d.suggestedFilename());
  await d.saveAs(file);
  const status = s.getByRole('status').filter({ hasText: /Exported/ });
  await status.waitFor();
  return { file, status: (await status.innerText()).trim() };
}

async function importFile(manage: Page, kind: Kind, file: string, passphrase: string): Promise<string> {
  const s = section(manage);
  await s.getByRole('radio', { name: kind, exact: true }).check();
  await s.getByLabel('Import file').setInputFiles(file);
  if (kind !== 'Bitwarden JSON') await s.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await s.getByRole('button', { name: 'Import', exact: true }).click();
  const preview = s.getByText('Before importing');
  await preview.or(s.getByRole('alert')).waitFor({ timeout: 30_000 });
  if (await s.getByRole('alert').isVisible()) return `alert: ${await s.getByRole('alert').innerText()}`;
  return (await preview.locator('..').innerText()).trim();
}

describe('Chromium: moving passkeys between managers', { timeout: 600_000 }, () => {
  test('export: each kind of file by the CONTRACT names, the PIN asked again; keepassxc-cli reads the KDBX', { timeout: 240_000 }, async () => {
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      const page = await context.newPage();
      // ES256, so that every format can carry it (Bitwarden keeps P-256 passkeys only).
      await askForES256Only(page);
      await signInWithPassword(page, rp.url, log);
      await addPasskey(context, page, { answer: 'save', name: 'Travelling passkey', pin: PIN, log });
      const [held] = await latchkey.listPasskeys('localhost');
      assert.ok(held);
      credentialId = held.credentialId;
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      await manage.getByText(DEMO_EMAIL).first().waitFor();
      // Every kind is offered by its CONTRACT name, for import and export alike.
      const group = section(manage).getByRole('group', { name: 'Kind of file' });
      for (const kind of ['Latchkey backup', 'CXF', 'KeePassXC (KDBX)', 'Bitwarden JSON']) await group.getByRole('radio', { name: kind, exact: true }).waitFor();
      for (const [kind, o] of [['CXF', { wrongPinFirst: true }], ['CXF', { plainCxf: true }], ['KeePassXC (KDBX)', {}], ['Bitwarden JSON', {}], ['Latchkey backup', {}]] as const) {
        const { file, status } = await exportAs(manage, kind, o);
        assert.match(status, /Exported 1 passkey as /);
        const plain = kind === 'Bitwarden JSON' || ('plainCxf' in o && o.plainCxf);
        if (plain) assert.match(status, /not encrypted/);
        exported.push({ kind, file, passphrase: plain ? '' : PASS });
        log(`exported ${kind}${plain ? ' (plain)' : ''}: ${file}`);
      }
      // The encrypted CXF holds no readable key; the plain one is CXF 1.0 with the passkey.
      const sealed = readFileSync(exported[0]!.file, 'utf8');
      assert.match(sealed, /"format": "latchkey-sealed"/);
      assert.ok(!sealed.includes(credentialId));
      const plainCxf = JSON.parse(readFileSync(exported[1]!.file, 'utf8'));
      assert.deepEqual(plainCxf.version, { major: 1, minor: 0 });
      const cred = plainCxf.accounts[0].items[0].credentials[0];
      assert.equal(cred.type, 'passkey');
      assert.equal(cred.credentialId, credentialId);
      assert.equal(cred.rpId, 'localhost');
      assert.equal(cred.username, DEMO_EMAIL);
      // keepassxc-cli, KeePassXC's own reader, shows the passkey attributes.
      ensureKeepassxcCli();
      const kdbx = exported[2]!.file;
      const entry = held.label ?? 'localhost (Passkey)'; // the entry's title: the passkey's name in Latchkey
      const show = (attr: string) => spawnSync('keepassxc-cli', ['show', '-q', '-s', '-a', attr, kdbx, entry], { input: `${PASS}\n`, encoding: 'utf8', env: { ...process.env, QT_QPA_PLATFORM: 'offscreen' } });
      const rpShown = show('KPEX_PASSKEY_RELYING_PARTY');
      assert.equal(rpShown.status, 0, rpShown.stderr);
      assert.equal(rpShown.stdout.trim(), 'localhost');
      assert.equal(show('KPEX_PASSKEY_CREDENTIAL_ID').stdout.trim(), credentialId);
      assert.equal(show('KPEX_PASSKEY_USERNAME').stdout.trim(), DEMO_EMAIL);
      assert.match(show('KPEX_PASSKEY_PRIVATE_KEY_PEM').stdout, /-----BEGIN PRIVATE KEY-----/);
      assert.equal(show('KPEX_PASSKEY_USER_HANDLE').stdout.trim(), held.userHandle);
    } finally {
      await close();
    }
  });

  test('import each file into a new profile: preview, Confirm import, then the passkey signs in', { timeout: 300_000 }, async () => {
    assert.equal(exported.length, 5, 'the export test ran');
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin('2468');
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      const page = await context.newPage();
      for (const { kind, file, passphrase } of exported) {
        await manage.bringToFront();
        const preview = await importFile(manage, kind, file, passphrase);
        assert.match(preview, /holds 1 passkey Latchkey can use, for 1 site/, `${kind}: ${preview}`);
        assert.match(preview, /1 is new/);
        assert.match(preview, /localhost: 1/);
        assert.deepEqual(await latchkey.listPasskeys(), [], 'the preview wrote nothing');
        await section(manage).getByRole('button', { name: 'Confirm import' }).click();
        await section(manage).getByRole('status').filter({ hasText: /Added 1 passkey/ }).waitFor({ timeout: 30_000 });
        const [held] = await latchkey.listPasskeys('localhost');
        assert.equal(held?.credentialId, credentialId, kind);
        // The same file again: nothing new, nothing overwritten; the preview says so.
        const again = await importFile(manage, kind, file, passphrase);
        assert.match(again, /None of them is new/);
        assert.match(again, /already in Latchkey/);
        assert.equal(await section(manage).getByRole('button', { name: 'Confirm import' }).isDisabled(), true);
        await section(manage).getByRole('button', { name: 'Cancel' }).click();
        // A real relying party verifies a sign-in with the imported key.
        await page.bringToFront();
        await page.goto(rp.url);
        const signedIn = await signInWithPasskey(context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, pin: '2468', log });
        assert.match(signedIn.status, /with a passkey/, kind);
        assert.equal((await latchkey.lastCeremony())?.credentialId, credentialId);
        await signOut(page, log);
        log(`${kind}: imported and signed in`);
        await latchkey.clearPasskeys();
      }
    } finally {
      await close();
    }
  });

  test('bad files: wrong passphrase, another kind, junk, 100 MB: an alert, and nothing changes', { timeout: 120_000 }, async () => {
    assert.ok(exported.length > 0);
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin('2468');
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      const kdbx = exported.find((e) => e.kind === 'KeePassXC (KDBX)')!.file;
      const cxf = exported[0]!.file;
      const junk = join(dir, 'junk.json');
      writeFileSync(junk, '{"hello": "not a passkey file"}');
      const huge = join(dir, 'huge.json');
      writeFileSync(huge, Buffer.alloc(100 * 1024 * 1024, 0x7b));
      const cases: [Kind, string, string, RegExp][] = [
        ['KeePassXC (KDBX)', kdbx, 'not the passphrase', /password is wrong/i],
        ['CXF', cxf, 'not the passphrase', /passphrase is wrong/i],
        ['CXF', kdbx, PASS, /looks like a KeePassXC \(KDBX\) file/],
        ['Bitwarden JSON', junk, '', /not a Bitwarden JSON file/],
        ['CXF', huge, '', /too big/],
      ];
      for (const [kind, file, passphrase, message] of cases) {
        const out = await importFile(manage, kind, file, passphrase);
        assert.match(out, /^alert: /, `${kind} ${file}: ${out}`);
        assert.match(out, message);
        assert.match(out, /Nothing was imported/);
      }
      assert.deepEqual(await latchkey.listPasskeys(), []);
    } finally {
      await close();
    }
  });
});

describe('Chromium: a CXF file in another manager\'s shape', { timeout: 300_000 }, () => {
  // CXF forbids exporting a passkey whose counter counts (the site would see it go back), so the
  // passkey comes from the plain CXF Latchkey exported above, rewritten as other exporters write
  // it: no Latchkey extension, the exporter's own header, ids and title, a password item beside it.
  test('without Latchkey\'s extension: imported (synced-passkey defaults), and it signs in', { timeout: 240_000 }, async () => {
    const plain = exported.find((e) => e.kind === 'CXF' && e.passphrase === '');
    assert.ok(plain, 'the export test ran');
    const ours = JSON.parse(readFileSync(plain.file, 'utf8'));
    const passkey = ours.accounts[0].items[0].credentials[0];
    const cxf = {
      version: { major: 1, minor: 0 }, exporterRpId: 'other-manager.example', exporterDisplayName: 'Other Manager', timestamp: Math.floor(Date.now() / 1000),
      accounts: [{ id: 'YWNjb3VudA', username: 'household', email: 'me@example.com', collections: [], items: [
        { id: 'aXRlbTE', creationAt: 1_700_000_000, modifiedAt: 1_700_000_000, title: 'Work account', favorite: true, scope: { urls: [rp.url], androidApps: [] }, credentials: [passkey] },
        { id: 'aXRlbTI', title: 'A password', credentials: [{ type: 'basic-auth', username: { fieldType: 'string', value: 'me' }, password: { fieldType: 'concealed-string', value: 'hunter2' } }] },
      ] }],
    };
    const file = join(dir, 'other-manager.cxf.json');
    writeFileSync(file, JSON.stringify(cxf));
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin('2468');
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      const preview = await importFile(manage, 'CXF', file, '');
      assert.match(preview, /holds 1 passkey Latchkey can use, for 1 site/, preview);
      await section(manage).getByRole('button', { name: 'Confirm import' }).click();
      await section(manage).getByRole('status').filter({ hasText: /Added 1 passkey/ }).waitFor();
      const [held] = await latchkey.listPasskeys('localhost');
      assert.equal(held?.credentialId, credentialId);
      assert.equal(held?.label, 'Work account');
      assert.equal(held?.createdAt, 1_700_000_000_000);
      const page = await context.newPage();
      const signedIn = await signInWithPasskey(context, page, rp.url, { answer: 'account', userName: DEMO_EMAIL, pin: '2468', log });
      assert.match(signedIn.status, /with a passkey/);
      assert.equal((await latchkey.lastCeremony())?.credentialId, credentialId);
    } finally {
      await close();
    }
  });
});

describe('Chromium: a large file', { timeout: 600_000 }, () => {
  test('2,000 passkeys: a progress bar with counts while they are checked, then the preview and the import', { timeout: 480_000 }, async () => {
    const N = 2000;
    const items = Array.from({ length: N }, (_, i) => {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const jwk = privateKey.export({ format: 'jwk' });
      const pub = new Uint8Array([4, ...Buffer.from(jwk.x!, 'base64url'), ...Buffer.from(jwk.y!, 'base64url')]);
      return {
        credentialId: randomBytes(16).toString('base64url'), rpId: `site${i % 250}.example`, userHandle: randomBytes(16).toString('base64url'),
        userName: `user${i}@example.com`, userDisplayName: `User ${i}`, alg: -7, publicKey: Buffer.from(pub).toString('base64url'),
        backupEligible: true, backupState: true, signCount: 0, createdAt: 1_700_000_000_000, lastUsedAt: null, label: null, privateKey: jwk.d!,
      };
    });
    const file = join(dir, 'large.cxf.json');
    writeFileSync(file, serializeCxf(items).file);
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    try {
      await latchkey.setPin('2468');
      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      const s = section(manage);
      await s.getByRole('radio', { name: 'CXF', exact: true }).check();
      await s.getByLabel('Import file').setInputFiles(file);
      await s.getByRole('button', { name: 'Import', exact: true }).click();
      // While the background checks them: a progress bar, and its counts in the status.
      await s.getByRole('progressbar', { name: 'Checking passkeys' }).waitFor({ timeout: 120_000 });
      await s.getByRole('status').filter({ hasText: /Checking passkeys: [\d,]+ of 2,000/ }).waitFor();
      await s.getByText('holds 2,000 passkeys Latchkey can use, for 250 sites').waitFor({ timeout: 240_000 });
      await s.getByRole('button', { name: 'Confirm import' }).click();
      await s.getByRole('status').filter({ hasText: /Added 2,000 passkeys/ }).waitFor({ timeout: 300_000 });
      assert.equal((await latchkey.listPasskeys()).length, N);
    } finally {
      await close();
    }
  });
});

/** Debian's keepassxc-cli, installed with apt-get (as root) on a machine without it. */
export function ensureKeepassxcCli(): void {
  if (spawnSync('keepassxc-cli', ['--version']).status === 0) return;
  if (process.getuid?.() !== 0) throw new Error('keepassxc-cli is missing: apt-get install keepassxc (as root)');
  execFileSync('sh', ['-c', 'apt-get install -y --no-install-recommends keepassxc || (apt-get update && apt-get install -y --no-install-recommends keepassxc)'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}
