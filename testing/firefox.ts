// Latchkey in Firefox ESR for test suites, over Marionette (./firefoxDriver.ts; Playwright cannot
// drive ESR). Automation calls run in Latchkey's automation page, opened in its own tab (which needs
// Marionette's system access); the driver switches back to the tab you were in after each call.
//
//   const { driver, latchkey, close } = await launchLatchkeyFirefox();
//   await latchkey.skipPin(); await latchkey.approveAll();
//   await driver.navigate('http://localhost:3000/signup'); ...
//   await close();
import { launchFirefox, isScriptError, type FirefoxDriver, type LaunchOptions } from './firefoxDriver.js';
import { createLatchkeyHandle, type LatchkeyHandle } from './handle.js';
import { FIREFOX_DIST } from './paths.js';

export type { LatchkeyHandle } from './handle.js';
export type * from './types.js';
export { FIREFOX_DIST };
export { FirefoxDriver, isScriptError, launchFirefox, type LaunchOptions, type ScriptError } from './firefoxDriver.js';

export interface LatchkeyInFirefox {
  driver: FirefoxDriver;
  latchkey: LatchkeyHandle;
  close(): Promise<void>;
}

export async function launchLatchkeyFirefox(o: Omit<LaunchOptions, 'systemAccess'> = {}): Promise<LatchkeyInFirefox> {
  const driver = await launchFirefox({ ...(o.extensionXpi ? {} : { extensionDir: FIREFOX_DIST }), ...o, systemAccess: true });
  const automationUrl = `${driver.extensionOrigin}/automation/automation.html`;
  let automationTab: string | null = null;

  const call = async (name: string, args?: unknown): Promise<unknown> => {
    const back = await driver.currentWindow().catch(() => null);
    const handles = await driver.windowHandles();
    if (!automationTab || !handles.includes(automationTab)) {
      const r = await driver.send<{ handle: string }>('WebDriver:NewWindow', { type: 'tab', focus: false });
      automationTab = r.handle;
      await driver.switchToWindow(automationTab);
      await driver.navigate(automationUrl);
    } else {
      await driver.switchToWindow(automationTab);
    }
    try {
      const r = await driver.executeAsync(`async (n, a) => window.latchkeyAutomation.call(n, a)`, [name, args ?? {}]);
      if (isScriptError(r)) throw new Error(r.__error.message);
      return r;
    } finally {
      if (back && back !== automationTab) await driver.switchToWindow(back);
    }
  };
  return { driver, latchkey: createLatchkeyHandle(call), close: () => driver.quit() };
}

/**
 * Stops Latchkey's background (Firefox's event page), as Firefox does when it is idle. Runs in
 * Marionette's chrome context, which needs the system access launchLatchkeyFirefox asks for.
 */
export async function stopBackground(driver: FirefoxDriver): Promise<void> {
  await driver.send('Marionette:SetContext', { value: 'chrome' });
  try {
    const r = await driver.executeAsync(`async (id) => {
      const policy = WebExtensionPolicy.getByID(id);
      if (!policy || !policy.extension) throw new Error('Latchkey is not installed');
      await policy.extension.terminateBackground({ disableResetIdleForTest: true });
      return true;
    }`, [driver.extensionId]);
    if (isScriptError(r)) throw new Error(`could not stop the background: ${r.__error.message}`);
  } finally {
    await driver.send('Marionette:SetContext', { value: 'content' });
  }
}
