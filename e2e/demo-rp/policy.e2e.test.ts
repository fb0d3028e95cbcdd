// The organisation's passkey policy on the demo relying party (policy.ts), in Chromium and Firefox, through the
// seed flow a person follows ("+ Add sign-in method", "Passkey", "Next", Latchkey's window, "Save
// passkey"). With Latchkey's AAGUID on the allow list and attestation not enforced, the passkey is
// added. With Latchkey not on the list, or with attestation enforced (Latchkey attests "none"), the
// site refuses it with its own message, while Latchkey's side went as it should: the passkey was
// made (lastCeremony "created"), and its window showed no error.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { LATCHKEY_AAGUID_STRING } from '../../src/core/aaguid';
import { launchLatchkey } from '../../testing/chromium';
import { launchLatchkeyFirefox } from '../../testing/firefox';
import { signInWithPassword } from '../flows/chromiumDemoFlow';
import * as ffFlow from '../flows/firefoxDemoFlow';
import { clickClosing, nextCeremonyWindow } from '../lib/chromium';
import { startDemoRp, type DemoRp } from './server';
import type { PasskeyPolicy } from './policy';

const YUBIKEY_5_NFC = 'cb69481e-8ff7-4039-93ec-0a2729a154a8';
const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-policy-'));
const started: DemoRp[] = [];
let n = 0;
async function site(policy: PasskeyPolicy): Promise<DemoRp> {
  const rp = await startDemoRp({ port: 0, dataFile: join(dataDir, `rp${n++}.json`), policy });
  started.push(rp);
  return rp;
}
after(async () => { await Promise.all(started.map((rp) => rp.close())); rmSync(dataDir, { recursive: true, force: true }); });

describe('an organisation\'s passkey policy (AAGUID list, attestation) in Chromium', { timeout: 180_000 }, () => {
  let lk: Awaited<ReturnType<typeof launchLatchkey>>;
  let page: Page;
  before(async () => {
    lk = await launchLatchkey();
    await lk.latchkey.skipPin();
    page = await lk.context.newPage();
  });
  after(async () => { await lk?.close(); });

  /** The seed flow up to the site's answer; returns what the site said ('added' or its error). */
  async function addPasskeyUnder(policy: PasskeyPolicy): Promise<string> {
    const rp = await site(policy);
    await signInWithPassword(page, rp.url, () => {});
    await page.getByRole('button', { name: '+ Add sign-in method' }).click();
    await page.getByRole('button', { name: 'Passkey', exact: true }).click();
    const opens = nextCeremonyWindow(lk.context);
    await page.getByRole('button', { name: 'Next' }).click();
    const win = await opens;
    await clickClosing(win.getByRole('button', { name: 'Save passkey' }));
    // Latchkey's own end: saved, and it offers to name the passkey; nothing in it is an error.
    await win.getByLabel('Passkey name').waitFor();
    assert.equal(await win.getByRole('alert').count(), 0, 'Latchkey\'s window shows no error');
    assert.equal((await lk.latchkey.lastCeremony())?.outcome, 'created', 'Latchkey made the passkey');
    const closed = win.waitForEvent('close');
    await clickClosing(win.getByRole('button', { name: 'Done' }));
    await closed;
    const added = page.getByLabel('Passkey name');
    const error = page.locator('#error');
    await Promise.race([added.waitFor({ timeout: 20_000 }), error.filter({ hasText: /./ }).waitFor({ timeout: 20_000 })]);
    return (await error.isVisible()) ? (await error.textContent()) ?? '' : 'added';
  }

  test('Latchkey\'s AAGUID allowed, attestation not enforced: the passkey is added', async () => {
    assert.equal(await addPasskeyUnder({ keyRestrictions: { behavior: 'allow', aaguids: [YUBIKEY_5_NFC, LATCHKEY_AAGUID_STRING] } }), 'added');
  });

  test('only other providers allowed: the site refuses with its own message', async () => {
    const said = await addPasskeyUnder({ keyRestrictions: { behavior: 'allow', aaguids: [YUBIKEY_5_NFC] } });
    assert.match(said, /does not allow this passkey provider \(AAGUID 2332c610-74c5-48a4-a987-96300ef7cd89\)/);
  });

  test('attestation enforced (even with Latchkey\'s AAGUID allowed): the site refuses, Latchkey attests "none"', async () => {
    const said = await addPasskeyUnder({ enforceAttestation: true, keyRestrictions: { behavior: 'allow', aaguids: [LATCHKEY_AAGUID_STRING] } });
    assert.match(said, /proves its make and model \(attestation\)/);
  });
});

describe('an organisation\'s passkey policy (AAGUID list, attestation) in Firefox', { timeout: 240_000 }, () => {
  let lk: Awaited<ReturnType<typeof launchLatchkeyFirefox>>;
  before(async () => {
    lk = await launchLatchkeyFirefox();
    await lk.latchkey.skipPin();
  });
  after(async () => { await lk?.close(); });

  async function addPasskeyUnder(policy: PasskeyPolicy): Promise<string> {
    const ff = lk.driver;
    const rp = await site(policy);
    await ffFlow.signInWithPassword(ff, rp.url, () => {});
    await ff.clickButton('+ Add sign-in method');
    await ff.clickButton('Passkey');
    const { main, popup } = await ffFlow.openCeremonyWindow(ff, () => ff.clickButton('Next'));
    await ff.clickButton('Save passkey');
    await ff.waitForText('Passkey saved', 20_000);
    assert.equal(await ff.execute<number>('() => document.querySelectorAll(\'[role="alert"]\').length'), 0, 'Latchkey\'s window shows no error');
    assert.equal((await lk.latchkey.lastCeremony())?.outcome, 'created', 'Latchkey made the passkey');
    await ff.clickButton('Done');
    await ffFlow.waitForWindowGone(ff, popup);
    await ff.switchToWindow(main);
    return ffFlow.until('the site\'s answer', () => ff.execute<string | null>(`() => {
      const error = document.getElementById('error');
      if (error && !error.hidden && error.textContent) return error.textContent;
      const name = document.getElementById('passkey-name');
      return name && name.offsetParent !== null ? 'added' : null;
    }`));
  }

  test('Latchkey\'s AAGUID allowed: added; another provider only: refused; attestation enforced: refused', async () => {
    assert.equal(await addPasskeyUnder({ keyRestrictions: { behavior: 'allow', aaguids: [LATCHKEY_AAGUID_STRING] } }), 'added');
    assert.match(await addPasskeyUnder({ keyRestrictions: { behavior: 'allow', aaguids: [YUBIKEY_5_NFC] } }), /does not allow this passkey provider/);
    assert.match(await addPasskeyUnder({ enforceAttestation: true }), /proves its make and model \(attestation\)/);
  });
});
