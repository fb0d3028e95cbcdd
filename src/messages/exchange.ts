// The manage page's protocol for moving passkeys between managers (options/ -> background). Only
// Latchkey's own manage page may send these (manage.ts checks the sender). Files travel as
// base64; private keys never reach the page except inside the exported file the person asked for.

/** The "Kind of file" radio group (docs/CONTRACT.md). */
export type ExchangeFormat = 'latchkey' | 'cxf' | 'kdbx' | 'bitwarden';

export const EXCHANGE_FORMATS: readonly ExchangeFormat[] = ['latchkey', 'cxf', 'kdbx', 'bitwarden'];

/** The largest file the page sends (src/exchange/files.ts MAX_IMPORT_BYTES). */
export const MAX_EXCHANGE_FILE_BYTES = 32 * 1024 * 1024;

export interface ExchangeSkipped { name: string; reason: string }

export interface ExchangePreview {
  total: number;
  added: number;
  unchanged: number;
  conflicts: { name: string; rpId: string }[];
  duplicatesInFile: number;
  sites: { rpId: string; count: number }[];
  skipped: ExchangeSkipped[];
}

export interface ExchangeImportReport {
  added: number;
  unchanged: number;
  conflicts: number;
  skipped: ExchangeSkipped[];
}

export interface ExchangeExportFile {
  fileName: string;
  mimeType: string;
  /** The file, base64. */
  data: string;
  count: number;
  excluded: ExchangeSkipped[];
  plain: boolean;
}

/** A long step in progress: `done` of `total` (passkeys), in the words of `phase`. */
export interface ExchangeProgress { phase: string; done: number; total: number }

export type ExchangeRequest =
  /** What importing this file would do (nothing is written). */
  | { type: 'exchange/preview'; format: ExchangeFormat; data: string; passphrase?: string }
  /** Imports the file (read again, so nothing from the preview lingers in the background). */
  | { type: 'exchange/import'; format: ExchangeFormat; data: string; passphrase?: string }
  /** Exports every passkey; the PIN is asked again. `plain` (CXF only) after the page's warning. */
  | { type: 'exchange/export'; format: ExchangeFormat; pin: string; passphrase?: string; plain?: boolean }
  | { type: 'exchange/progress' };

export interface ExchangeAnswers {
  'exchange/preview': ExchangePreview;
  'exchange/import': ExchangeImportReport;
  'exchange/export': ExchangeExportFile;
  'exchange/progress': ExchangeProgress | null;
}

export function isExchangeRequest(m: unknown): m is ExchangeRequest {
  const type = (m as { type?: unknown } | null)?.type;
  return typeof type === 'string' && type.startsWith('exchange/');
}

/** Standard base64 of bytes, in chunks (a 32 MB file would overflow one fromCharCode call). */
export function bytesToBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** @throws TypeError when not base64. */
export function base64ToBytes(b64: string): Uint8Array {
  let bin: string;
  try { bin = atob(b64); } catch { throw new TypeError('not base64'); }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
