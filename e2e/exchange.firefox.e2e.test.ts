// Moving passkeys between managers in Firefox ESR (Marionette), as e2e/exchange.e2e.test.ts does
// in Chromium: the manage page offers each kind by its CONTRACT name; a passkey Latchkey made at
// the demo relying party (EdDSA: the site lists it first) is exported as CXF (encrypted and plain),
// KeePassXC (KDBX) and a Latchkey backup, with the PIN asked, imported into a new profile through
// the preview and "Confirm import", and signs in (@simplewebauthn/server verifies it). Bitwarden
// takes P-256 passkeys only, so its export says why it left this one out.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { DEMO_EMAIL, type Log } from './flows/chromiumDemoFlow';
import { addPasskey, signInWithPassword, signInWithPasskey, signOut } from './flows/firefoxDemoFlow';
import { checkIn, chooseFileIn, clickIn, downloadPrefs, fillIn, openManagePage, waitForDownload, waitForStatusIn } from './flows/firefoxManage';
import type { FirefoxDriver } from './lib/firefox';
import { launchLatchkeyFirefox } from '../testing/firefox';

const log: Log = (step) => { if (process.env.E2E_VERBOSE) console.log(`  · ${step}`); };
const dir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-exchange-ff-'));
const PASS = 'exchange passphrase 7';
const PIN = '4826';
const SECTION = 'Backup, import and export';
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dir, { recursive: true, force: true }); });

type Kind = 'Latchkey backup' | 'CXF' | 'KeePassXC (KDBX)' | 'Bitwarden JSON';
const exported: { kind: Kind; file: string; passphrase: string }[] = [];
let credentialId = '';

/** Ticks the checkbox whose label has `text` (firefoxManage's helpers cover radios and text fields). */
async function tick(ff: FirefoxDriver, text: string): Promise<void> {
  const ok = await ff.execute<boolean>(`(text) => {
    const box = [...document.querySelectorAll('input[type="checkbox"]')].find((b) => (b.labels?.[0]?.textContent ?? '').includes(text));
    if (!box) return false;
    if (!box.checked) box.click();
    return box.checked;
  }`, [text]);
  assert.ok(ok, `checkbox "${text}"`);
}

