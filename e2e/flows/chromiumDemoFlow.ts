// The seed flow on the demo relying party, driven in Chromium as a person would: by roles and
// names (CONTRACT.md). Shared by the end-to-end suite and by `npm start` (its headless transcript).
import type { BrowserContext, Page } from 'playwright-core';
import { clickClosing, nextCeremonyWindow, shownOrClosed } from '../lib/chromium';

export const DEMO_EMAIL = 'demo@latchkey.test';
export const DEMO_PASSWORD = 'correct horse battery staple';
export const DEMO_PIN = '4827';

export type Log = (step: string) => void;

/** How the ceremony window is answered; 'automation' means no window opens (Latchkey's test automation answers). */
export type WindowAnswer = 'save' | 'hand-over' | 'cancel' | 'automation';

export async function signInWithPassword(page: Page, baseUrl: string, log: Log): Promise<void> {
  await page.goto(baseUrl);
  log(`opened ${baseUrl}`);
  await page.getByLabel('Email').fill(DEMO_EMAIL);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Security info' }).waitFor();
  log(`signed in with the password as ${DEMO_EMAIL}; "Security info" is open`);
}

/** Enters the PIN on whichever PIN screen the window shows (set-up or unlock); says which. */
async function answerPin(win: Page, pin: string, log: Log): Promise<'set-pin' | 'unlock' | 'none'> {
  const setPin = win.getByRole('button', { name: 'Set PIN' });
  const unlock = win.getByRole('button', { name: 'Unlock' });
  const which = await Promise.race([
    shownOrClosed(win, setPin, 'set-pin'),
    shownOrClosed(win, unlock, 'unlock'),
    // A create() with no PIN step goes straight to "Passkey saved".
    shownOrClosed(win, win.getByRole('button', { name: 'Save name' }), 'saved'),
  ]);
  if (which === 'set-pin') {
    await win.getByLabel('PIN', { exact: true }).fill(pin);
    await win.getByLabel('Confirm PIN').fill(pin);
    await clickClosing(setPin);
    log('Latchkey asked to choose a PIN (first use): set it');
    return 'set-pin';
  }
  if (which === 'unlock') {
    await win.getByLabel('PIN', { exact: true }).fill(pin);
    await clickClosing(unlock);
    log('Latchkey asked for its PIN: entered it');
    return 'unlock';
  }
  return 'none';
}

export interface AddPasskeyResult { pinStep: 'set-pin' | 'unlock' | 'none'; name: string }

/** "+ Add sign-in method" -> "Passkey" -> "Next" -> the window -> name it -> "Done". */
export async function addPasskey(context: BrowserContext, page: Page, o: { answer: WindowAnswer; name: string; pin?: string; log: Log }): Promise<AddPasskeyResult> {
  const { log } = o;
  await page.getByRole('button', { name: '+ Add sign-in method' }).click();
  await page.getByRole('button', { name: 'Passkey', exact: true }).click();
  const windowOpens = o.answer === 'automation' ? null : nextCeremonyWindow(context);
  await page.getByRole('button', { name: 'Next' }).click();
  log('chose "+ Add sign-in method", "Passkey", "Next": the site called navigator.credentials.create()');
  if (!windowOpens) return finishNaming(page, o.name, 'none', log);
  const win = await windowOpens;
  const rpId = new URL(page.url()).hostname;
  await win.getByText(rpId).first().waitFor();
  log(`Latchkey's window asks where to save the passkey for ${rpId}`);
  let pinStep: AddPasskeyResult['pinStep'] = 'none';
  if (o.answer === 'save') {
    await clickClosing(win.getByRole('button', { name: 'Save passkey' }));
    log('clicked "Save passkey"');
    pinStep = await answerPin(win, o.pin ?? DEMO_PIN, log);
    await keepSuggestedName(win, log);
  } else if (o.answer === 'hand-over') {
    await clickClosing(win.getByRole('button', { name: 'Use another device or security key' }));
    log('clicked "Use another device or security key": the browser takes over');
  } else {
    await clickClosing(win.getByRole('button', { name: 'Cancel' }));
    log('clicked "Cancel"');
    return { pinStep, name: '' };
  }
  return finishNaming(page, o.name, pinStep, log);
}

/**
 * After saving, Latchkey's window offers to name the passkey (the page already has it): "Done"
 * keeps the suggested name (the user name) and closes the window. Returns that suggestion.
 */
export async function keepSuggestedName(win: Page, log: Log): Promise<string> {
  const box = win.getByLabel('Passkey name');
  await box.waitFor();
  const suggested = await box.inputValue();
  const closed = win.waitForEvent('close');
  await clickClosing(win.getByRole('button', { name: 'Done' }));
  await closed;
  log(`Latchkey saved the passkey and offered to name it ("${suggested}"): clicked "Done"`);
  return suggested;
}

async function finishNaming(page: Page, name: string, pinStep: AddPasskeyResult['pinStep'], log: Log): Promise<AddPasskeyResult> {
  const nameBox = page.getByLabel('Passkey name');
  await nameBox.waitFor({ timeout: 20_000 });
  await nameBox.fill(name);
  await page.getByRole('button', { name: 'Done' }).click();
  await page.getByTestId('methods').getByText(name).waitFor();
  log(`the site verified the new passkey; named it "${name}" and clicked "Done"`);
  return { pinStep, name };
}

export async function signOut(page: Page, log: Log): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  log('signed out');
}

export interface PasskeySignInResult { pinStep: 'set-pin' | 'unlock' | 'none'; status: string; windowShown: boolean }

/** "Sign-in options" -> "Sign in with a passkey" (no username typed) -> the window -> signed in. */
export async function signInWithPasskey(context: BrowserContext, page: Page, baseUrl: string, o: { answer: 'account' | 'hand-over' | 'automation'; userName?: string; pin?: string; log: Log }): Promise<PasskeySignInResult> {
  const { log } = o;
  if (!page.url().startsWith(baseUrl)) await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Sign-in options' }).click();
  const windowOpens = o.answer === 'automation' ? null : nextCeremonyWindow(context);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  log('chose "Sign-in options", "Sign in with a passkey": the site called navigator.credentials.get()');
  let pinStep: PasskeySignInResult['pinStep'] = 'none';
  if (windowOpens) {
    const win = await windowOpens;
    if (o.answer === 'account') {
      const user = o.userName ?? DEMO_EMAIL;
      await clickClosing(win.getByRole('button', { name: user }));
      log(`Latchkey's window lists the passkeys for this site: chose ${user}`);
      pinStep = await answerPin(win, o.pin ?? DEMO_PIN, log);
    } else {
      await clickClosing(win.getByRole('button', { name: 'Use another device or security key' }));
      log('clicked "Use another device or security key": the browser takes over');
    }
  }
  const status = page.getByTestId('status').filter({ hasText: 'with a passkey' });
  await status.waitFor({ timeout: 20_000 });
  const text = (await status.textContent())?.trim() ?? '';
  log(`the site verified the passkey: "${text}"`);
  return { pinStep, status: text, windowShown: windowOpens !== null };
}
