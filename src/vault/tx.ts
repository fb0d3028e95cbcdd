// What every vault write shares: waiting for a transaction's commit (and telling a full disk from
// other failures), and the argument checks at the vault's boundary.
import { VaultError, VaultInputError, VaultQuotaError } from './errors.js';

/**
 * Waits for a transaction's writes and its commit. A full disk shows up as the transaction
 * aborting with QuotaExceededError (browsers may report it only at commit, after every put
 * "succeeded"); the requests still pending then fail with a bare AbortError, so the transaction's
 * own error is what tells. Either way IndexedDB has rolled the whole transaction back.
 */
export async function commit(tx: { done: Promise<void>; error: DOMException | null }, writes: Promise<unknown>[]): Promise<void> {
  try {
    await Promise.all([...writes, tx.done]);
  } catch (e) {
    // Once the transaction has aborted, its error names the cause; a pending request only says AbortError.
    const reason = tx.error ?? e;
    if (isDomError(e, 'QuotaExceededError') || isDomError(reason, 'QuotaExceededError')) throw new VaultQuotaError({ cause: reason });
    throw reason;
  }
}

export function isDomError(e: unknown, name: string): boolean {
  return !(e instanceof VaultError) && (e as { name?: unknown } | null)?.name === name;
}

export function checkId(credentialId: unknown): string {
  if (typeof credentialId !== 'string' || credentialId.length === 0) throw new VaultInputError('"credentialId" must be a non-empty string');
  return credentialId;
}

export function checkRpId(rpId: unknown): string {
  if (typeof rpId !== 'string' || rpId.length === 0) throw new VaultInputError('"rpId" must be a non-empty string');
  return rpId;
}

export function checkHandle(userHandle: unknown): string {
  if (typeof userHandle !== 'string') throw new VaultInputError('"userHandle" must be a string');
  return userHandle;
}

export function checkTime(at: unknown): number {
  if (typeof at !== 'number' || !Number.isFinite(at)) throw new VaultInputError('"at" must be a finite number (ms since epoch)');
  return at;
}

export function equalBytes(a: unknown, b: Uint8Array): boolean {
  return a instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);
}
