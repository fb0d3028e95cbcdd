// What the last ceremony was and how it ended: names, ids and outcome only. Read by test automation
// ("read the last ceremony's details") and kept in storage.session so a restarted worker still knows.
import browser from 'webextension-polyfill';
import type { CeremonyResult } from '../messages/protocol';
import type { Ceremony } from './ceremonies';

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
  answeredBy: 'window' | 'automation' | 'none';
  at: number;
}

function uvFlag(authenticatorData: string): boolean {
  // Flags are byte 32 of the authenticator data (§6.1); UV is bit 2.
  const bin = atob(authenticatorData.replace(/-/g, '+').replace(/_/g, '/').slice(0, 48));
  return (bin.charCodeAt(32) & 0x04) !== 0;
}

export function describeOutcome(c: Ceremony, result: CeremonyResult | null, answeredBy: LastCeremony['answeredBy']): LastCeremony {
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

export async function recordLastCeremony(last: LastCeremony): Promise<void> {
  await browser.storage.session.set({ [KEY]: last });
}

export async function readLastCeremony(): Promise<LastCeremony | null> {
  return ((await browser.storage.session.get(KEY))[KEY] as LastCeremony | undefined) ?? null;
}
