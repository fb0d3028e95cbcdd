// What every format module gives back, and the one error they throw: a message a person reads.
import type { ExportedPasskey } from '../vault/vault.js';

/** The formats of the manage page's "Kind of file" group (docs/CONTRACT.md). */
export type ExchangeFormat = 'latchkey' | 'cxf' | 'kdbx' | 'bitwarden';

export const FORMAT_NAMES: Record<ExchangeFormat, string> = {
  latchkey: 'Latchkey backup', cxf: 'CXF', kdbx: 'KeePassXC (KDBX)', bitwarden: 'Bitwarden JSON',
};

/** A passkey of the file that cannot come over (or go out), with a sentence saying why. */
export interface Skipped { name: string; reason: string }

/** What a file held: the passkeys Latchkey can use (each checked), and the ones it cannot. */
export interface ForeignImport { items: ExportedPasskey[]; skipped: Skipped[] }

/** What an export wrote, and what it had to leave out (each with its reason). */
export interface ForeignExport<T> { file: T; count: number; excluded: Skipped[] }

/**
 * A file that cannot be read: the wrong format, the wrong passphrase, damaged, too big. The
 * message is for the person; `code` is for tests and the page.
 */
export class ExchangeFileError extends Error {
  readonly code: 'wrong-format' | 'passphrase' | 'damaged' | 'too-big' | 'unsupported' | 'policy';
  constructor(code: ExchangeFileError['code'], message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'ExchangeFileError';
    this.code = code;
  }
}

/** Progress of a long step: `done` of `total` passkeys (or bytes). */
export type OnProgress = (done: number, total: number) => void;

/**
 * Gives the event loop a turn every `every` items, so the background can answer the page's
 * progress questions while a large file is read.
 */
export async function pace(i: number, total: number, onProgress: OnProgress | undefined, every = 25): Promise<void> {
  if (i % every !== 0 && i !== total) return;
  onProgress?.(i, total);
  await new Promise((r) => setTimeout(r, 0));
}
