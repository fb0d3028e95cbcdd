// What an import would do, before it does anything: how many passkeys, for which sites, which are
// already in Latchkey (the same passkey) and which clash with one there (same credential id,
// different site, account or key: Latchkey keeps its own, nothing is overwritten). The vault's
// importPasskeys applies the same rule (src/vault/vault.ts) inside one transaction.
import type { ExportedPasskey, PasskeySummary } from '../vault/vault.js';
import type { ForeignImport, Skipped } from './types.js';

export interface ImportPreview {
  /** Passkeys in the file Latchkey can use. */
  total: number;
  /** New ones: not in Latchkey yet. */
  added: number;
  /** Already in Latchkey, identical: left as they are. */
  unchanged: number;
  /** Same credential id as one in Latchkey but different content: Latchkey keeps its own. */
  conflicts: { name: string; rpId: string }[];
  /** The same credential id twice in the file: the first is taken. */
  duplicatesInFile: number;
  /** Sites and how many passkeys of the file are for each, most first. */
  sites: { rpId: string; count: number }[];
  skipped: Skipped[];
}

const same = (a: Pick<PasskeySummary, 'rpId' | 'userHandle' | 'publicKey'>, b: Pick<PasskeySummary, 'rpId' | 'userHandle' | 'publicKey'>) =>
  a.rpId === b.rpId && a.userHandle === b.userHandle && a.publicKey === b.publicKey;

export function previewImport(file: ForeignImport, saved: readonly PasskeySummary[]): ImportPreview {
  const byId = new Map(saved.map((p) => [p.credentialId, p] as const));
  const seen = new Map<string, ExportedPasskey>();
  const sites = new Map<string, number>();
  const out: ImportPreview = { total: file.items.length, added: 0, unchanged: 0, conflicts: [], duplicatesInFile: 0, sites: [], skipped: file.skipped };
  for (const p of file.items) {
    sites.set(p.rpId, (sites.get(p.rpId) ?? 0) + 1);
    const earlier = seen.get(p.credentialId);
    if (earlier) {
      out.duplicatesInFile++;
      if (same(earlier, p)) out.unchanged++;
      else out.conflicts.push({ name: p.userName || p.userDisplayName || '(no user name)', rpId: p.rpId });
      continue;
    }
    seen.set(p.credentialId, p);
    const there = byId.get(p.credentialId);
    if (!there) out.added++;
    else if (same(there, p)) out.unchanged++;
    else out.conflicts.push({ name: p.userName || p.userDisplayName || '(no user name)', rpId: p.rpId });
  }
  out.sites = [...sites].map(([rpId, count]) => ({ rpId, count })).sort((a, b) => b.count - a.count || a.rpId.localeCompare(b.rpId));
  return out;
}
