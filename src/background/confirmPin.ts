// Asks the vault to check the PIN again before something that reveals keys (an export), through
// the same path as unlocking: a wrong PIN is counted and costs the same growing waits.
// (Minimal version for the exchange branch; the vault helper owns this file.)
import { vault } from './vaultInstance';

/** @throws WrongPinError (counted, with the wait before the next try) or TooSoonError. */
export async function confirmPin(pin: string): Promise<void> {
  const key = await (await vault()).unlock(pin);
  key.fill(0);
}
