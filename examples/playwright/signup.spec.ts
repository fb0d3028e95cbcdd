// How a team tests its own passkey sign-up and sign-in with Latchkey (`@latchkey/testing/playwright`).
// Run: npm run package (in the Latchkey repository), then here: npm install && npx playwright test
import { expect, test } from '@latchkey/testing/playwright';

test.beforeEach(async ({ latchkey }) => {
  await latchkey.skipPin();     // no PIN prompts in tests
  await latchkey.approveAll();  // every ceremony approved, no window to click
});

test('a user adds a passkey and signs in with it', async ({ page, latchkey }) => {
  await page.goto('/');
  await page.getByLabel('Email').fill('demo@latchkey.test');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();

  await page.getByRole('button', { name: '+ Add sign-in method' }).click();
  await page.getByRole('button', { name: 'Passkey', exact: true }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Passkey name').fill('My laptop');
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('methods')).toContainText('My laptop');

  const created = await latchkey.lastCeremony();
  expect(created).toMatchObject({ op: 'create', outcome: 'created', userName: 'demo@latchkey.test', userVerified: true });
  expect(await latchkey.listPasskeys('localhost')).toHaveLength(1);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign-in options' }).click();
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
  await expect(page.getByTestId('status')).toContainText('Signed in as demo@latchkey.test with a passkey');
  expect((await latchkey.lastCeremony())?.credentialId).toBe(created?.credentialId);
});

test('the sign-up page shows an error when the person cancels', async ({ page, latchkey }) => {
  await latchkey.answerNext({ kind: 'cancel' });
  await page.goto('/');
  await page.getByLabel('Email').fill('demo@latchkey.test');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: '+ Add sign-in method' }).click();
  await page.getByRole('button', { name: 'Passkey', exact: true }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('alert')).toContainText('NotAllowedError');
});
