// Passkey records: adding one (its private key sealed under the vault key), reading a private key
// back, renaming and deleting. Each write is one transaction (a crash leaves the old state or the new).
import { toBase64url } from '../core/base64url.js';
import { importVaultKey, passkeyAad, seal, unseal } from './aead.js';
import { checkNewPasskey } from './checkNewPasskey.js';
import type { VaultContext } from './context.js';
import { DuplicatePasskeyError, PasskeyNotFoundError, VaultInputError } from './errors.js';
import { checkedVaultKey, staleKeyCheck } from './keyWrap.js';
import { normalizeLabel } from './label.js';
import type { NewPasskey, PasskeyRecord, PasskeySummary } from './schema.js';
import { toSummary } from './summaries.js';
import { ROW_STORES, addRow, clearRows, deleteRow, putRow } from './rows.js';
import { checkId, commit, isDomError } from './tx.js';

/** Both algorithms checkNewPasskey admits keep a 32-byte secret: ES256's P-256 scalar, EdDSA's Ed25519 seed. */
const PRIVATE_KEY_BYTES = 32;

/** Seals the private key and stores the passkey in one transaction; refuses an existing credentialId. */
export async function addPasskey(ctx: VaultContext, vaultKey: Uint8Array, p: NewPasskey, privateKey: Uint8Array): Promise<PasskeySummary> {
  checkNewPasskey(p);
  const label = normalizeLabel(p.label);
  // ES256 (-7): a raw 32-byte P-256 secret, as src/core/es256.ts uses; EdDSA (-8): the 32-byte
  // Ed25519 seed of src/core/ed25519.ts.
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== PRIVATE_KEY_BYTES) {
    const got = privateKey instanceof Uint8Array ? `length=${privateKey.length}` : typeof privateKey;
    throw new VaultInputError(`"privateKey" expected Uint8Array of length ${PRIVATE_KEY_BYTES}, got ${got}`);
  }
  const epoch = ctx.keyEpoch;
  const key = await checkedVaultKey(ctx, vaultKey);
  const record: PasskeyRecord = {
    // Field by field, so nothing the caller added by mistake is persisted.
    credentialId: p.credentialId, rpId: p.rpId, userHandle: p.userHandle, userName: p.userName,
    userDisplayName: p.userDisplayName, alg: p.alg, publicKey: p.publicKey,
    backupEligible: p.backupEligible, backupState: p.backupState,
    // DESIGN.md: sign counter 0 (synced-passkey behaviour); an imported passkey keeps its count.
    signCount: p.signCount ?? 0,
    createdAt: p.createdAt, lastUsedAt: null, label, hidden: null,
    wrappedPrivateKey: await seal(key, privateKey, passkeyAad(p.credentialId, p.rpId)),
  };
  const { cache } = ctx;
  staleKeyCheck(ctx, epoch); // no await between this and the transaction
  const tx = ctx.conn().transaction(ROW_STORES, 'readwrite');
  // A read in flight now is not kept (it may miss this passkey); the cached site gets it once stored.
  cache.generation++;
  try {
    const added = addRow(tx, record);
    // A create's answer waits for this commit (the passkey must be stored before the relying party
    // gets it). commit() right after the one write saves a round trip between the browser's IndexedDB
    // backend and this worker: without it the commit waits until the add's success event has run here
    // and no new request came (create 12 % faster in Chromium, bench/RESULTS.md, sixth round).
    tx.commit();
    await commit(tx, [added]);
  } catch (e) {
    cache.invalidate();
    if (isDomError(e, 'ConstraintError')) throw new DuplicatePasskeyError(p.credentialId);
    throw e;
  }
  cache.generation++;
  const site = cache.site(record.rpId);
  if (site) site.push(record);
  else if (cache.emptyBeyondCache) cache.cacheSite(record.rpId, [record]); // the site had none
  return toSummary(record);
}

/** @throws VaultKeyError if the vault key is wrong or the record was altered (including a swapped wrapped key). */
export async function unwrapPrivateKey(ctx: VaultContext, vaultKey: Uint8Array, credentialId: string): Promise<Uint8Array> {
  const r = await ctx.conn().get('passkeys', checkId(credentialId));
  if (!r) throw new PasskeyNotFoundError(credentialId);
  const key = await importVaultKey(vaultKey);
  return unseal(key, r.wrappedPrivateKey, passkeyAad(r.credentialId, r.rpId), 'private key of this passkey');
}

/**
 * Sets or clears the name the person gave a passkey (one transaction). Trimmed; empty means none.
 * @throws VaultInputError when longer than MAX_LABEL_CHARS (64), PasskeyNotFoundError.
 */
export async function renamePasskey(ctx: VaultContext, credentialId: string, label: string | null): Promise<PasskeySummary> {
  checkId(credentialId);
  const next = normalizeLabel(label);
  const tx = ctx.conn().transaction(ROW_STORES, 'readwrite');
  ctx.cache.invalidate();
  try {
    const r = await tx.objectStore('passkeys').get(credentialId);
    if (!r) {
      await tx.done;
      throw new PasskeyNotFoundError(credentialId);
    }
    r.label = next;
    await commit(tx, [putRow(tx, r)]);
    return toSummary(r);
  } finally {
    ctx.cache.invalidate();
  }
}

/** Removes one passkey (one transaction). @throws PasskeyNotFoundError when there is none. */
export async function deletePasskey(ctx: VaultContext, credentialId: string): Promise<void> {
  const tx = ctx.conn().transaction(ROW_STORES, 'readwrite');
  ctx.cache.invalidate();
  try {
    const r = await tx.objectStore('passkeys').get(checkId(credentialId));
    if (!r) {
      await tx.done;
      throw new PasskeyNotFoundError(credentialId);
    }
    await commit(tx, [deleteRow(tx, r)]);
  } finally {
    ctx.cache.invalidate();
  }
}

/** Removes every passkey, keeping the PIN and vault key (one transaction). Returns how many went. */
export async function deleteAllPasskeys(ctx: VaultContext): Promise<number> {
  const { cache } = ctx;
  const tx = ctx.conn().transaction(ROW_STORES, 'readwrite');
  cache.invalidate();
  const started = cache.generation;
  let cleared = false;
  try {
    const n = await tx.objectStore('passkeys').count();
    await commit(tx, [clearRows(tx)]);
    // No other write began or ended meanwhile (each bumps the generation): the store is empty now.
    cleared = cache.generation === started;
    return n;
  } finally {
    cache.invalidate();
    // Test suites clear between tests; the next ceremony's lookup then needs no IndexedDB read.
    if (cleared) cache.emptyBeyondCache = cache.enabled;
  }
}

/** The sealedKeyId (see SigningUse) of a passkey whose site is in the cache; undefined otherwise. */
export function cachedSealedKeyId(ctx: VaultContext, credentialId: string): string | undefined {
  const r = ctx.cache.record(credentialId);
  return r && toBase64url(r.wrappedPrivateKey.iv);
}
