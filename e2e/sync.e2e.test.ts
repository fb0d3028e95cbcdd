// Sync end to end in Chromium: two browser profiles share passkeys through a real Apache httpd
// with mod_dav (e2e/lib/webdav.ts). A passkey saved on profile A signs in on profile B, verified by
// @simplewebauthn/server; renames, sign-ins and deletes converge; the faults a person can meet
// (server down, 507, a tampered file, wrong pairing words, the worker stopped mid-upload) each
// leave every passkey in place and say what happened in plain words, on the manage page.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { Page } from 'playwright-core';
import { startBlankSite } from './conformance/browsers';
import { stopServiceWorker } from './lib/chromium';
import { startWebDav, type Fault, type WebDavServer } from './lib/webdav';
import { launchLatchkey, type LatchkeyInChromium } from '../testing/chromium';
import { p256 } from '@noble/curves/nist.js';

const PIN = '4827';
const RP_ID = 'localhost';
const b64u = (b: Uint8Array) => Buffer.from(b).toString('base64url');

/** Runs in the page: one ceremony; the credential's raw buffers as base64url, or the error. */
const CEREMONY = `async (kind, challenge, userId, allowId) => {
  const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const enc = (buf) => { let s = ''; for (const x of new Uint8Array(buf)) s += String.fromCharCode(x); return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, ''); };
  try {
    if (kind === 'create') {
      const c = await navigator.credentials.create({ publicKey: {
        rp: { name: 'Sync test' }, challenge: dec(challenge),
        user: { id: dec(userId), name: 'sync@latchkey.test', displayName: 'Sync' },
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      } });
      return { id: c.id, rawId: enc(c.rawId), type: c.type, clientExtensionResults: c.getClientExtensionResults(),
        response: { clientDataJSON: enc(c.response.clientDataJSON), attestationObject: enc(c.response.attestationObject), transports: c.response.getTransports() } };
    }
    const c = await navigator.credentials.get({ publicKey: { challenge: dec(challenge), userVerification: 'required', allowCredentials: [{ type: 'public-key', id: dec(allowId) }] } });
    const r = c.response;
    return { id: c.id, rawId: enc(c.rawId), type: c.type, clientExtensionResults: c.getClientExtensionResults(),
      response: { clientDataJSON: enc(r.clientDataJSON), authenticatorData: enc(r.authenticatorData), signature: enc(r.signature), userHandle: r.userHandle ? enc(r.userHandle) : undefined } };
  } catch (e) {
    return { error: e.name + ': ' + e.message };
  }
}`;

