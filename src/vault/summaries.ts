// What leaves the vault for lists: summaries (never the wrapped key, even though it is encrypted).
// Since schema v4 they are read from the "summaries" store, which rows.ts keeps beside the records:
// small records, no key material, and an RP ID index to read the manage page's list in pages.
import type { VaultContext } from './context.js';
import { VaultInputError } from './errors.js';
import { toSummary } from './rows.js';
import type { PasskeySummary } from './schema.js';
import { checkId } from './tx.js';

export { toSummary } from './rows.js';

/** Newest activity first: last use, or creation for a passkey never used; ties are stable by id. */
export function byRecency(a: PasskeySummary, b: PasskeySummary): number {
  return (b.lastUsedAt ?? b.createdAt) - (a.lastUsedAt ?? a.createdAt)
    || b.createdAt - a.createdAt
    || (a.credentialId < b.credentialId ? -1 : a.credentialId > b.credentialId ? 1 : 0);
}

/** Passkeys for one RP ID (index lookup, or the site cache), most recently used (or created) first. */
export async function listByRpId(ctx: VaultContext, rpId: string): Promise<PasskeySummary[]> {
  if (typeof rpId !== 'string') throw new VaultInputError('"rpId" must be a string');
  // The full records: a ceremony signs with one of them next (beginSigning reads the cache).
  const rows = await ctx.cache.siteRecords(rpId, () => ctx.conn().getAllFromIndex('passkeys', 'rpId', rpId));
  return rows.map(toSummary).sort(byRecency);
}

export async function listAll(ctx: VaultContext): Promise<PasskeySummary[]> {
  return (await ctx.conn().getAll('summaries')).map(normalize).sort(byRecency);
}

export async function get(ctx: VaultContext, credentialId: string): Promise<PasskeySummary | undefined> {
  const s = await ctx.conn().getFromIndex('summaries', 'credentialId', checkId(credentialId));
  return s && normalize(s);
}

/** One page of the list (listPage). */
export interface SummaryPage {
  /** Whole sites, in ascending RP ID (code unit order, as IndexedDB and JS `<` compare strings). */
  passkeys: PasskeySummary[];
  /** The last RP ID in this page, to ask for the next one with; null when nothing follows. */
  next: string | null;
}

/**
 * The list in pages, site by site: the sites after `after` (all from the start when null), at
 * least `limit` passkeys (fewer only at the end), never half a site, so a list sorted by site
 * can show its first rows before the rest arrive, and a site is never split across two reads.
 * One readonly transaction per page.
 */
export async function listPage(ctx: VaultContext, after: string | null, limit: number): Promise<SummaryPage> {
  if (after !== null && typeof after !== 'string') throw new VaultInputError('"after" must be a string or null');
  if (!Number.isSafeInteger(limit) || limit < 1) throw new VaultInputError('"limit" must be a positive integer');
  // Keys are [rpId, credentialId]; an array sorts after every string (IndexedDB key order), so
  // [site, []] comes after every key of that site and [site, ''] before them.
  const store = ctx.conn().transaction('summaries').store;
  const range = after === null ? undefined : IDBKeyRange.lowerBound([after, []]);
  const first = await store.getAll(range, limit);
  if (first.length < limit) return { passkeys: first.map(normalize), next: null };
  // The last site may go on past `limit`: read it whole (in the same transaction).
  const last = first[first.length - 1]!.rpId;
  const rest = await store.getAll(IDBKeyRange.bound([last, ''], [last, []], false, true));
  const passkeys = [...first.filter((s) => s.rpId !== last), ...rest].map(normalize);
  return { passkeys, next: last };
}

/** A summary as stored, with the fields of later versions filled in (as toSummary does for records). */
function normalize(s: PasskeySummary): PasskeySummary {
  return { ...s, label: s.label ?? null, hidden: s.hidden ?? null };
}
