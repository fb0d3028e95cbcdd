// An example of how a team runs its own passkey tests with Latchkey as the authenticator.
// Here "the team's app" is Latchkey's demo relying party; point webServer at your own app instead.
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.EXAMPLE_PORT ?? 8391);

export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  webServer: {
    command: `node --import tsx ../../e2e/demo-rp/main.ts`,
    url: `http://localhost:${PORT}/`,
    env: { PORT: String(PORT), DATA_FILE: `${process.env.TMPDIR ?? '/tmp'}/latchkey-example-rp-${Date.now()}.json` },
    reuseExistingServer: false,
  },
  use: { baseURL: `http://localhost:${PORT}` },
});
