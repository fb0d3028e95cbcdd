// The seed flow on the demo relying party, driven in Firefox ESR over Marionette (e2e/lib/firefox),
// by the same names a person reads (CONTRACT.md). Marionette runs one command at a time, so a page's
// WebAuthn call is started by a click (or a sync script) and its outcome read afterwards.
import type { FirefoxDriver } from '../lib/firefox';
import { DEMO_EMAIL, DEMO_PASSWORD, DEMO_PIN, type Log, type WindowAnswer } from './chromiumDemoFlow';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls a condition (the driver gives no event for a closing window or a settled promise). */
export async function until<T>(what: string, fn: () => Promise<T | null | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null && v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Runs `action` (which makes the page call WebAuthn) and switches to the ceremony window it opens. */
export async function openCeremonyWindow(ff: FirefoxDriver, action: () => Promise<void>): Promise<{ main: string; popup: string }> {
  const main = await ff.currentWindow();
  const before = await ff.windowHandles();
  await action();
  const popup = await ff.waitForNewWindow(before, 15_000);
  await ff.switchToWindow(popup);
  await until('the ceremony window to load', async () =>
    (await ff.url().catch(() => '')).includes('/popup/ceremony.html') ? true : null);
  return { main, popup };
}

/** Which PIN screen the window shows after a choice, or that it closed; enters the PIN. */
export async function answerPin(ff: FirefoxDriver, popup: string, pin: string, log: Log): Promise<'set-pin' | 'unlock' | 'none'> {
  const which = await until('a PIN screen or the window closing', async () => {
    if (!(await ff.windowHandles()).includes(popup)) return 'none' as const;
    const found = await ff.execute<string | null>(`() => {
      const names = [...document.querySelectorAll('button')].map((b) => b.textContent.trim());
      return names.includes('Set PIN') ? 'set-pin' : names.includes('Unlock') ? 'unlock' : names.includes('Save name') ? 'saved' : null;
    }`).catch(() => null);
    // A create() with no PIN step goes straight to "Passkey saved".
    return found === 'saved' ? 'none' as const : found as 'set-pin' | 'unlock' | null;
  });
  if (which === 'set-pin') {
    await ff.fillTextbox('PIN', pin);
    await ff.fillTextbox('Confirm PIN', pin);
    await ff.clickButton('Set PIN');
    log('Latchkey asked to choose a PIN (first use): set it');
  } else if (which === 'unlock') {
    await ff.fillTextbox('PIN', pin);
    await ff.clickButton('Unlock');
    log('Latchkey asked for its PIN: entered it');
  }
  return which;
}

/**
 * After saving, Latchkey's window (the current window) offers to name the passkey; the page
 * already has it. "Done" keeps the suggested name and closes the window.
 */
export async function keepSuggestedName(ff: FirefoxDriver, log: Log): Promise<void> {
  await ff.waitForText('Passkey saved', 20_000);
  await ff.clickButton('Done');
  log('Latchkey saved the passkey and offered to name it: clicked "Done"');
}

export async function waitForWindowGone(ff: FirefoxDriver, popup: string): Promise<void> {
  await until('the ceremony window to close', async () => ((await ff.windowHandles()).includes(popup) ? null : true));
}

export async function signInWithPassword(ff: FirefoxDriver, baseUrl: string, log: Log): Promise<void> {
  await ff.navigate(baseUrl);
  await ff.fillTextbox('Email', DEMO_EMAIL);
  await ff.fillTextbox('Password', DEMO_PASSWORD);
  await ff.clickButton('Sign in');
  await ff.waitForText('Security info');
  log(`signed in with the password as ${DEMO_EMAIL}`);
}

export async function addPasskey(ff: FirefoxDriver, o: { answer: WindowAnswer; name: string; pin?: string; log: Log }): Promise<'set-pin' | 'unlock' | 'none'> {
  const { log } = o;
  await ff.clickButton('+ Add sign-in method');
  await ff.clickButton('Passkey');
  const rpId = new URL(await ff.url()).hostname;
  if (o.answer === 'automation') {
    await ff.clickButton('Next');
    return finishNaming(ff, o.name, 'none', log);
  }
  const { main, popup } = await openCeremonyWindow(ff, () => ff.clickButton('Next'));
  await ff.waitForText(`Save a passkey for ${rpId}`);
  log(`Latchkey's window asks where to save the passkey for ${rpId}`);
  let pinStep: 'set-pin' | 'unlock' | 'none' = 'none';
  if (o.answer === 'save') {
    await ff.clickButton('Save passkey');
    pinStep = await answerPin(ff, popup, o.pin ?? DEMO_PIN, log);
    await keepSuggestedName(ff, log);
  } else {
    await ff.clickButton(o.answer === 'hand-over' ? 'Use another device or security key' : 'Cancel');
  }
  await waitForWindowGone(ff, popup);
  await ff.switchToWindow(main);
  if (o.answer === 'cancel') return pinStep;
  return finishNaming(ff, o.name, pinStep, log);
}

async function finishNaming(ff: FirefoxDriver, name: string, pinStep: 'set-pin' | 'unlock' | 'none', log: Log): Promise<'set-pin' | 'unlock' | 'none'> {
  await ff.fillTextbox('Passkey name', name, { timeoutMs: 20_000 });
  await ff.clickButton('Done');
  await ff.waitForText(name);
  log(`the site verified the new passkey and it is named "${name}"`);
  return pinStep;
}

export async function signOut(ff: FirefoxDriver, log: Log): Promise<void> {
  await ff.clickButton('Sign out');
  await ff.waitForText('Sign-in options');
  log('signed out');
}

export async function signInWithPasskey(ff: FirefoxDriver, baseUrl: string, o: { answer: 'account' | 'hand-over' | 'automation'; userName?: string; pin?: string; log: Log }): Promise<{ pinStep: 'set-pin' | 'unlock' | 'none'; status: string }> {
  const { log } = o;
  if (!(await ff.url()).startsWith(baseUrl)) await ff.navigate(baseUrl);
  await ff.clickButton('Sign-in options');
  if (o.answer === 'automation') {
    await ff.clickButton('Sign in with a passkey');
    return { pinStep: 'none', status: await signedInStatus(ff, log) };
  }
  const { main, popup } = await openCeremonyWindow(ff, () => ff.clickButton('Sign in with a passkey'));
  let pinStep: 'set-pin' | 'unlock' | 'none' = 'none';
  if (o.answer === 'account') {
    await ff.clickButton(o.userName ?? DEMO_EMAIL);
    pinStep = await answerPin(ff, popup, o.pin ?? DEMO_PIN, log);
  } else {
    await ff.clickButton('Use another device or security key');
  }
  await waitForWindowGone(ff, popup);
  await ff.switchToWindow(main);
  return { pinStep, status: await signedInStatus(ff, log) };
}

async function signedInStatus(ff: FirefoxDriver, log: Log): Promise<string> {
  const status = await until('the signed-in status', async () => {
    // While the page navigates (sign-in reloads it), a script may return null or fail: poll again.
    const t = await ff.execute<string | null>(`() => document.getElementById('status')?.textContent ?? ''`).catch(() => null);
    return t?.includes('with a passkey') ? t.trim() : null;
  });
  log(`the site verified the passkey: "${status}"`);
  return status;
}
