// The passkey list's pure logic: sort once, filter in memory on every keystroke, group what is shown.
// Kept out of the components so 10,000 passkeys stay smooth and the rules are tested without a DOM.
import type { ManagedPasskey } from '../src/messages/manage';

/** A passkey with its lower-cased search text, made once per list (not per keystroke). */
export interface IndexedPasskey {
  passkey: ManagedPasskey;
  /** Site, user name, display name and label, lower-cased, one per line (a term never spans two). */
  haystack: string;
}

export interface SiteGroup {
  rpId: string;
  passkeys: ManagedPasskey[];
}

/** The name a row shows: the person's label, else the user name. */
export function passkeyName(p: ManagedPasskey): string {
  const label = p.label?.trim();
  return label ? label : p.userName;
}

/**
 * One string per passkey whose plain order is the list's: sites alphabetically, then names
 * (case-insensitive), then the oldest first, a stable order (plain comparison: fast for 10,000).
 */
function sortKey(p: ManagedPasskey): string {
  const created = String(Math.max(0, Math.floor(p.createdAt))).padStart(16, '0');
  // \u0000 and \u0001 sort before any character of a site or name, so "a.com" comes before "a.com.au".
  return `${p.rpId}\u0000${passkeyName(p).toLowerCase()}\u0001${created}\u0001${p.credentialId}`;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts and indexes the list; do this when the list changes, not when the query does. */
export function indexPasskeys(passkeys: readonly ManagedPasskey[]): IndexedPasskey[] {
  return passkeys
    .map((passkey) => ({ key: sortKey(passkey), passkey }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map(({ passkey }) => ({
      passkey,
      haystack: [passkey.rpId, passkey.userName, passkey.userDisplayName, passkey.label ?? ''].join('\n').toLowerCase(),
    }));
}

/** The query's words, lower-cased; every word must appear in the site, user name, display name or label. */
export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter((t) => t !== '');
}

/** The passkeys matching the query, in the index's order. An empty query matches everything. */
export function filterPasskeys(index: readonly IndexedPasskey[], query: string): ManagedPasskey[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return index.map((e) => e.passkey);
  const out: ManagedPasskey[] = [];
  for (const e of index) {
    if (terms.every((t) => e.haystack.includes(t))) out.push(e.passkey);
  }
  return out;
}

/** Consecutive passkeys of the same site under one heading (the input is already sorted by site). */
export function groupBySite(passkeys: readonly ManagedPasskey[]): SiteGroup[] {
  const groups: SiteGroup[] = [];
  let current: SiteGroup | undefined;
  for (const p of passkeys) {
    if (!current || current.rpId !== p.rpId) {
      current = { rpId: p.rpId, passkeys: [] };
      groups.push(current);
    }
    current.passkeys.push(p);
  }
  return groups;
}

/** How many sites a list covers. */
export function countSites(passkeys: readonly ManagedPasskey[]): number {
  const sites = new Set<string>();
  for (const p of passkeys) sites.add(p.rpId);
  return sites.size;
}

/**
 * The passkey that should get focus after one is deleted: the next one shown, else the previous
 * one, else null (the list is then empty and focus goes to the search box).
 */
export function neighbourAfterDelete(shown: readonly ManagedPasskey[], credentialId: string): string | null {
  const i = shown.findIndex((p) => p.credentialId === credentialId);
  if (i < 0) return null;
  return shown[i + 1]?.credentialId ?? shown[i - 1]?.credentialId ?? null;
}
