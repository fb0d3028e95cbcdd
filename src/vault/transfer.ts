// Passkeys out of the vault for a backup (private keys in the clear, for encryptBackup only) and in
// from one or from another manager (all checked first, then one transaction; nothing overwritten).
import { toBase64url } from '../core/base64url.js';
import { passkeyAad, seal, unseal } from './aead.js';
import { checkExportedPasskey } from './checkExportedPasskey.js';
import type { VaultContext } from './context.js';
import { VaultInputError, VaultKeyError } from './errors.js';
import { checkedVaultKey, staleKeyCheck } from './keyWrap.js';
import { ROW_STORES, addRow, type RowTx } from './rows.js';
import type { ExportedPasskey, PasskeyRecord } from './schema.js';
import { byRecency, toSummary } from './summaries.js';
import { commit } from './tx.js';

/** What importPasskeys did with each item it was given, by credential id (each item lands in exactly one list). */
export interface ImportResult {
  /** Not in the vault before: now saved. */
  added: string[];
  /** Already saved, same site, account and key: left as it was. */
  unchanged: string[];
  /** Already saved but with a different site, account or key: the saved one was kept, the incoming one not saved. */
  conflicts: string[];
}

/**
 * Every passkey with its private key in the clear (base64url of the 32-byte secret), most recent
 * first: the input of encryptBackup, and nothing else. All or nothing: a passkey that cannot be
 * decrypted fails the whole export rather than leaving it out of a backup unnoticed.
 */
export async function exportPasskeys(ctx: VaultContext, vaultKey: Uint8Array): Promise<ExportedPasskey[]> {
  const key = await checkedVaultKey(ctx, vaultKey);
  const rows = (await ctx.conn().getAll('passkeys')).sort(byRecency);
  const out: ExportedPasskey[] = [];
  for (const r of rows) {
    let secret: Uint8Array;
    try {
      secret = await unseal(key, r.wrappedPrivateKey, passkeyAad(r.credentialId, r.rpId), 'private key of this passkey');
    } catch (cause) {
      throw new VaultKeyError(
        `The passkey for ${r.userName || r.userDisplayName || 'an account'} at ${r.rpId} could not be decrypted, ` +
        'so no backup was made. The stored data may be damaged.', { cause });
    }
    out.push({ ...toSummary(r), privateKey: toBase64url(secret) });
    secret.fill(0);
  }
  return out;
}

/**
 * Adds passkeys from a backup or another manager, in one transaction. Every item is checked
 * first (including that its private key belongs to its public key); one bad item refuses the
 * whole import with a VaultInputError naming it, and nothing is written. A credential id already
 * saved is never overwritten: identical (same RP ID, user handle and public key) counts as
 * unchanged, anything else as a conflict. signCount, createdAt, lastUsedAt and label are kept.
 * @throws VaultInputError, VaultKeyError (wrong or stale vault key), VaultQuotaError; on any
 *   failure the vault is exactly as before.
 */
export async function importPasskeys(ctx: VaultContext, vaultKey: Uint8Array, items: ExportedPasskey[]): Promise<ImportResult> {
  if (!Array.isArray(items)) throw new VaultInputError('"items" must be an array');
  const checked = items.map((item, i) => {
    try {
      return checkExportedPasskey(item);
    } catch (e) {
      if (e instanceof VaultInputError) throw new VaultInputError(`Passkey ${i + 1} of ${items.length}: ${e.message}`);
      throw e;
    }
  });
  let records: PasskeyRecord[];
  const epoch = ctx.keyEpoch;
  try {
    const key = await checkedVaultKey(ctx, vaultKey);
    // Sealed before the transaction opens: it would commit while WebCrypto runs.
    records = await Promise.all(checked.map(async ({ passkey: p, privateKey }) => {
      const { privateKey: _plain, ...summary } = p;
      return { ...summary, hidden: summary.hidden ?? null, wrappedPrivateKey: await seal(key, privateKey, passkeyAad(p.credentialId, p.rpId)) };
    }));
  } finally {
    for (const { privateKey } of checked) privateKey.fill(0);
  }

  staleKeyCheck(ctx, epoch); // no await between this and the transaction
  const tx = ctx.conn().transaction(ROW_STORES, 'readwrite');
  ctx.cache.invalidate();
  try {
    return await importInto(tx, records);
  } finally {
    ctx.cache.invalidate();
  }
}

async function importInto(tx: RowTx, records: PasskeyRecord[]): Promise<ImportResult> {
  const result: ImportResult = { added: [], unchanged: [], conflicts: [] };
  // All reads are issued at once and awaited together, then all writes are issued without an
  // await in between, so the transaction stays active and no write promise is left unwatched.
  const existing = await Promise.all(records.map((r) => tx.objectStore('passkeys').get(r.credentialId)));
  const seen = new Map<string, PasskeyRecord>(); // the same id twice in one import
  const writes: Promise<unknown>[] = [];
  records.forEach((r, i) => {
    const saved = seen.get(r.credentialId) ?? existing[i];
    if (saved === undefined) {
      writes.push(addRow(tx, r));
      seen.set(r.credentialId, r);
      result.added.push(r.credentialId);
    } else if (saved.rpId === r.rpId && saved.userHandle === r.userHandle && saved.publicKey === r.publicKey) {
      result.unchanged.push(r.credentialId);
    } else {
      result.conflicts.push(r.credentialId);
    }
  });
  await commit(tx, writes);
  return result;
}