async function until(what: string, fn: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function ok<T>(r: unknown): T {
  if (r && typeof r === 'object' && 'error' in r) assert.fail(`the ceremony failed: ${(r as { error: string }).error}`);
  return r as T;
}

let server: WebDavServer;
let site: Awaited<ReturnType<typeof startBlankSite>>;
before(async () => { server = await startWebDav(); site = await startBlankSite(); });
after(async () => { await site?.close(); await server?.close(); });

interface Device extends LatchkeyInChromium { manage: Page; site: Page }

async function device(): Promise<Device> {
  const b = await launchLatchkey();
  await b.latchkey.setPin(PIN);
  await b.latchkey.approveAll();
  const manage = await b.context.newPage();
  await manage.goto(`chrome-extension://${b.extensionId}/options/options.html`);
  await manage.getByRole('heading', { name: 'Sync' }).waitFor();
  const sitePage = await b.context.newPage();
  await sitePage.goto(site.url);
  return { ...b, manage, site: sitePage };
}

const syncSection = (d: Device) => d.manage.locator('section#sync');
const syncStatus = (d: Device) => syncSection(d).getByRole('status');
const syncAlert = (d: Device) => syncSection(d).getByRole('alert');

async function fillServer(d: Device, folder: string, password = server.appPassword): Promise<void> {
  const s = syncSection(d);
  await s.getByLabel('Server URL').fill(`${server.folderUrl}${folder}/`);
  await s.getByLabel('User name').fill(server.userName);
  await s.getByLabel('App password').fill(password);
}

async function turnOn(d: Device, folder: string): Promise<string> {
  await fillServer(d, folder);
  await syncSection(d).getByRole('button', { name: 'Turn on sync' }).click();
  const words = syncSection(d).getByRole('textbox', { name: 'Pairing words' });
  await d.manage.waitForFunction(() => {
    const t = document.querySelector<HTMLTextAreaElement>('#sync-pairing');
    return t?.readOnly && t.value.split(' ').length === 17;
  }, null, { timeout: 30_000 });
  await syncStatus(d).filter({ hasText: 'Synced' }).waitFor({ timeout: 60_000 });
  return words.inputValue();
}

async function join(d: Device, folder: string, words: string): Promise<void> {
  await fillServer(d, folder);
  await syncSection(d).getByLabel('Pairing words').fill(words);
  await syncSection(d).getByRole('button', { name: 'Join' }).click();
  await syncStatus(d).filter({ hasText: 'Synced' }).waitFor({ timeout: 60_000 });
}

/** Sync now, and wait for this run's "Synced" (the time in the line changes, or the alert shows). */
async function syncNow(d: Device): Promise<void> {
  const before = await syncStatus(d).innerText();
  await syncSection(d).getByRole('button', { name: 'Sync now' }).click();
  await d.manage.waitForFunction((b) => {
    const s = document.querySelector('#sync [role=status]')?.textContent ?? '';
    return (s.includes('Synced') && s !== b) || document.querySelector('#sync [role=alert]');
  }, before, { timeout: 60_000 });
  // Two runs within the same second read alike: the background's answer is what counts.
  await manageRequest(d, { type: 'sync/now' });
  await syncStatus(d).filter({ hasText: 'Synced' }).waitFor({ timeout: 60_000 });
}

/** A manage-page request, as the page's own buttons send it (sender: the manage page). */
function manageRequest(d: Device, msg: object): Promise<{ ok: boolean; error?: string }> {
  return d.manage.evaluate((m) => (globalThis as unknown as { chrome: { runtime: { sendMessage(x: unknown): Promise<{ ok: boolean; error?: string }> } } }).chrome.runtime.sendMessage(m), msg);
}

describe('sync between two Chromium profiles over Apache mod_dav', { timeout: 300_000 }, () => {
  test('saved on A, signs in on B (verified by @simplewebauthn/server); rename, sign-in and delete converge; runs on change and on unlock', async () => {
    const a = await device();
    const b = await device();
    try {
      const userId = b64u(randomBytes(16));
      const regChallenge = b64u(randomBytes(32));
      const reg = ok<{ id: string; rawId: string }>(await a.site.evaluate(`(${CEREMONY})('create', ${JSON.stringify(regChallenge)}, ${JSON.stringify(userId)})`));
      const v = await verifyRegistrationResponse({ response: reg as never, expectedChallenge: regChallenge, expectedOrigin: new URL(site.url).origin, expectedRPID: RP_ID, requireUserVerification: true });
      assert.equal(v.verified, true);
      const stored = { ...v.registrationInfo.credential };
      assert.equal(server.requests.length, 0, 'with sync off, Latchkey made no request');

      const words = await turnOn(a, 'shared');
      assert.match(words, /^([a-z]+ ){16}[a-z]+$/);
      assert.ok(await syncSection(a).locator('img[alt="QR code of the pairing words"]').isVisible());
      // The toolbar popup says it too.
      const popup = await a.context.newPage();
      await popup.goto(`chrome-extension://${a.extensionId}/action/action.html`);
      await popup.getByTestId('sync-line').filter({ hasText: 'Sync: Synced at' }).waitFor();
      await popup.close();
      await join(b, 'shared', words);
      assert.ok(server.requests.every((r) => r.path.startsWith('/dav/shared')), 'every request went to the configured folder');
      const onB = (await b.latchkey.listPasskeys(RP_ID)).find((p) => p.credentialId === reg.rawId);
      assert.ok(onB, 'the passkey arrived on B');
      const onA = (await a.latchkey.listPasskeys(RP_ID))[0]!;
      assert.deepEqual([onB.backupEligible, onB.backupState], [onA.backupEligible, onA.backupState], 'BE and BS as on A (§6.1.3)');

      // B signs in with A's passkey: the relying party verifies it against A's registration.
      const challenge = b64u(randomBytes(32));
      const assertion = ok<{ rawId: string }>(await b.site.evaluate(`(${CEREMONY})('get', ${JSON.stringify(challenge)}, null, ${JSON.stringify(reg.rawId)})`));
      const va = await verifyAuthenticationResponse({ response: assertion as never, expectedChallenge: challenge, expectedOrigin: new URL(site.url).origin, expectedRPID: RP_ID, credential: stored, requireUserVerification: true });
      assert.equal(va.verified, true, '@simplewebauthn/server verifies B\'s sign-in with A\'s passkey');
      assert.equal(va.authenticationInfo.credentialBackedUp, onA.backupState);

      // Created while sync is on: backup eligible and backed up (§6.1.3), on both devices, for good.
      const regChallenge2 = b64u(randomBytes(32));
      const reg2 = ok<{ rawId: string }>(await a.site.evaluate(`(${CEREMONY})('create', ${JSON.stringify(regChallenge2)}, ${JSON.stringify(b64u(randomBytes(16)))})`));
      const v2 = await verifyRegistrationResponse({ response: reg2 as never, expectedChallenge: regChallenge2, expectedOrigin: new URL(site.url).origin, expectedRPID: RP_ID, requireUserVerification: true });
      assert.equal(v2.verified, true);
      assert.deepEqual([v2.registrationInfo!.credentialDeviceType, v2.registrationInfo!.credentialBackedUp], ['multiDevice', true]);
      assert.deepEqual([v.registrationInfo.credentialDeviceType, v.registrationInfo.credentialBackedUp], ['singleDevice', false], 'the one from before sync keeps BE=0');
      await syncNow(a); await syncNow(b);
      const challenge2 = b64u(randomBytes(32));
      const assertion2 = ok<{ rawId: string }>(await b.site.evaluate(`(${CEREMONY})('get', ${JSON.stringify(challenge2)}, null, ${JSON.stringify(reg2.rawId)})`));
      const va2 = await verifyAuthenticationResponse({ response: assertion2 as never, expectedChallenge: challenge2, expectedOrigin: new URL(site.url).origin, expectedRPID: RP_ID, credential: v2.registrationInfo!.credential, requireUserVerification: true });
      assert.deepEqual([va2.verified, va2.authenticationInfo.credentialDeviceType, va2.authenticationInfo.credentialBackedUp], [true, 'multiDevice', true]);
      assert.equal((await manageRequest(a, { type: 'manage/delete', credentialId: reg2.rawId })).ok, true);
      await syncNow(a); await syncNow(b);

      // A renames while B's sign-in (its "last used") is not yet synced: both survive.
      assert.deepEqual(await manageRequest(a, { type: 'manage/rename', credentialId: reg.rawId, label: 'Renamed on A' }), { ok: true, value: null });
      await syncNow(b); await syncNow(a); await syncNow(b);
      const [pa, pb] = [(await a.latchkey.listPasskeys(RP_ID))[0]!, (await b.latchkey.listPasskeys(RP_ID))[0]!];
      assert.equal(pa.label, 'Renamed on A');
      assert.equal(pb.label, 'Renamed on A');
      assert.ok(pa.lastUsedAt !== null && pa.lastUsedAt === pb.lastUsedAt, 'B\'s sign-in date reached A');

      // Runs on its own: on a change (A renames again, nobody clicks), and on unlock (B was locked meanwhile).
      await b.latchkey.lock();
      const status = async (d: Device) => ((await manageRequest(d, { type: 'sync/status' })) as unknown as { value: { lastSyncAt: number | null; state: string } }).value;
      const before = (await status(a)).lastSyncAt ?? 0;
      assert.equal((await manageRequest(a, { type: 'manage/rename', credentialId: reg.rawId, label: 'Synced by itself' })).ok, true);
      await until('A to sync the rename by itself', async () => { const s = await status(a); return s.state === 'synced' && (s.lastSyncAt ?? 0) > before; });
      assert.equal((await b.latchkey.listPasskeys(RP_ID))[0]!.label, 'Renamed on A', 'B is locked: it has not synced yet');
      await b.latchkey.setPin(PIN); // unlocks
      await until('B to sync by itself once unlocked', async () => (await b.latchkey.listPasskeys(RP_ID))[0]!.label === 'Synced by itself');

      // B deletes it: gone on A too.
      assert.equal((await manageRequest(b, { type: 'manage/delete', credentialId: reg.rawId })).ok, true);
      await syncNow(b); await syncNow(a);
      assert.deepEqual(await a.latchkey.listPasskeys(RP_ID), []);
      assert.ok(server.requests.every((r) => r.path.startsWith('/dav/shared')), 'Latchkey talked to nothing else');

      // And the extension pages' CSP refuses plain http to anywhere else.
      const refused = await a.manage.evaluate(() => fetch('http://192.0.2.1/').then(() => 'fetched', (e: Error) => e.name));
      assert.equal(refused, 'TypeError');
    } finally {
      await a.close(); await b.close();
    }
  });

  test('faults: wrong pairing words, server down, 507, a tampered file, a stopped worker: clear words, nothing lost', async () => {
    const a = await device();
    const b = await device();
    try {
      // 40 passkeys (known keys), so the first upload takes long enough to stop the worker in it.
      for (let i = 0; i < 40; i++) {
        await a.latchkey.addPasskey({ rpId: RP_ID, credentialId: b64u(randomBytes(16)), userHandle: b64u(randomBytes(8)), userName: `user${i}@latchkey.test`, privateKey: b64u(p256.utils.randomSecretKey()) });
      }
      // A wrong app password: Apache's 401, in words; sync stays off.
      await fillServer(a, 'faults', 'not-the-app-password');
      await syncSection(a).getByRole('button', { name: 'Turn on sync' }).click();
      await syncAlert(a).filter({ hasText: 'did not accept the user name or app password (401)' }).waitFor();
      await fillServer(a, 'faults');
      server.setPutDelay(100);
      await syncSection(a).getByRole('button', { name: 'Turn on sync' }).click();
      // The worker is stopped in the middle of the first upload; the next run resumes from its state.
      let seen: { done: number; total: number } | null = null;
      for (let i = 0; i < 400 && !seen; i++) {
        const st = await manageRequest(a, { type: 'sync/status' }) as unknown as { value: { progress: { phase: string; done: number; total: number } | null } };
        const p = st.value.progress;
        if (p?.phase === 'upload' && p.done >= 8) seen = p; else await new Promise((r) => setTimeout(r, 25));
      }
      assert.ok(seen && seen.done < seen.total, `stopped mid-upload (${JSON.stringify(seen)})`);
      await stopServiceWorker(a.manage);
      server.setPutDelay(0);
      assert.ok(server.files().filter((f) => f.startsWith('faults/r/')).length < 40, 'the upload was cut short');
      await a.manage.reload();
      await syncSection(a).getByRole('button', { name: 'Sync now' }).click();
      await syncStatus(a).filter({ hasText: 'Synced' }).waitFor({ timeout: 60_000 });
      const recordFiles = () => server.files().filter((f) => f.startsWith('faults/r/'));
      assert.equal(recordFiles().length, 40, 'one file per passkey: none twice, none missing');
      const words = await syncSection(a).getByRole('textbox', { name: 'Pairing words' }).inputValue();

      // Wrong words (a valid checksum, another secret): refused by the server's key file, nothing joined.
      const other = (await import('../src/sync/words')).encodePairingWords(new Uint8Array(16).fill(9));
      await fillServer(b, 'faults');
      await syncSection(b).getByLabel('Pairing words').fill(other);
      await syncSection(b).getByRole('button', { name: 'Join' }).click();
      await syncAlert(b).filter({ hasText: 'These pairing words do not unlock the sync data on this server' }).waitFor();
      await join(b, 'faults', words);
      assert.equal((await b.latchkey.listPasskeys()).length, 40);

      const faults: [Fault, string][] = [[{ answer: 'down' }, 'could not be reached'], [{ answer: 507, methods: ['PUT'] }, 'The sync server is full (507 Insufficient Storage)']];
      for (const [fault, words_] of faults) {
        const first = (await a.latchkey.listPasskeys())[0]!;
        await manageRequest(a, { type: 'manage/rename', credentialId: first.credentialId, label: `edited while ${fault.answer}` });
        server.setFault(fault);
        try {
          await syncSection(a).getByRole('button', { name: 'Sync now' }).click();
          await syncAlert(a).filter({ hasText: words_ }).waitFor({ timeout: 60_000 });
        } finally { server.setFault(null); }
        assert.equal((await a.latchkey.listPasskeys()).length, 40);
        await syncNow(a); await syncNow(b);
        assert.equal((await b.latchkey.listPasskeys()).find((p) => p.credentialId === first.credentialId)?.label, `edited while ${fault.answer}`, 'caught up');
      }

      // Someone holding the server changes the root file: refused, B's passkeys stay.
      const rootFile = joinPath(server.root, 'faults', 'root');
      const original = readFileSync(rootFile);
      const tampered = Buffer.from(original); tampered[tampered.length - 1]! ^= 1;
      writeFileSync(rootFile, tampered);
      await syncSection(b).getByRole('button', { name: 'Sync now' }).click();
      await syncAlert(b).filter({ hasText: 'failed its integrity check and was refused' }).waitFor({ timeout: 60_000 });
      assert.equal((await b.latchkey.listPasskeys()).length, 40);
      writeFileSync(rootFile, original);
      await syncNow(b);
    } finally {
      await a.close(); await b.close();
    }
  });
});

describe('sync from Chromium to Firefox over Apache mod_dav', { timeout: 300_000 }, () => {
  test('saved in Chromium, joined and signed in on Firefox (verified by @simplewebauthn/server)', async () => {
    const { launchLatchkeyFirefox } = await import('../testing/firefox');
    const { openManagePage, fillIn, clickIn, waitForStatusIn } = await import('./flows/firefoxManage');
    const a = await device();
    const ff = await launchLatchkeyFirefox();
    try {
      const userId = b64u(randomBytes(16));
      const regChallenge = b64u(randomBytes(32));
      const reg = ok<{ rawId: string }>(await a.site.evaluate(`(${CEREMONY})('create', ${JSON.stringify(regChallenge)}, ${JSON.stringify(userId)})`));
      const v = await verifyRegistrationResponse({ response: reg as never, expectedChallenge: regChallenge, expectedOrigin: new URL(site.url).origin, expectedRPID: RP_ID, requireUserVerification: true });
      assert.equal(v.verified, true);
      const words = await turnOn(a, 'firefox');

      await ff.latchkey.setPin(PIN);
      await ff.latchkey.approveAll();
      await openManagePage(ff.driver);
      await fillIn(ff.driver, 'Sync', 'Server URL', `${server.folderUrl}firefox/`);
      await fillIn(ff.driver, 'Sync', 'User name', server.userName);
      await fillIn(ff.driver, 'Sync', 'App password', server.appPassword);
      await fillIn(ff.driver, 'Sync', 'Pairing words', words);
      await clickIn(ff.driver, 'Sync', 'Join');
      await waitForStatusIn(ff.driver, 'Sync', [/Synced/], 60_000);
      const onFirefox = (await ff.latchkey.listPasskeys(RP_ID)).find((p) => p.credentialId === reg.rawId);
      assert.ok(onFirefox, 'the passkey arrived in Firefox');

      await ff.driver.navigate(site.url);
      const challenge = b64u(randomBytes(32));
      const assertion = ok<{ rawId: string }>(await ff.driver.executeAsync(CEREMONY, ['get', challenge, null, reg.rawId]));
      const va = await verifyAuthenticationResponse({
        response: assertion as never, expectedChallenge: challenge, expectedOrigin: new URL(site.url).origin, expectedRPID: RP_ID,
        credential: v.registrationInfo!.credential, requireUserVerification: true,
      });
      assert.equal(va.verified, true, '@simplewebauthn/server verifies the Firefox sign-in with the passkey saved in Chromium');
    } finally {
      await ff.close(); await a.close();
    }
  });
});
