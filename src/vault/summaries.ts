// What leaves the vault for lists: summaries (never the wrapped key, even though it is encrypted),
// in the order the lists show them.
import type { VaultContext } from './context.js';
import { VaultInputError } from './errors.js';
import type { PasskeyRecord, PasskeySummary } from './schema.js';
import { checkId } from './tx.js';

export function toSummary(r: PasskeyRecord): PasskeySummary {
  const { wrappedPrivateKey: _omitted, ...summary } = r;
  return { ...summary, label: summary.label ?? null, hidden: summary.hidden ?? null };
}

/** Newest activity first: last use, or creation for a passkey never used; ties are stable by id. */
export function byRecency(a: PasskeySummary, b: PasskeySummary): number {
  return (b.lastUsedAt ?? b.createdAt) - (a.lastUsedAt ?? a.createdAt)
    || b.createdAt - a.createdAt
    || (a.credentialId < b.credentialId ? -1 : a.credentialId > b.credentialId ? 1 : 0);
}

/** Passkeys for one RP ID (index lookup, or the site cache), most recently used (or created) first. */
export async function listByRpId(ctx: VaultContext, rpId: string): Promise<PasskeySummary[]> {
  if (typeof rpId !== 'string') throw new VaultInputError('"rpId" must be a string');
  const rows = await ctx.cache.siteRecords(rpId, () => ctx.conn().getAllFromIndex('passkeys', 'rpId', rpId));
  return rows.map(toSummary).sort(byRecency);
}

export async function listAll(ctx: VaultContext): Promise<PasskeySummary[]> {
  return (await ctx.conn().getAll('passkeys')).map(toSummary).sort(byRecency);
}

export async function get(ctx: VaultContext, credentialId: string): Promise<PasskeySummary | undefined> {
  const r = await ctx.conn().get('passkeys', checkId(credentialId));
  return r && toSummary(r);
}
