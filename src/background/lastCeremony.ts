// What the last ceremony was and how it ended: names, ids and outcome only. Read by test automation
// ("read the last ceremony's details") and kept in storage.session so a restarted worker still knows.
import { browser } from '../browser.cjs';
import type { CeremonyRequest, CeremonyResult } from '../messages/protocol';

const KEY = 'latchkey.lastCeremony';

export interface LastCeremony {
  op: 'create' | 'get';
  rpId: string;
  origin: string;
  userName: string | null;
  credentialId: string | null;
  /** 'created' | 'asserted' | 'handover' | the DOMException name | 'dropped' (the page went away). */
  outcome: string;
  /** The UV flag in the authenticator data, when Latchkey answered. */
  userVerified: boolean | null;
  /** How it was answered: the person in the window, or automation. */
  answeredBy: 'window' | 'automation' | 'upgrade' | 'none';
  at: number;
}

function uvFlag(authenticatorData: string): boolean {
  // Flags are byte 32 of the authenticator data (§6.1); UV is bit 2.
  const bin = atob(authenticatorData.replace(/-/g, '+').replace(/_/g, '/').slice(0, 48));
  return (bin.charCodeAt(32) & 0x04) !== 0;
}

/**
 * What the record needs of a ceremony (ceremonies.ts passes its Ceremony). Named here rather than
 * imported, so that the registry (ceremonies.ts) and this record do not import each other.
 */
interface CeremonyFacts { request: CeremonyRequest; rpId: string; origin: string }

export function describeOutcome(c: CeremonyFacts, result: CeremonyResult | null, answeredBy: LastCeremony['answeredBy']): LastCeremony {
  const userName = c.request.op === 'create' ? c.request.options.user.name : null;
  const base = { op: c.request.op, rpId: c.rpId, origin: c.origin, userName, answeredBy, at: Date.now() };
  if (!result) return { ...base, credentialId: null, outcome: 'dropped', userVerified: null };
  switch (result.status) {
    case 'created':
    case 'asserted':
      return { ...base, credentialId: result.credential.id, outcome: result.status, userVerified: uvFlag(result.credential.response.authenticatorData) };
    case 'handover': return { ...base, credentialId: null, outcome: 'handover', userVerified: null };
    case 'error': return { ...base, credentialId: null, outcome: result.name, userVerified: null };
  }
}

/**
 * Kept in memory at once and written to storage.session a moment later, once for a burst of
 * ceremonies: each storage.session write is browser-process work (1.5 to 6 ms here, bench/RESULTS.md)
 * that would otherwise sit between a test suite's back-to-back ceremonies. The delay is far inside
 * the 30 s an idle worker lives, so a restarted worker still finds the record.
 */
const WRITE_DELAY_MS = 200;
let latest: LastCeremony | null = null;
let writeTimer: ReturnType<typeof setTimeout> | null = null;

export async function recordLastCeremony(last: LastCeremony): Promise<void> {
  latest = last;
  if (writeTimer) return;
  writeTimer = setTimeout(() => {
    writeTimer = null;
    if (latest) void browser.storage.session.set({ [KEY]: latest }).catch(() => {});
  }, WRITE_DELAY_MS);
}

export async function readLastCeremony(): Promise<LastCeremony | null> {
  if (latest) return latest;
  return ((await browser.storage.session.get(KEY))[KEY] as LastCeremony | undefined) ?? null;
}
