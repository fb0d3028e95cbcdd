// PIN rules for a new PIN: any text, at least 4 characters. Characters are Unicode code points
// after NFC (what deriveKek hashes), so "é" typed either way counts once and hashes the same.
import { PinPolicyError } from './errors.js';

export const MIN_PIN_CHARS = 4;

export function checkPinPolicy(pin: unknown): asserts pin is string {
  if (typeof pin !== 'string') throw new PinPolicyError('The PIN must be text.');
  const chars = [...pin.normalize('NFC')].length;
  if (chars < MIN_PIN_CHARS) {
    throw new PinPolicyError(`The PIN must be at least ${MIN_PIN_CHARS} characters long (it has ${chars}).`);
  }
}
