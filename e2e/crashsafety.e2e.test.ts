// Crash safety (docs/SECURITY.md): Chrome may stop Latchkey's service worker at any moment. Here it
// is stopped on purpose (CDP ServiceWorker.stopAllWorkers) at a random point of each operation a
// person starts: create (a site's navigator.credentials.create()), and on the manage page rename,
// delete, import (a Bitwarden export of three passkeys) and PIN change. After each stop the worker
// starts again and:
//   - the vault opens (with exactly one PIN: the old one or the new one);
//   - the passkeys are those before the operation or those after it, nothing in between (a rename
//     has one of the two names, an import all three passkeys or none, a create at most the new one,
//     and always it if the site received it);
//   - every passkey still signs (its private key decrypts under the vault key): no half-written one.
// Seeded (CRASH_SEED, printed), bounded (CRASH_ROUNDS rounds of the five operations).
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { stopServiceWorker } from './lib/chromium';
import { launchLatchkey } from '../testing/chromium';

const SEED = Number(process.env.CRASH_SEED ?? (Date.now() % 2 ** 31));
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 4);
/** mulberry32: a small seeded generator, so a failing run can be replayed with CRASH_SEED. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const b64url = (b: Buffer) => b.toString('base64url');

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-crash-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

type Model = Map<string, { userName: string; label: string | null }>;
const show = (m: Model) => [...m].map(([id, p]) => `${p.userName}=${p.label ?? ''}#${id.slice(0, 6)}`).sort().join(' ');

/** A Bitwarden unencrypted export of `n` fresh ES256 passkeys for localhost. */
function bitwardenFile(tag: string, n: number): { file: string; ids: string[]; users: string[] } {
  const ids: string[] = [];
  const users: string[] = [];
  const items = Array.from({ length: n }, (_, i) => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const id = b64url(randomBytes(16));
    const user = `${tag}-${i}@latchkey.test`; // also the item's name, which the import keeps as the label
    ids.push(id);
    users.push(user);
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, type: 1, name: user, favorite: false,
      login: { username: user, password: null, uris: [{ uri: rp.url }], fido2Credentials: [{
        credentialId: `b64.${id}`, keyType: 'public-key', keyAlgorithm: 'ECDSA', keyCurve: 'P-256',
        keyValue: b64url(privateKey.export({ type: 'pkcs8', format: 'der' })), rpId: 'localhost', userHandle: b64url(randomBytes(16)),
        userName: user, counter: '0', rpName: 'Crash', userDisplayName: user, discoverable: 'true', creationDate: new Date().toISOString(),
      }] },
    };
  });
  const file = join(dataDir, `${tag}.json`);
  writeFileSync(file, JSON.stringify({ encrypted: false, folders: [], items }));
  return { file, ids, users };
}

