/**
 * Starts the demo relying party from the command line:
 *   node --import tsx e2e/demo-rp/main.ts        (PORT, default 8080; DATA_FILE, default e2e/.data/demo-rp.json)
 * Prints the URL, then serves until Ctrl-C or SIGTERM.
 * The organisation's passkey policy (policy.ts), as an administrator would set it:
 *   ENFORCE_ATTESTATION=1                       only attested passkeys
 *   ALLOWED_AAGUIDS=<aaguid>,<aaguid>           only these providers (BLOCKED_AAGUIDS: all but these)
 */
import { startDemoRp } from './server.js';
import { policyFromEnv } from './policy.js';

const port = Number(process.env['PORT'] ?? 8080);
const dataFile = process.env['DATA_FILE'] || undefined;
const policy = policyFromEnv(process.env);
const rp = await startDemoRp({ port, dataFile, policy });
console.log(rp.url);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // Every write is already on disk; closing only stops accepting requests.
    void rp.close().finally(() => process.exit(0));
  });
}
