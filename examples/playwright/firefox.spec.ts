// The same fixture in Firefox ESR, which Playwright cannot drive: `@latchkey/testing/firefox` starts
// it over Marionette with Latchkey installed, and gives a small driver (navigate, fill, click by name).
import { expect, test } from '@playwright/test';
import { launchLatchkeyFirefox } from '@latchkey/testing/firefox';

test('Firefox ESR: a user adds a passkey, approved with no window', async ({ baseURL }) => {
  const { driver, latchkey, close } = await launchLatchkeyFirefox();
  try {
    await latchkey.skipPin();
    await latchkey.approveAll();
    await driver.navigate(`${baseURL}/`);
    await driver.fillTextbox('Email', 'demo@latchkey.test');
    await driver.fillTextbox('Password', 'correct horse battery staple');
    await driver.clickButton('Sign in');
    await driver.clickButton('+ Add sign-in method');
    await driver.clickButton('Passkey');
    await driver.clickButton('Next');
    await driver.fillTextbox('Passkey name', 'Firefox laptop', { timeoutMs: 20_000 });
    await driver.clickButton('Done');
    await driver.waitForText('Firefox laptop');
    expect(await latchkey.lastCeremony()).toMatchObject({ op: 'create', outcome: 'created', answeredBy: 'automation' });
    expect(await latchkey.listPasskeys('localhost')).toHaveLength(1);
  } finally {
    await close();
  }
});