describe('crash safety: the service worker stopped at random points', { timeout: 300_000 }, () => {
  test(`create, rename, delete, import and PIN change survive a stop anywhere (seed ${SEED})`, async () => {
    console.log(`CRASH_SEED=${SEED} CRASH_ROUNDS=${ROUNDS}`);
    const rand = random(SEED);
    const { context, extensionId, latchkey, close } = await launchLatchkey();
    const stats = { runs: 0, stops: 0, committed: 0, rolledBack: 0, signatures: 0 };
    try {
      let pin = '4827-1593';
      await latchkey.setPin(pin);
      await latchkey.approveAll();
      const site = await context.newPage();
      await site.goto(`${rp.url}/playground`);
      let manage: Page = await context.newPage();
      const openManage = async () => {
        if (!manage.isClosed()) await manage.close();
        manage = await context.newPage();
        await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
        await manage.getByRole('heading', { name: 'Your passkeys' }).waitFor();
      };

      const observe = async (): Promise<Model> => new Map((await latchkey.listPasskeys()).map((p) => [p.credentialId, { userName: p.userName, label: p.label ?? null }]));
      const create = (userName: string) => site.evaluate((u) => navigator.credentials.create({ publicKey: {
        rp: { name: 'Crash' }, user: { id: new TextEncoder().encode(u), name: u, displayName: u },
        challenge: crypto.getRandomValues(new Uint8Array(32)), pubKeyCredParams: [{ type: 'public-key', alg: -7 }] } })
        .then((c) => ({ id: (c as PublicKeyCredential).id }), (e: Error) => ({ error: e.name })), userName);
      /** Every passkey signs: its key decrypts under the vault key the session holds. */
      const signWithEach = async (m: Model) => {
        for (const id of m.keys()) {
          const r = await site.evaluate((id) => navigator.credentials.get({ publicKey: { challenge: crypto.getRandomValues(new Uint8Array(32)), rpId: 'localhost',
            allowCredentials: [{ type: 'public-key', id: Uint8Array.from(atob(id.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)) }] } })
            .then((c) => (c as PublicKeyCredential).id, (e: Error) => `error ${e.name}: ${e.message}`), id);
          assert.equal(r, id, `the passkey ${m.get(id)!.userName} still signs`);
          stats.signatures++;
        }
      };
      /** Stops the worker `ms` after the operation started, as Chrome may at any time. */
      const stopAfter = async (ms: number) => {
        await new Promise((r) => setTimeout(r, ms));
        await stopServiceWorker(site);
        stats.stops++;
      };
      const settle = <T>(p: Promise<T>) => Promise.race([p.catch(() => undefined), new Promise<undefined>((r) => setTimeout(r, 15_000))]);

      for (const [i, u] of ['seed-a', 'seed-b', 'seed-c'].entries()) assert.ok('id' in (await create(`${u}@latchkey.test`)), `passkey ${i} made`);
      let model = await observe();
      await openManage();

      for (let round = 0; round < ROUNDS; round++) {
        for (const op of ['create', 'rename', 'delete', 'import', 'pin'] as const) {
          stats.runs++;
          const before = model;
          let allowed: Model[];
          let mustHave: string | null = null;
          if (op === 'create') {
            const user = `new-${round}@latchkey.test`;
            const made = create(user);
            await stopAfter(Math.floor(rand() * 400));
            const r = await settle(made);
            const now = await observe();
            const added = [...now].filter(([id]) => !before.has(id));
            assert.ok(added.length <= 1 && added.every(([, p]) => p.userName === user), `at most the one new passkey: ${show(now)}`);
            if (r && 'id' in r) mustHave = r.id; // the site got it: it must be there
            allowed = [before, new Map([...before, ...added])];
          } else if (op === 'rename') {
            const [id, p] = [...before][Math.floor(rand() * before.size)]!;
            const label = `name-${round}`;
            await manage.locator(`[data-credential-id="${id}"]`).getByRole('button', { name: /^Rename / }).click();
            await manage.getByLabel('Passkey name').fill(label);
            await manage.keyboard.press('Enter');
            await stopAfter(Math.floor(rand() * 150));
            allowed = [before, new Map([...before, [id, { ...p, label }]])];
          } else if (op === 'delete') {
            const [id] = [...before][Math.floor(rand() * before.size)]!;
            await manage.locator(`[data-credential-id="${id}"]`).getByRole('button', { name: /^Delete / }).click();
            await manage.getByRole('button', { name: 'Delete passkey' }).click();
            await stopAfter(Math.floor(rand() * 150));
            const without = new Map(before);
            without.delete(id);
            allowed = [before, without];
          } else if (op === 'import') {
            const { file, ids, users } = bitwardenFile(`imp-${round}`, 3);
            // The manage page's "Backup, import and export" (docs/CONTRACT.md): the file, its preview
            // (nothing written yet), then Confirm import, which is where the worker is stopped.
            const form = manage.getByRole('region', { name: 'Backup, import and export' });
            await form.getByRole('radio', { name: 'Bitwarden JSON', exact: true }).check();
            await form.getByLabel('Import file').setInputFiles(file);
            await form.getByRole('button', { name: 'Import', exact: true }).click();
            await form.getByRole('button', { name: 'Confirm import' }).click();
            await stopAfter(Math.floor(rand() * 300));
            allowed = [before, new Map([...before, ...ids.map((id, k) => [id, { userName: users[k]!, label: users[k]! }] as const)])];
          } else {
            const next = `pin-${round}-${Math.floor(rand() * 1e6)}`;
            const form = manage.getByRole('region', { name: 'Change PIN' });
            await form.getByLabel('Current PIN').fill(pin);
            await form.getByLabel('New PIN', { exact: true }).fill(next);
            await form.getByLabel('Confirm new PIN').fill(next);
            await form.getByRole('button', { name: 'Change PIN' }).click();
            await stopAfter(Math.floor(rand() * 2500));
            // The vault opens with exactly one of the two PINs (the new one tried first: a change
            // that committed costs no wrong attempt).
            await latchkey.lock();
            const opensWith = async (p: string) => latchkey.setPin(p).then(() => true, () => false);
            const withNew = await opensWith(next);
            const withOld = withNew ? false : await opensWith(pin);
            assert.ok(withNew || withOld, 'the vault opens with the old or the new PIN');
            if (withNew) { pin = next; stats.committed++; } else stats.rolledBack++;
            allowed = [before];
          }
          const now = await observe();
          assert.ok(allowed.some((m) => show(m) === show(now)), `${op} (round ${round}): the vault holds a state before or after it, nothing between.\n  now:     ${show(now)}\n  allowed: ${allowed.map(show).join('\n           ')}`);
          if (mustHave) assert.ok(now.has(mustHave), 'the passkey the site received is saved');
          if (op !== 'pin') { if (show(now) === show(before)) stats.rolledBack++; else stats.committed++; }
          // The vault opens with the PIN, and every passkey signs.
          await latchkey.lock();
          await latchkey.setPin(pin);
          await signWithEach(now);
          model = now;
          // Keep a few passkeys to work on.
          if (model.size < 3) { await create(`refill-${round}-${op}@latchkey.test`); model = await observe(); }
          await openManage();
        }
      }
      console.log(`CRASH_COUNTS ${JSON.stringify(stats)}`);
    } finally {
      await close();
    }
  });
});
