// How a team runs its own passkey tests with Latchkey as the authenticator (@latchkey/testing).
// Here "the team's app" is Latchkey's demo relying party, started from the Latchkey repository
// (LATCHKEY_REPO; ../.. when this folder is used where it is). Point webServer at your own app.
import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.EXAMPLE_PORT ?? 8391);
const repo = process.env.LATCHKEY_REPO ?? resolve(import.meta.dirname, '../..');

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  webServer: {
    command: 'node --import tsx e2e/demo-rp/main.ts',
    cwd: repo,
    url: `http://localhost:${PORT}/`,
    env: { PORT: String(PORT), DATA_FILE: `${process.env.TMPDIR ?? '/tmp'}/latchkey-example-rp-${Date.now()}.json` },
    reuseExistingServer: false,
  },
  use: { baseURL: `http://localhost:${PORT}` },
});
