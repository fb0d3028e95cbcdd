// Every screen a person sees, light and dark, as the README shows them (docs/screenshots/NAME-SCHEME.png),
// taken while a real ceremony walks through it in Chromium: the ceremony window's choices, PIN
// steps, wrong PIN, notice, error with "Try again" and naming step; the toolbar popup; the manage
// page. Each screen is first checked by its roles and names, so a shot never shows the wrong thing.
// The site is https://shop.example (served by the test, so no port in the picture) and the passkeys
// shown have fixed dates: the same screen gives the same PNG, and a file is rewritten only when
// its picture changed. `npm run screenshots` runs this file alone.
// Then the create and get choices and the manage page in German and French (light only: the
// length of the words is what they show), checked for text running out of the page.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { p256 } from '@noble/curves/nist.js';
import type { BrowserContext, Page } from 'playwright-core';
import { toBase64url } from '../src/core/base64url';
import { clickClosing, fillSessionStorage, nextCeremonyWindow } from './lib/chromium';
import { launchLatchkey, type LatchkeyInChromium } from '../testing/chromium';

const OUT = resolve(import.meta.dirname, '../docs/screenshots');
const SITE = 'https://shop.example';
const PIN = '4827';
const WINDOW = { width: 440, height: 600 };
const shots: string[] = [];

