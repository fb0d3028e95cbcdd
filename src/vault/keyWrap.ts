// PIN -> KEK -> vault key: setting the first PIN, unlocking, changing the PIN, the wrong-PIN count,
// and proving a raw vault key is this vault's (see docs/DESIGN.md "Keys and storage").
// Argon2 and WebCrypto run before each write transaction, never inside one (it would commit).
import { KEY_CHECK_AAD, VAULT_KEY_AAD, VAULT_KEY_BYTES, importVaultKey, passkeyAad, randomBytes, seal, unseal, type Sealed } from './aead.js';
import { checkPinPolicy } from './checkPinPolicy.js';
import type { VaultContext } from './context.js';
import { TooSoonError, VaultInputError, VaultKeyError, VaultStateError, WrongPinError } from './errors.js';
import { SALT_BYTES, checkKdfParams, deriveKek, type KdfParams } from './kdf.js';
import { NO_FAILURES, normalizeLockout, retryAfterMs, type LockoutState } from './lockout.js';
import type { LockoutRecord, MetaRecord, PasskeyRecord, VaultKeyRecord } from './schema.js';
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

/** How often changePin seals everything again when passkeys changed while it sealed. */
const ROTATE_TRIES = 3;

/**
 * Changes the PIN and rotates the vault key: a new random vault key, wrapped under the new PIN
 * (new salt, current KDF parameters), and every passkey's private key sealed anew under it. So an
 * old copy of the profile plus the old PIN opens nothing saved after the change (and no re-sealed
 * key either: the old copy's own passkeys are all it ever held).
 *
 * Crash-safe: all sealing happens first (IndexedDB transactions cannot await WebCrypto), then ONE
 * readwrite transaction over meta and passkeys writes the new wrapped key, every re-sealed private
 * key and the wrong-PIN reset: a crash or a failed write leaves the old state or the new, never a
 * mix. A passkey added, re-imported or deleted while sealing is seen in that transaction (each row's
 * sealed IV is compared): nothing is written, and the sealing runs again. Other fields changed
 * meanwhile (a rename, a last-used date) are kept: only wrappedPrivateKey is replaced.
 * @returns the new raw vault key (32 bytes), for the unlocked session; the old one stops working.
 */
export async function changePin(ctx: VaultContext, oldPin: string, newPin: string): Promise<Uint8Array> {
  checkPinPolicy(newPin); // before the old PIN, so a bad new PIN never costs an attempt
  const { vaultKey, record: old } = await verifyPin(ctx, oldPin, Date.now());
  const newKey = randomBytes(VAULT_KEY_BYTES);
  try {
    const [oldAes, newAes] = await Promise.all([importVaultKey(vaultKey), importVaultKey(newKey)]);
    const next = await wrapVaultKey(newPin, newKey, ctx.kdf, await checkValue(newKey), old.createdAt);
    for (let attempt = 1; ; attempt++) {
      const resealed = await resealAll(ctx, oldAes, newAes);
      if (await writeRotation(ctx, old, next, resealed)) return newKey;
      if (attempt >= ROTATE_TRIES) throw new VaultStateError('concurrent-change', 'Passkeys kept changing while the PIN was being changed. Please try again.');
    }
  } catch (e) {
    newKey.fill(0);
    // The old PIN was right: whatever failed, the attempt it cost is given back.
    await writeLockout(ctx, NO_FAILURES).catch(() => {});
    throw e;
  } finally {
    vaultKey.fill(0);
  }
}

/** Each passkey's key sealed under the new vault key, by credential id, with the IV it had. */
type Resealed = Map<string, { was: Uint8Array; sealed: Sealed }>;

async function resealAll(ctx: VaultContext, oldAes: CryptoKey, newAes: CryptoKey): Promise<Resealed> {
  const rows = await ctx.conn().getAll('passkeys');
  const out: Resealed = new Map();
  for (const r of rows) {
    const aad = passkeyAad(r.credentialId, r.rpId);
    let secret: Uint8Array;
    try {
      secret = await unseal(oldAes, r.wrappedPrivateKey, aad, 'private key of this passkey');
    } catch (cause) {
      // Left as it is, the passkey would be lost with the old key; refuse the change instead.
      throw new VaultKeyError(`The passkey for ${r.userName || 'an account'} at ${r.rpId} could not be decrypted, so the PIN was not changed. ` +
        'The stored data may be damaged.', { cause });
    }
    try {
      out.set(r.credentialId, { was: r.wrappedPrivateKey.iv, sealed: await seal(newAes, secret, aad) });
    } finally {
      secret.fill(0);
    }
  }
  return out;
}

/**
 * The one transaction of a PIN change. Resolves false (and writes nothing) when passkeys
 * changed since `resealed` was made; throws concurrent-change when the PIN itself changed.
 */
