// Latchkey in the person's language, in real browsers (docs/I18N.md): the ceremony window and the
// manage page in German in Chromium, in French in Firefox ESR, and a passkey still made through
// the translated window. The browsers' own locale data comes from Debian's chromium-l10n and
// firefox-esr-l10n-fr (scripts/debianPackages.mjs): without it both stay in English.
//
// Chromium on Linux takes its UI language, which extensions' _locales follow, from LANGUAGE (not
// --lang, passed too for other systems). Firefox takes it from intl.locale.requested, when the
// language pack is installed (Debian puts it among the application's own add-ons).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoRp, type DemoRp } from './demo-rp/server';
import { clickClosing, nextCeremonyWindow } from './lib/chromium';
import { openCeremonyWindow, until, waitForWindowGone } from './flows/firefoxDemoFlow';
import { launchLatchkey } from '../testing/chromium';
import { launchLatchkeyFirefox } from '../testing/firefox';

const dataDir = mkdtempSync(join(tmpdir(), 'latchkey-e2e-i18n-'));
let rp: DemoRp;
before(async () => { rp = await startDemoRp({ port: 0, dataFile: join(dataDir, 'rp.json') }); });
after(async () => { await rp?.close(); rmSync(dataDir, { recursive: true, force: true }); });

/** A create() in the page, its outcome kept on window.__outcome (read later: the window is driven meanwhile). */
const START_CREATE = `() => {
  window.__outcome = null;
  navigator.credentials.create({ publicKey: {
    rp: { name: 'I18n' }, user: { id: crypto.getRandomValues(new Uint8Array(8)), name: 'ada@latchkey.test', displayName: 'Ada' },
    challenge: crypto.getRandomValues(new Uint8Array(32)), pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
    authenticatorSelection: { residentKey: 'required' } } })
    .then((c) => { window.__outcome = { id: c.id }; }, (e) => { window.__outcome = { error: e.name }; });
}`;

describe('in German (Chromium)', { timeout: 120_000 }, () => {
  test('the ceremony window and the manage page speak German, and a passkey is saved', async () => {
    const { context, extensionId, latchkey, close } = await launchLatchkey({ args: ['--lang=de'], env: { LANGUAGE: 'de', LANG: 'de_DE.UTF-8' } });
    try {
      await latchkey.setPin('4827');
      const page = await context.newPage();
      await page.goto(`${rp.url}/playground`);
      assert.match(await page.evaluate(() => navigator.language), /^de\b/, 'Chromium runs in German (chromium-l10n installed?)');
      const opening = nextCeremonyWindow(context);
      await page.evaluate(`(${START_CREATE})()`);
      const win = await opening;
      await win.getByRole('heading', { name: 'Passkey für localhost speichern?' }).waitFor();
      assert.equal(await win.evaluate(() => document.documentElement.lang), 'de');
      await win.getByRole('button', { name: 'Anderes Gerät oder Sicherheitsschlüssel verwenden' }).waitFor();
      await win.getByRole('button', { name: 'Abbrechen' }).waitFor();
      await win.getByRole('button', { name: 'Passkey speichern' }).click();
      await win.getByRole('heading', { name: 'Passkey gespeichert' }).waitFor();
      await win.getByLabel('Name des Passkeys').waitFor();
      await clickClosing(win.getByRole('button', { name: 'Fertig' }));
      await page.waitForFunction(() => (window as unknown as { __outcome: unknown }).__outcome !== null);
      const outcome = await page.evaluate(() => (window as unknown as { __outcome: { id?: string; error?: string } }).__outcome);
      assert.ok(outcome.id, `the page got a passkey: ${JSON.stringify(outcome)}`);

      const manage = await context.newPage();
      await manage.goto(`chrome-extension://${extensionId}/options/options.html`);
      await manage.getByRole('heading', { name: 'Latchkey verwalten' }).waitFor();
      await manage.getByRole('heading', { name: 'Ihre Passkeys' }).waitFor();
      assert.equal(await manage.title(), 'Latchkey: Passkeys verwalten');
      assert.match(await manage.locator('.summary').innerText(), /^1 Passkey auf 1 Website\./);
      assert.match(await manage.locator('.dates').first().innerText(), /^Erstellt am \d{1,2}\. \S+ \d{4} · Nie verwendet$/);
      await manage.getByRole('button', { name: 'Jetzt sperren' }).waitFor();
      await manage.getByRole('button', { name: 'Synchronisierung einschalten' }).waitFor();
    } finally {
      await close();
    }
  });
});

describe('in French (Firefox ESR)', { timeout: 180_000 }, () => {
  test('the ceremony window and the manage page speak French, and a passkey is saved', async () => {
    const lk = await launchLatchkeyFirefox({ prefs: { 'intl.locale.requested': 'fr', 'extensions.autoDisableScopes': 0 } });
    const ff = lk.driver;
    try {
      await lk.latchkey.skipPin();
      await ff.navigate(`${rp.url}/playground`);
      const { main, popup } = await openCeremonyWindow(ff, () => ff.execute(START_CREATE).then(() => undefined));
      await ff.waitForText("Enregistrer une clé d'accès pour localhost");
      assert.equal(await ff.execute<string>('() => document.documentElement.lang'), 'fr');
      await ff.waitForText('Utiliser un autre appareil ou une clé de sécurité');
      await ff.clickButton("Enregistrer la clé d'accès");
      await ff.waitForText("Clé d'accès enregistrée");
      await ff.clickButton('Terminé');
      await waitForWindowGone(ff, popup);
      await ff.switchToWindow(main);
      const outcome = await until('the page\'s promise to settle', () => ff.execute<{ id?: string; error?: string } | null>('() => window.__outcome'));
      assert.ok(outcome.id, `the page got a passkey: ${JSON.stringify(outcome)}`);

      await ff.navigate(`${ff.extensionOrigin}/options/options.html`);
      await ff.waitForText('Gérer Latchkey');
      await ff.waitForText("Vos clés d'accès");
      const summary = await ff.textOf('.summary');
      assert.match(summary, /^1 clé d'accès sur 1 site\./);
      await ff.waitForText('Activer la synchronisation');
    } finally {
      await lk.close();
    }
  });
});
