// PIN rules for a new PIN: any text, at least 4 characters. Characters are Unicode code points
// after NFC (what deriveKek hashes), so "é" typed either way counts once and hashes the same.
//
// Short PINs are WARNED about, not refused (the screens that set one say what it is worth:
// ui/pinAdvice.ts). Why: against someone at this computer, the wrong-PIN waits (lockout.ts) make even
// four digits slow to guess through Latchkey (after 3 free tries, 30 s growing to an hour per
// try); against someone holding a copy of the profile only length helps, and four digits fall in
// about an hour on one core here (docs/security/vault.md). A person may knowingly accept that
// (a test profile, a machine nobody else can copy from); refusing would also break every suite that
// sets a PIN such as '1234' through the fixture (testing/handle.ts setPin) and every existing vault
// whose owner changes the PIN to another short one. So the floor stays at 4 and the push is in words.
import { PinPolicyError } from './errors.js';

export const MIN_PIN_CHARS = 4;

export function checkPinPolicy(pin: unknown): asserts pin is string {
  if (typeof pin !== 'string') throw new PinPolicyError('The PIN must be text.');
  const chars = [...pin.normalize('NFC')].length;
  if (chars < MIN_PIN_CHARS) {
    throw new PinPolicyError(`The PIN must be at least ${MIN_PIN_CHARS} characters long (it has ${chars}).`);
  }
}
