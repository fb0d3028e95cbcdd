// PIN -> KEK -> vault key: setting the first PIN, unlocking, changing the PIN, the wrong-PIN count,
// and proving a raw vault key is this vault's (see docs/DESIGN.md "Keys and storage").
// Argon2 and WebCrypto run before each write transaction, never inside one (it would commit).
import { KEY_CHECK_AAD, VAULT_KEY_AAD, VAULT_KEY_BYTES, importVaultKey, randomBytes, seal, unseal, type Sealed } from './aead.js';
import { checkPinPolicy } from './checkPinPolicy.js';
import type { VaultContext } from './context.js';
import { TooSoonError, VaultInputError, VaultKeyError, VaultStateError, WrongPinError } from './errors.js';
import { SALT_BYTES, checkKdfParams, deriveKek, type KdfParams } from './kdf.js';
import { NO_FAILURES, normalizeLockout, retryAfterMs, type LockoutState } from './lockout.js';
import type { LockoutRecord, MetaRecord, VaultKeyRecord } from './schema.js';
import { commit, equalBytes, isDomError } from './tx.js';

export async function isInitialized(ctx: VaultContext): Promise<boolean> {
  return (await ctx.conn().getKey('meta', 'vaultKey')) !== undefined;
}

/** Sets the first PIN and creates the vault key, which it returns (32 bytes). */
export async function initialize(ctx: VaultContext, pin: string): Promise<Uint8Array> {
  checkPinPolicy(pin);
  const db = ctx.conn();
  // Checked first only to skip a pointless Argon2 run; the add() below is what guarantees it.
  if (await isInitialized(ctx)) throw alreadyInitialized();
  const vaultKey = randomBytes(VAULT_KEY_BYTES);
  const record = await wrapVaultKey(pin, vaultKey, ctx.kdf, await checkValue(vaultKey), Date.now());
  const tx = db.transaction('meta', 'readwrite');
  try {
    await commit(tx, [tx.store.add(record), tx.store.put(lockoutRecord(NO_FAILURES))]);
  } catch (e) {
    vaultKey.fill(0);
    if (isDomError(e, 'ConstraintError')) throw alreadyInitialized();
    throw e;
  }
  return vaultKey;
}

/** Checks the PIN (counted) and returns the raw vault key. */
export async function unlock(ctx: VaultContext, pin: string, now: number): Promise<Uint8Array> {
  const { vaultKey } = await verifyPin(ctx, pin, now);
  await writeLockout(ctx, NO_FAILURES);
  return vaultKey;
}

/** Re-wraps the vault key under the new PIN (new salt, current KDF parameters); passkeys are untouched. */
export async function changePin(ctx: VaultContext, oldPin: string, newPin: string): Promise<void> {
  checkPinPolicy(newPin); // before the old PIN, so a bad new PIN never costs an attempt
  const { vaultKey, record: old } = await verifyPin(ctx, oldPin, Date.now());
  try {
    const next = await wrapVaultKey(newPin, vaultKey, ctx.kdf, old.keyCheck, old.createdAt);
    const tx = ctx.conn().transaction('meta', 'readwrite');
    const current = await tx.store.get('vaultKey');
    // The old PIN was right either way, so the wrong-PIN count is reset in this same transaction.
    const changed = current?.id !== 'vaultKey' || !equalBytes(current.iv, old.iv);
    const writes = changed ? [] : [tx.store.put(next)];
    await commit(tx, [...writes, tx.store.put(lockoutRecord(NO_FAILURES))]);
    if (changed) throw new VaultStateError('concurrent-change', 'The PIN was changed somewhere else at the same time. Please try again.');
  } catch (e) {
    if (!(e instanceof VaultStateError)) await writeLockout(ctx, NO_FAILURES).catch(() => {});
    throw e;
  } finally {
    vaultKey.fill(0);
  }
}

/** Consecutive wrong PINs and the wait before the next try (0 when a PIN may be tried now). */
export async function unlockState(ctx: VaultContext, now: number): Promise<{ attempts: number; retryAfterMs: number }> {
  const state = normalizeLockout(await ctx.conn().get('meta', 'lockout'));
  return { attempts: state.failures, retryAfterMs: retryAfterMs(state, now) };
}

/**
 * Counts the attempt *before* running Argon2 and un-counts it only once the PIN proved right.
 * Parallel calls therefore cannot slip extra guesses past the delay, and killing the worker
 * mid-derivation leaves the guess counted.
 */
