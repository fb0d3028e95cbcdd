// Loaded before anything else in the ceremony window's <head>, without waiting for the main script:
// it asks the background what the ceremony is, so the answer travels while the window's main script
// (Preact and the screens) is fetched and parsed. popup/index.tsx picks the promise up.
// bench/window.bench.ts measures the path from the page's call to the window being interactive.
import type { CeremonyView } from '../src/messages/protocol';
import { runtime } from './runtime';

(globalThis as { latchkeyDescribe?: Promise<CeremonyView | null> }).latchkeyDescribe =
  runtime.sendMessage({ type: 'ceremony/describe', id: location.hash.slice(1) }) as Promise<CeremonyView | null>;