async function shoot(page: Page, name: string, size = WINDOW, schemes: readonly ('light' | 'dark')[] = ['light', 'dark']): Promise<void> {
  await page.setViewportSize(size);
  for (const colorScheme of schemes) {
    await page.emulateMedia({ colorScheme });
    const png = await page.screenshot({ animations: 'disabled', caret: 'hide' });
    const file = resolve(OUT, `${name}-${colorScheme}.png`);
    if (!existsSync(file) || !readFileSync(file).equals(png)) writeFileSync(file, png);
    shots.push(`${name}-${colorScheme}.png`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/**
 * Waits until a PIN screen has its PIN box focused, so both schemes' pictures show the same moment.
 */
async function pinScreenSettled(win: Page): Promise<void> {
  await win.waitForFunction(() => document.activeElement instanceof HTMLInputElement && document.activeElement.type === 'password');
}

/** A passkey with fixed dates (a key from fixed bytes), for the get choice and the manage page. */
function fixedPasskey(n: number, rpId: string, userName: string, userDisplayName: string, createdAt: string, lastUsedAt: string | null, label: string | null = null) {
  const secret = new Uint8Array(32).fill(n);
  return {
    credentialId: toBase64url(new Uint8Array(16).fill(0x40 + n)), rpId, userHandle: toBase64url(new Uint8Array([n])), userName, userDisplayName,
    alg: -7, publicKey: toBase64url(p256.getPublicKey(secret, false)), backupEligible: false, backupState: false, signCount: 0,
    createdAt: Date.parse(createdAt), lastUsedAt: lastUsedAt === null ? null : Date.parse(lastUsedAt), label, privateKey: toBase64url(secret),
  };
}
const PASSKEYS = [
  fixedPasskey(1, 'shop.example', 'ann@shop.example', 'Ann Example', '2025-03-03T12:00:00Z', '2025-06-14T12:00:00Z', 'Work laptop'),
  fixedPasskey(2, 'shop.example', 'ann.orders@shop.example', 'Ann (orders)', '2025-04-10T12:00:00Z', null),
  fixedPasskey(3, 'shop.example', 'family@shop.example', 'The Examples', '2025-05-21T12:00:00Z', '2025-05-30T12:00:00Z'),
  fixedPasskey(4, 'mail.example', 'ann@mail.example', 'Ann Example', '2024-11-02T12:00:00Z', '2025-07-01T12:00:00Z'),
];

function create(page: Page, exclude: string[] = []): Promise<string> {
  return page.evaluate((exclude) => navigator.credentials.create({ publicKey: {
    rp: { name: 'Example Shop' }, user: { id: new Uint8Array([1, 2, 3]), name: 'ann@shop.example', displayName: 'Ann Example' },
    challenge: new Uint8Array(32), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    excludeCredentials: exclude.map((id) => ({ type: 'public-key' as const, id: Uint8Array.from(atob(id.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)) })),
  } }).then((c) => c?.id ?? 'null', (e: Error) => e.name), exclude);
}
function get(page: Page): Promise<string> {
  return page.evaluate(() => navigator.credentials.get({ publicKey: { challenge: new Uint8Array(32) } }).then((c) => c?.id ?? 'null', (e: Error) => e.name));
}

describe('screenshots of every screen, light and dark', { timeout: 180_000 }, () => {
  let lk: LatchkeyInChromium;
  let context: BrowserContext;
  let page: Page;
  let ext: Page;
  const automation = (name: string, args: unknown) => ext.evaluate(([n, a]) => (window as unknown as { latchkeyAutomation: { call(n: string, a: unknown): Promise<unknown> } }).latchkeyAutomation.call(n, a), [name, args] as const);
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    lk = await launchLatchkey();
    context = lk.context;
    await context.route(`${SITE}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Example Shop</title><h1>Example Shop</h1>' }));
    page = await context.newPage();
    await page.goto(`${SITE}/`);
    ext = await context.newPage();
    await ext.goto(`chrome-extension://${lk.extensionId}/automation/automation.html`);
  });
  after(async () => { await lk?.close(); });

  test('saving: the create choice, choosing a PIN, the naming step', async () => {
    const opens = nextCeremonyWindow(context);
    const created = create(page);
    const win = await opens;
    await win.getByRole('button', { name: 'Save passkey' }).waitFor();
    await win.getByText('shop.example', { exact: true }).waitFor();
    await shoot(win, 'create');
    await win.getByRole('button', { name: 'Save passkey' }).click();
    await pinScreenSettled(win);
    await shoot(win, 'set-pin');
    await win.getByLabel('PIN', { exact: true }).fill(PIN);
    await win.getByLabel('Confirm PIN').fill(PIN);
    await win.getByRole('button', { name: 'Set PIN' }).click();
    await win.getByRole('textbox', { name: 'Passkey name' }).waitFor();
    const id = await created;
    await shoot(win, 'saved');
    await clickClosing(win.getByRole('button', { name: 'Done' }));
    // Only passkeys with fixed dates from here on.
    await lk.latchkey.deletePasskey(id);
    assert.deepEqual(await automation('importPasskeys', { items: PASSKEYS }), { added: 4, unchanged: 0, conflicts: 0 });
  });

  test('signing in: the get choice with several passkeys, unlock, a wrong PIN', async () => {
    await lk.latchkey.lock();
    const opens = nextCeremonyWindow(context);
    const got = get(page);
    const win = await opens;
    await win.getByRole('button', { name: 'family@shop.example' }).waitFor();
    assert.equal(await win.getByRole('listitem').count(), 3);
    await shoot(win, 'get');
    await win.getByRole('button', { name: 'ann@shop.example' }).click();
    await pinScreenSettled(win);
    await shoot(win, 'unlock');
    await win.getByLabel('PIN', { exact: true }).fill('0000');
    await win.getByRole('button', { name: 'Unlock' }).click();
    await win.getByRole('alert').waitFor();
    await pinScreenSettled(win);
    await shoot(win, 'wrong-pin');
    // Cancelled, so that no passkey's "last used" date moves (the pictures stay the same).
    await clickClosing(win.getByRole('button', { name: 'Cancel' }));
    assert.equal(await got, 'NotAllowedError');
  });

  test('a notice (already registered here) and an error with "Try again"', async () => {
    let opens = nextCeremonyWindow(context);
    const again = create(page, [PASSKEYS[0]!.credentialId]);
    let win = await opens;
    await win.getByRole('button', { name: 'Save passkey' }).click();
    await win.getByLabel('PIN', { exact: true }).fill(PIN); // still locked
    await win.getByRole('button', { name: 'Unlock' }).click();
    await win.getByRole('button', { name: 'OK' }).waitFor();
    await shoot(win, 'notice');
    await clickClosing(win.getByRole('button', { name: 'OK' }));
    assert.equal(await again, 'InvalidStateError');

    opens = nextCeremonyWindow(context);
    const failing = create(page);
    win = await opens;
    await win.getByRole('button', { name: 'Save passkey' }).waitFor();
    // storage.session full (Chrome's 10 MiB quota), as in window.e2e.test.ts.
    const fill = (full: boolean) => fillSessionStorage(ext, full);
    await fill(true);
    await win.getByRole('button', { name: 'Save passkey' }).click();
    await win.getByRole('button', { name: 'Try again' }).waitFor();
    await shoot(win, 'error');
    await fill(false);
    await clickClosing(win.getByRole('button', { name: 'Cancel' }));
    assert.equal(await failing, 'NotAllowedError');
  });

  test('the toolbar popup and the manage page', async () => {
    const popup = await context.newPage();
    await popup.goto(`chrome-extension://${lk.extensionId}/action/action.html`);
    await popup.getByRole('status').filter({ hasText: 'Latchkey is unlocked.' }).waitFor();
    await shoot(popup, 'toolbar', { width: 320, height: 200 });
    await lk.latchkey.lock();
    const manage = await context.newPage();
    await manage.goto(`chrome-extension://${lk.extensionId}/options/options.html`);
    await manage.getByLabel('PIN', { exact: true }).fill(PIN);
    await manage.getByRole('button', { name: 'Unlock' }).click();
    await manage.getByRole('heading', { name: 'Your passkeys' }).waitFor();
    assert.equal(await manage.locator('[data-credential-id]').count(), 4);
    await manage.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await shoot(manage, 'manage', { width: 900, height: 760 });
    assert.equal(shots.length, 20, 'ten screens, two schemes');
  });
});

/** The words of the few controls the translated walk-through clicks (the rest is checked by looking at the pictures). */
const WORDS = { de: { cancel: 'Abbrechen', heading: 'Ihre Passkeys' }, fr: { cancel: 'Annuler', heading: "Vos clés d'accès" } } as const;

/** No line wider than the page (German words are long): nothing scrolls sideways, no element runs past the right edge. */
async function assertNoOverflow(page: Page, what: string): Promise<void> {
  const over = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways (${document.documentElement.scrollWidth} > ${width})`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > width + 0.5) out.push(`${el.localName}.${el.className}: ${el.textContent?.slice(0, 40)}`);
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'hidden' && !['ellipsis'].includes(getComputedStyle(el).textOverflow)) out.push(`clipped: ${el.localName}.${el.className}`);
    }
    return out;
  });
  assert.deepEqual(over, [], what);
}

for (const lang of ['de', 'fr'] as const) {
  describe(`screenshots in ${lang === 'de' ? 'German' : 'French'}`, { timeout: 120_000 }, () => {
    test('the create and get choices and the manage page', async () => {
      const l = await launchLatchkey({ args: [`--lang=${lang}`], env: { LANGUAGE: lang } });
      try {
        await l.context.route(`${SITE}/**`, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Example Shop</title><h1>Example Shop</h1>' }));
        const site = await l.context.newPage();
        await site.goto(`${SITE}/`);
        const auto = await l.context.newPage();
        await auto.goto(`chrome-extension://${l.extensionId}/automation/automation.html`);
        await l.latchkey.setPin(PIN);
        const call = (name: string, args: unknown) => auto.evaluate(([n, a]) => (window as unknown as { latchkeyAutomation: { call(n: string, a: unknown): Promise<unknown> } }).latchkeyAutomation.call(n, a), [name, args] as const);
        assert.deepEqual(await call('importPasskeys', { items: PASSKEYS }), { added: 4, unchanged: 0, conflicts: 0 });

        let opens = nextCeremonyWindow(l.context);
        const created = create(site);
        let win = await opens;
        await win.locator('button.primary:enabled').waitFor();
        assert.equal(await win.evaluate(() => document.documentElement.lang), lang);
        await shoot(win, `create-${lang}`, WINDOW, ['light']);
        await assertNoOverflow(win, `create, ${lang}`);
        await clickClosing(win.getByRole('button', { name: WORDS[lang].cancel, exact: true }));
        assert.equal(await created, 'NotAllowedError');

        opens = nextCeremonyWindow(l.context);
        const got = get(site);
        win = await opens;
        await win.getByRole('button', { name: 'family@shop.example' }).waitFor();
        await win.locator('button.account:enabled').first().waitFor();
        await shoot(win, `get-${lang}`, WINDOW, ['light']);
        await assertNoOverflow(win, `get, ${lang}`);
        await clickClosing(win.getByRole('button', { name: WORDS[lang].cancel, exact: true }));
        assert.equal(await got, 'NotAllowedError');

        const manage = await l.context.newPage();
        await manage.goto(`chrome-extension://${l.extensionId}/options/options.html`);
        await manage.getByRole('heading', { name: WORDS[lang].heading }).waitFor();
        assert.equal(await manage.locator('[data-credential-id]').count(), 4);
        await manage.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
        await shoot(manage, `manage-${lang}`, { width: 900, height: 760 }, ['light']);
        await assertNoOverflow(manage, `manage, ${lang}`);
      } finally {
        await l.close();
      }
    });
  });
}
