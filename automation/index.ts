// The automation page's script: forwards `latchkeyAutomation.call(name, args)` to the background,
// which accepts automation calls only from this page (src/background/automation.ts). Used by the
// Firefox route of the test fixture (Marionette runs scripts in this page).
import { browser } from '../src/browser.cjs';

async function call(name: string, args?: unknown): Promise<unknown> {
  const r = (await browser.runtime.sendMessage({ type: 'automation/call', name, args })) as { ok: boolean; value?: unknown; error?: string };
  if (!r?.ok) throw new Error(`Latchkey automation: ${r?.error ?? 'no answer'}`);
  return r.value;
}

(window as unknown as { latchkeyAutomation: unknown }).latchkeyAutomation = Object.freeze({ call });
