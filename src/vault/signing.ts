// What a sign-in needs from the vault: the private key and the counter to sign with, and the use
// recorded (last used date; a counter that counts, WebAuthn L3 §6.1.1, stored before signing).
import { toBase64url } from '../core/base64url.js';
import { VAULT_KEY_BYTES, importVaultKey, passkeyAad, unseal } from './aead.js';
import type { VaultContext } from './context.js';
import { PasskeyNotFoundError } from './errors.js';
import type { PasskeyRecord } from './schema.js';
import { ROW_STORES, putRow } from './rows.js';
import { checkId, checkTime, commit } from './tx.js';

/** What a sign-in needs from the vault (beginSigning). */
export interface SigningUse {
  /** The counter to sign with (§6.1.1). */
  signCount: number;
  /** Names this sealed key: changes whenever the key is sealed anew (its random IV), so a cache can tell. */
  sealedKeyId: string;
  /** The private key, unsealed (32 bytes); the caller zeroes it after use. */
  unseal(): Promise<Uint8Array>;
  /**
   * Whether the use is already stored (a counter that counts). When false, only the "last used"
   * date is left to write, with recordLastUsed() (together with other uses).
   */
  stored: boolean;
}

/**
 * What a sign-in needs: counts the use (as markUsed, in the same transaction that reads the
 * wrapped key) and returns the private key, unwrapped afterwards, with the counter to sign with.
 */
export async function useForSigning(ctx: VaultContext, vaultKey: Uint8Array, credentialId: string, at: number): Promise<{ privateKey: Uint8Array; signCount: number }> {
  const key = await importVaultKey(vaultKey);
  const r = await recordUse(ctx, credentialId, at);
  const privateKey = await unseal(key, r.wrappedPrivateKey, passkeyAad(r.credentialId, r.rpId), 'private key of this passkey');
  return { privateKey, signCount: r.signCount };
}

/**
 * What a sign-in needs, counting the use. A counter that counts (an imported passkey's, §6.1.1) is
 * stored before this returns: it is signed, and must never be signed twice. Latchkey's own passkeys
 * keep the counter at 0 and only lastUsedAt changes, so when the site's passkeys are in the cache
 * (opts.cacheSites; the ceremony listed them just before) nothing waits for IndexedDB: the cached
 * date moves at once, and the caller stores it later with recordLastUsed (`stored` is false). If
 * that fails, only the "last used" date is missing.
 */
export async function beginSigning(ctx: VaultContext, vaultKey: Uint8Array, credentialId: string, at: number): Promise<SigningUse> {
  checkId(credentialId);
  if (!(vaultKey instanceof Uint8Array) || vaultKey.length !== VAULT_KEY_BYTES) await importVaultKey(vaultKey); // throws the usual input error
  const cached = ctx.cache.record(credentialId);
  let r: PasskeyRecord;
  if (cached && cached.signCount === 0) {
    r = cached;
    cached.lastUsedAt = Math.max(cached.lastUsedAt ?? -Infinity, at); // the site's order follows at once
  } else {
    r = await recordUse(ctx, credentialId, at);
  }
  const sealed = r.wrappedPrivateKey;
  const aad = passkeyAad(r.credentialId, r.rpId);
  return {
    signCount: r.signCount,
    stored: !(cached && cached.signCount === 0),
    sealedKeyId: toBase64url(sealed.iv),
    unseal: async () => unseal(await importVaultKey(vaultKey), sealed, aad, 'private key of this passkey'),
  };
}

/**
 * The "last used" dates of several sign-ins, in one readwrite transaction (the background writes a
 * burst's uses together, after answering: see beginSigning). Dates only move forward; counters are
 * not touched (a counter that counts is stored before signing). Passkeys deleted meanwhile are skipped.
 */
export async function recordLastUsed(ctx: VaultContext, uses: ReadonlyArray<{ credentialId: string; at: number }>): Promise<void> {
  for (const u of uses) {
    checkId(u.credentialId);
    checkTime(u.at);
  }
  if (uses.length === 0) return;
  const tx = ctx.conn().transaction(ROW_STORES, 'readwrite');
  const writes: Promise<unknown>[] = [];
  const rows = await Promise.all(uses.map((u) => tx.objectStore('passkeys').get(u.credentialId)));
  rows.forEach((r, i) => {
    if (!r) return;
    const at = Math.max(r.lastUsedAt ?? -Infinity, uses[i]!.at);
    if (r.lastUsedAt === at) return;
    r.lastUsedAt = at;
    writes.push(putRow(tx, r));
    const cached = ctx.cache.record(r.credentialId);
    if (cached) cached.lastUsedAt = Math.max(cached.lastUsedAt ?? -Infinity, at);
  });
  await commit(tx, writes);
}

/**
 * One readwrite transaction: lastUsedAt forward, the counter up when it counts (§6.1.1: once
 * non-zero it must increase); the updated row. Latchkey's own passkeys stay at 0 (DESIGN.md).
 */
export async function recordUse(ctx: VaultContext, credentialId: string, at: number): Promise<PasskeyRecord> {
  checkId(credentialId);
  checkTime(at);
  const tx = ctx.conn().transaction(ROW_STORES, 'readwrite');
  const r = await tx.objectStore('passkeys').get(credentialId);
  if (!r) {
    await tx.done;
    throw new PasskeyNotFoundError(credentialId);
  }
  r.lastUsedAt = Math.max(r.lastUsedAt ?? -Infinity, at);
  if (r.signCount > 0) r.signCount = (r.signCount + 1) % 2 ** 32 || 1;
  await commit(tx, [putRow(tx, r)]);
  // The cached copy follows (the same row, as just stored); nothing else in it changed.
  const cached = ctx.cache.record(credentialId);
  if (cached) { cached.lastUsedAt = r.lastUsedAt; cached.signCount = r.signCount; }
  return r;
}
