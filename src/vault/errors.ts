// Typed vault errors. The background maps `code` to what the ceremony window shows, so codes are a
// closed union (kebab-case, as src/background already matches on them) and messages are written
// for the person, not for a stack trace.

export type VaultErrorCode =
  | 'pin-policy'
  | 'wrong-pin'
  | 'too-soon'
  | 'not-initialized'
  | 'already-initialized'
  | 'concurrent-change'
  | 'vault-key'
  | 'db-version'
  | 'db-closed'
  | 'duplicate-passkey'
  | 'passkey-not-found'
  | 'invalid-input'
  | 'quota-exceeded'
  | 'backup-passphrase-policy'
  | 'backup-format'
  | 'backup-version'
  | 'backup-passphrase';

export class VaultError extends Error {
  readonly code: VaultErrorCode;
  constructor(code: VaultErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The new PIN does not meet the rules (too short, not text). */
export class PinPolicyError extends VaultError {
  declare readonly code: 'pin-policy';
  constructor(message: string) {
    super('pin-policy', message);
  }
}

/** The PIN was wrong. `attempts` counts consecutive failures; `retryAfterMs` is the wait before the next try. */
export class WrongPinError extends VaultError {
  declare readonly code: 'wrong-pin';
  readonly attempts: number;
  readonly retryAfterMs: number;
  constructor(attempts: number, retryAfterMs: number) {
    super('wrong-pin', retryAfterMs > 0
      ? `Wrong PIN. Too many wrong PINs: try again in ${formatWait(retryAfterMs)}.`
      : 'Wrong PIN. Please try again.');
    this.attempts = attempts;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A PIN was tried while the delay after earlier wrong PINs is still running. The PIN was not checked. */
export class TooSoonError extends VaultError {
  declare readonly code: 'too-soon';
  readonly retryAfterMs: number;
  constructor(retryAfterMs: number) {
    super('too-soon', `Too many wrong PINs: try again in ${formatWait(retryAfterMs)}.`);
    this.retryAfterMs = retryAfterMs;
  }
}

export class VaultStateError extends VaultError {
  declare readonly code: 'not-initialized' | 'already-initialized' | 'concurrent-change' | 'db-closed';
  constructor(code: VaultStateError['code'], message: string) {
    super(code, message);
  }
}

/** The vault key is wrong for this data, or the stored data was altered. */
export class VaultKeyError extends VaultError {
  declare readonly code: 'vault-key';
  constructor(message: string, options?: { cause?: unknown }) {
    super('vault-key', message, options);
  }
}

/** The database was written by a newer Latchkey. Nothing was changed. */
export class VaultVersionError extends VaultError {
  declare readonly code: 'db-version';
  readonly foundVersion: number | undefined;
  readonly supportedVersion: number;
  constructor(foundVersion: number | undefined, supportedVersion: number, options?: { cause?: unknown }) {
    super('db-version',
      `Your saved passkeys were stored by a newer version of Latchkey (storage version ${foundVersion ?? 'unknown'}; ` +
      `this version understands up to ${supportedVersion}). Update Latchkey to use them; nothing was changed or deleted.`,
      options);
    this.foundVersion = foundVersion;
    this.supportedVersion = supportedVersion;
  }
}

export class DuplicatePasskeyError extends VaultError {
  declare readonly code: 'duplicate-passkey';
  constructor(credentialId: string) {
    super('duplicate-passkey', `A passkey with the id ${credentialId} is already saved; nothing was changed.`);
  }
}

export class PasskeyNotFoundError extends VaultError {
  declare readonly code: 'passkey-not-found';
  constructor(credentialId: string) {
    super('passkey-not-found', `No saved passkey has the id ${credentialId}.`);
  }
}

/** A programming error at the vault's boundary; the message names the field. */
export class VaultInputError extends VaultError {
  declare readonly code: 'invalid-input';
  constructor(message: string) {
    super('invalid-input', message);
  }
}

/** The browser refused a write for lack of storage space. The transaction was rolled back: nothing changed. */
export class VaultQuotaError extends VaultError {
  declare readonly code: 'quota-exceeded';
  constructor(options?: { cause?: unknown }) {
    super('quota-exceeded', 'Not enough storage space to save the passkey. Free some disk space and try again.', options);
  }
}

/** A new backup passphrase does not meet the rules (too short, not text). */
export class BackupPassphrasePolicyError extends VaultError {
  declare readonly code: 'backup-passphrase-policy';
  constructor(message: string) {
    super('backup-passphrase-policy', message);
  }
}

/**
 * The file cannot be read as a backup (or as a Bitwarden export). `reason` lets the UI and tests
 * tell the cases apart; the message is already the sentence to show.
 */
export type BackupFormatReason = 'not-json' | 'not-latchkey' | 'not-bitwarden' | 'damaged' | 'kdf-limits';

export class BackupFormatError extends VaultError {
  declare readonly code: 'backup-format';
  readonly reason: BackupFormatReason;
  constructor(reason: BackupFormatReason, message: string, options?: { cause?: unknown }) {
    super('backup-format', message, options);
    this.reason = reason;
  }
}

/** The backup was written by a newer Latchkey (a format version this one does not know). */
export class BackupVersionError extends VaultError {
  declare readonly code: 'backup-version';
  readonly foundVersion: number;
  readonly supportedVersion: number;
  constructor(foundVersion: number, supportedVersion: number) {
    super('backup-version',
      `This backup was made by a newer version of Latchkey (backup format ${foundVersion}; this version reads up to ` +
      `${supportedVersion}). Update Latchkey to restore it.`);
    this.foundVersion = foundVersion;
    this.supportedVersion = supportedVersion;
  }
}

/**
 * AES-GCM cannot tell a wrong passphrase from altered bytes, so neither can we: one error for both.
 */
export class BackupPassphraseError extends VaultError {
  declare readonly code: 'backup-passphrase';
  constructor(options?: { cause?: unknown }) {
    super('backup-passphrase', 'The passphrase is wrong, or the file is damaged.', options);
  }
}

/** "30 seconds", "2 minutes", "1 hour": rounded up so the person never retries a moment too early. */
export function formatWait(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.ceil(s / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.ceil(m / 60);
  return `${h} hour${h === 1 ? '' : 's'}`;
}
