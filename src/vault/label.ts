// The name a person gives a passkey ("Work laptop", "Ada's YubiKey"...). Stored trimmed; an empty
// name is stored as null so "no name" has one form. Characters are Unicode code points after NFC,
// as for the PIN, so an accent typed either way counts once and a name is never cut mid-character.
import { VaultInputError } from './errors.js';

export const MAX_LABEL_CHARS = 64;

/** Trims; '' -> null. @throws VaultInputError when not text/null or longer than MAX_LABEL_CHARS. */
export function normalizeLabel(v: unknown, field = 'label'): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') throw new VaultInputError(`"${field}" must be a string or null`);
  const label = v.normalize('NFC').trim();
  const chars = [...label].length;
  if (chars > MAX_LABEL_CHARS) {
    throw new VaultInputError(`The name can be at most ${MAX_LABEL_CHARS} characters long (it has ${chars}).`);
  }
  return label === '' ? null : label;
}

/** For names coming from elsewhere (another manager's item name): shortened instead of refused. */
export function labelFromForeignName(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const chars = [...v.normalize('NFC').trim()].slice(0, MAX_LABEL_CHARS);
  return normalizeLabel(chars.join('').trim());
}