/** The preview's text, or the alert's (prefixed "alert: "), once either shows. */
async function previewOrAlert(ff: FirefoxDriver): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = await ff.execute<string>(`() => {
      const alert = document.querySelector('#backup [role="alert"]');
      if (alert) return 'alert: ' + alert.textContent;
      const h = document.getElementById('preview-h');
      return h ? h.parentElement.textContent : '';
    }`);
    if (text) return text;
    if (Date.now() > deadline) throw new Error('no preview and no alert');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Firefox ESR: moving passkeys between managers', { timeout: 600_000 }, () => {
  test('export each kind by the CONTRACT names, the PIN asked again', { timeout: 240_000 }, async () => {
    const downloads = join(dir, 'downloads');
    mkdirSync(downloads);
    const { driver: ff, latchkey, close } = await launchLatchkeyFirefox({ prefs: downloadPrefs(downloads) });
    try {
      await signInWithPassword(ff, rp.url, log);
      await addPasskey(ff, { answer: 'save', name: 'Travelling passkey', pin: PIN, log });
      const [held] = await latchkey.listPasskeys('localhost');
      assert.ok(held);
      credentialId = held.credentialId;
      await openManagePage(ff);
      await ff.waitForText(DEMO_EMAIL);
      const legs: [Kind, boolean, string][] = [['CXF', false, '.cxf.encrypted.json'], ['CXF', true, '.cxf.json'], ['KeePassXC (KDBX)', false, '.kdbx'], ['Latchkey backup', false, '.json']];
      for (const [kind, plain, suffix] of legs) {
        const legDir = join(dir, `leg-${exported.length}`);
        mkdirSync(legDir);
        await checkIn(ff, SECTION, kind);
        if (plain) {
          await tick(ff, 'Save a plain CXF file, without encryption');
          await ff.waitForText('Warning: this file will not be encrypted.');
        } else {
          await fillIn(ff, SECTION, 'Passphrase', PASS);
          await fillIn(ff, 'Export', 'Confirm passphrase', PASS);
        }
        await clickIn(ff, 'Export', 'Export');
        await fillIn(ff, 'Export', 'PIN', PIN);
        await clickIn(ff, 'Export', 'Unlock');
        await waitForStatusIn(ff, SECTION, [/Exported 1 passkey as /], 60_000);
        const file = await waitForDownload(downloads, suffix);
        // Moved aside, so that the next leg's waitForDownload finds only its own file.
        const moved = join(legDir, basename(file));
        renameSync(file, moved);
        exported.push({ kind, file: moved, passphrase: plain ? '' : PASS });
        log(`exported ${kind}${plain ? ' (plain)' : ''}`);
      }
      // Bitwarden keeps P-256 passkeys only: this EdDSA one is left out, and the page says why.
      await checkIn(ff, SECTION, 'Bitwarden JSON');
      await clickIn(ff, 'Export', 'Export');
      await fillIn(ff, 'Export', 'PIN', PIN);
      await clickIn(ff, 'Export', 'Unlock');
      await waitForStatusIn(ff, SECTION, [/Nothing was exported/, /Ed25519/]);
    } finally {
      await close();
    }
  });

  test('import each file into a new profile: preview, Confirm import, then it signs in', { timeout: 300_000 }, async () => {
    assert.equal(exported.length, 4, 'the export test ran');
    const { driver: ff, latchkey, close } = await launchLatchkeyFirefox();
    try {
      await latchkey.setPin('2468');
      const main = await ff.currentWindow();
      const manage = await openManagePage(ff);
      for (const { kind, file, passphrase } of exported) {
        await ff.switchToWindow(manage);
        await ff.navigate(`${ff.extensionOrigin}/options/options.html`);
        await checkIn(ff, SECTION, kind);
        await chooseFileIn(ff, 'Import', 'Import file', file);
        if (passphrase) await fillIn(ff, SECTION, 'Passphrase', passphrase);
        await clickIn(ff, 'Import', 'Import');
        const preview = await previewOrAlert(ff);
        assert.match(preview, /holds 1 passkey Latchkey can use, for 1 site/, `${kind}: ${preview}`);
        assert.match(preview, /localhost: 1/);
        assert.deepEqual(await latchkey.listPasskeys(), [], 'the preview wrote nothing');
        await clickIn(ff, 'Import', 'Confirm import');
        await waitForStatusIn(ff, SECTION, [/Added 1 passkey/], 30_000);
        assert.equal((await latchkey.listPasskeys('localhost'))[0]?.credentialId, credentialId, kind);
        await ff.switchToWindow(main);
        const signedIn = await signInWithPasskey(ff, rp.url, { answer: 'account', userName: DEMO_EMAIL, pin: '2468', log });
        assert.match(signedIn.status, /with a passkey/, kind);
        assert.equal((await latchkey.lastCeremony())?.credentialId, credentialId);
        await signOut(ff, log);
        await latchkey.clearPasskeys();
        log(`${kind}: imported and signed in`);
      }
      // A wrong passphrase: an alert, nothing imported.
      await ff.switchToWindow(manage);
      await ff.navigate(`${ff.extensionOrigin}/options/options.html`);
      const kdbx = exported.find((e) => e.kind === 'KeePassXC (KDBX)')!;
      await checkIn(ff, SECTION, 'KeePassXC (KDBX)');
      await chooseFileIn(ff, 'Import', 'Import file', kdbx.file);
      await fillIn(ff, SECTION, 'Passphrase', 'not the passphrase');
      await clickIn(ff, 'Import', 'Import');
      assert.match(await previewOrAlert(ff), /^alert: .*password is wrong.*Nothing was imported/);
      assert.deepEqual(await latchkey.listPasskeys(), []);
    } finally {
      await close();
    }
  });
});