async function verifyPin(ctx: VaultContext, pin: string, now: number): Promise<{ vaultKey: Uint8Array; record: VaultKeyRecord }> {
  if (typeof pin !== 'string') throw new VaultInputError('"pin" must be a string');
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new VaultInputError('"now" must be a finite number');
  const tx = ctx.conn().transaction('meta', 'readwrite');
  const [stored, lockout] = await Promise.all([tx.store.get('vaultKey'), tx.store.get('lockout')]);
  const before = normalizeLockout(lockout);
  const wait = retryAfterMs(before, now);
  if (stored === undefined || wait > 0) {
    await tx.done;
    if (stored === undefined) throw notInitialized();
    throw new TooSoonError(wait);
  }
  const record = asVaultKeyRecord(stored);
  const reserved: LockoutState = { failures: before.failures + 1, lastFailureAt: now };
  await commit(tx, [tx.store.put(lockoutRecord(reserved))]);

  let kek: CryptoKey;
  try {
    kek = await deriveKek(pin, record.kdf);
  } catch (e) {
    // Not a wrong PIN (e.g. out of memory): give the attempt back if nothing happened since.
    await refund(ctx, reserved, before).catch(() => {});
    throw e;
  }
  try {
    return { vaultKey: await unseal(kek, record, VAULT_KEY_AAD, 'vault key'), record };
  } catch (e) {
    if (e instanceof VaultKeyError) throw new WrongPinError(reserved.failures, retryAfterMs(reserved, now));
    throw e;
  }
}

async function refund(ctx: VaultContext, reserved: LockoutState, before: LockoutState): Promise<void> {
  const tx = ctx.conn().transaction('meta', 'readwrite');
  const cur = normalizeLockout(await tx.store.get('lockout'));
  const writes = cur.failures === reserved.failures && cur.lastFailureAt === reserved.lastFailureAt
    ? [tx.store.put(lockoutRecord(before))] : [];
  await commit(tx, writes);
}

async function writeLockout(ctx: VaultContext, state: LockoutState): Promise<void> {
  const tx = ctx.conn().transaction('meta', 'readwrite');
  await commit(tx, [tx.store.put(lockoutRecord(state))]);
}

/** Imports the raw vault key and proves it is this vault's (see KEY_CHECK_AAD). */
export async function checkedVaultKey(ctx: VaultContext, vaultKey: Uint8Array): Promise<CryptoKey> {
  const cached = ctx.checkedKey;
  if (cached && equalBytes(vaultKey, cached.raw)) return cached.key;
  const key = await importVaultKey(vaultKey);
  const stored = await ctx.conn().get('meta', 'vaultKey');
  if (stored === undefined) throw notInitialized();
  const record = asVaultKeyRecord(stored);
  await unseal(key, record.keyCheck, KEY_CHECK_AAD, 'key check').catch((cause: unknown) => {
    throw new VaultKeyError('This vault key does not belong to this vault (it may be out of date). Unlock again.', { cause });
  });
  ctx.checkedKey = { raw: vaultKey.slice(), key };
  return key;
}

async function wrapVaultKey(
  pin: string, vaultKey: Uint8Array, kdf: Omit<KdfParams, 'salt'>, keyCheck: Sealed, createdAt: number,
): Promise<VaultKeyRecord> {
  const params: KdfParams = { ...kdf, salt: randomBytes(SALT_BYTES) };
  const kek = await deriveKek(pin, params);
  const { iv, ciphertext } = await seal(kek, vaultKey, VAULT_KEY_AAD);
  return { id: 'vaultKey', kdf: params, iv, ciphertext, keyCheck, createdAt };
}

async function checkValue(vaultKey: Uint8Array): Promise<Sealed> {
  return seal(await importVaultKey(vaultKey), new Uint8Array(0), KEY_CHECK_AAD);
}

function asVaultKeyRecord(v: MetaRecord): VaultKeyRecord {
  if (v.id !== 'vaultKey' || !v.kdf || !(v.kdf.salt instanceof Uint8Array) || !v.keyCheck) {
    throw new VaultKeyError('The stored vault key is damaged and cannot be read.');
  }
  try {
    checkKdfParams(v.kdf);
  } catch (cause) {
    throw new VaultKeyError('The stored PIN settings are damaged or from an unknown version.', { cause });
  }
  return v;
}

function lockoutRecord(s: LockoutState): LockoutRecord {
  return { id: 'lockout', failures: s.failures, lastFailureAt: s.lastFailureAt };
}

function notInitialized(): VaultStateError {
  return new VaultStateError('not-initialized', 'No PIN has been set up yet.');
}

function alreadyInitialized(): VaultStateError {
  return new VaultStateError('already-initialized', 'A PIN is already set up. Unlock with it or change it instead.');
}
