// The PIN asked again before an action that lets every private key leave the vault (an export in
// any format). An unlocked session alone is not enough: a passer-by at an unlocked browser has one.
// The PIN is checked and counted exactly as unlock counts it (the same wrong-PIN count and growing
// waits, src/vault/lockout.ts), so asking for it again gives no extra guesses; a right PIN resets
// the count, as unlock does. Other export formats call this same function before their own work.
import { TooSoonError, WrongPinError } from '../vault/vault';
import { vault } from './vaultInstance';

/** The PIN was not confirmed. The message is for the person; retryAfterMs is the wait after too many wrong PINs. */
export class PinNotConfirmedError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PinNotConfirmedError';
    this.retryAfterMs = retryAfterMs && retryAfterMs > 0 ? retryAfterMs : undefined;
  }
}

/**
 * Resolves when `pin` is this vault's PIN; otherwise throws a PinNotConfirmedError (a wrong PIN is
 * counted; while Latchkey makes the person wait, the PIN is not even checked, and retryAfterMs says
 * for how long). An empty or missing PIN is refused without counting.
 */
export async function confirmPin(pin: string): Promise<void> {
  if (typeof pin !== 'string' || pin === '') throw new PinNotConfirmedError('Enter your Latchkey PIN to continue.');
  const v = await vault();
  let key: Uint8Array;
  try {
    key = await v.unlock(pin);
  } catch (e) {
    if (e instanceof WrongPinError || e instanceof TooSoonError) throw new PinNotConfirmedError(e.message, e.retryAfterMs, { cause: e });
    throw e;
  }
  key.fill(0);
}
