/**
 * Starts the demo relying party from the command line:
 *   node --import tsx e2e/demo-rp/main.ts        (PORT, default 8080; DATA_FILE, default e2e/.data/demo-rp.json)
 * Prints the URL, then serves until Ctrl-C or SIGTERM.
 */
import { startDemoRp } from './server.js';

const port = Number(process.env['PORT'] ?? 8080);
const dataFile = process.env['DATA_FILE'] || undefined;
const rp = await startDemoRp({ port, dataFile });
console.log(rp.url);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // Every write is already on disk; closing only stops accepting requests.
    void rp.close().finally(() => process.exit(0));
  });
}