async function writeRotation(ctx: VaultContext, old: VaultKeyRecord, next: VaultKeyRecord, resealed: Resealed): Promise<boolean> {
  // From here on a write that checked the old key is refused before it opens its transaction
  // (records.ts addPasskey, transfer.ts importPasskeys): transactions over the same stores run in
  // the order they were created, so one created earlier is seen below, one created later is refused.
  ctx.keyEpoch++;
  ctx.checkedKey = null;
  ctx.cache.invalidate();
  const tx = ctx.conn().transaction(['meta', 'passkeys'], 'readwrite');
  try {
    const meta = tx.objectStore('meta');
    const passkeys = tx.objectStore('passkeys');
    const [current, rows] = await Promise.all([meta.get('vaultKey'), passkeys.getAll()]);
    if (current?.id !== 'vaultKey' || !equalBytes(current.iv, old.iv)) {
      await tx.done;
      throw new VaultStateError('concurrent-change', 'The PIN was changed somewhere else at the same time. Please try again.');
    }
    const same = rows.length === resealed.size && rows.every((r) => equalBytes(r.wrappedPrivateKey.iv, resealed.get(r.credentialId)?.was ?? new Uint8Array(0)));
    if (!same) {
      await tx.done;
      return false;
    }
    const writes = rows.map((r: PasskeyRecord) => passkeys.put({ ...r, wrappedPrivateKey: resealed.get(r.credentialId)!.sealed }));
    // The old PIN was right, so the wrong-PIN count is reset in this same transaction.
    await commit(tx, [...writes, meta.put(next), meta.put(lockoutRecord(NO_FAILURES))]);
    return true;
  } finally {
    ctx.cache.invalidate();
  }
}

/** Consecutive wrong PINs and the wait before the next try (0 when a PIN may be tried now). */
export async function unlockState(ctx: VaultContext, now: number): Promise<{ attempts: number; retryAfterMs: number }> {
  const state = normalizeLockout(await ctx.conn().get('meta', 'lockout'));
  return { attempts: state.failures, retryAfterMs: retryAfterMs(state, now, reading(ctx)) };
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
  const mono = reading(ctx);
  const wait = retryAfterMs(before, now, mono);
  if (stored === undefined || wait > 0) {
    await tx.done;
    if (stored === undefined) throw notInitialized();
    throw new TooSoonError(wait);
  }
  const record = asVaultKeyRecord(stored);
  const reserved: LockoutState = { failures: before.failures + 1, lastFailureAt: now, mono: { life: mono.life, at: mono.now } };
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
    if (e instanceof VaultKeyError) throw new WrongPinError(reserved.failures, retryAfterMs(reserved, now, mono));
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

/**
 * Imports the raw vault key and proves it is this vault's (see KEY_CHECK_AAD). The caller that then
 * writes something sealed under it checks ctx.keyEpoch (see staleKeyCheck) before its transaction.
 */
export async function checkedVaultKey(ctx: VaultContext, vaultKey: Uint8Array): Promise<CryptoKey> {
  const cached = ctx.checkedKey;
  if (cached && equalBytes(vaultKey, cached.raw)) return cached.key;
  const epoch = ctx.keyEpoch;
  const key = await importVaultKey(vaultKey);
  const stored = await ctx.conn().get('meta', 'vaultKey');
  if (stored === undefined) throw notInitialized();
  const record = asVaultKeyRecord(stored);
  await unseal(key, record.keyCheck, KEY_CHECK_AAD, 'key check').catch((cause: unknown) => {
    throw new VaultKeyError('This vault key does not belong to this vault (it may be out of date). Unlock again.', { cause });
  });
  if (epoch === ctx.keyEpoch) ctx.checkedKey = { raw: vaultKey.slice(), key };
  return key;
}

/**
 * Throws unless the vault key was not rotated since `epoch` (ctx.keyEpoch read before the key was
 * checked). Called right before opening the write transaction, with no await in between.
 */
export function staleKeyCheck(ctx: VaultContext, epoch: number): void {
  if (epoch !== ctx.keyEpoch) {
    throw new VaultKeyError('The PIN was just changed, so this vault key is out of date. Unlock again and retry; nothing was saved.');
  }
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
  return { id: 'lockout', failures: s.failures, lastFailureAt: s.lastFailureAt, mono: s.mono ?? null };
}

/** The monotonic clock now, in this worker life (lockout.ts says why both clocks are kept). */
function reading(ctx: VaultContext): { life: string; now: number } {
  return { life: ctx.clock.life, now: ctx.clock.now() };
}

function notInitialized(): VaultStateError {
  return new VaultStateError('not-initialized', 'No PIN has been set up yet.');
}

function alreadyInitialized(): VaultStateError {
  return new VaultStateError('already-initialized', 'A PIN is already set up. Unlock with it or change it instead.');
}
