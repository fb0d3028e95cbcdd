// `npm run screenshots`: the pictures in docs/screenshots/ (shown in the README) come from the e2e
// suite itself, e2e/window.screenshots.e2e.test.ts, which walks a real ceremony through every
// screen in Chromium, light and dark. This runs that file alone (after the Chrome build).
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', 'e2e/window.screenshots.e2e.test.ts'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
