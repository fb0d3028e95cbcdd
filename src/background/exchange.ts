// The manage page's import and export in the exchange formats (src/exchange/): preview, import,
// export, and the progress of the one running. Reached through manage.ts, which admits only
// Latchkey's own manage page. Keys stay here: the page gets counts and names, and the file it asked for.
import { readImport, writeExport } from '../exchange/files';
import { previewImport } from '../exchange/preview';
import { ExchangeFileError, type ForeignImport } from '../exchange/types';
import {
  EXCHANGE_FORMATS, MAX_EXCHANGE_FILE_BYTES, base64ToBytes, bytesToBase64,
  type ExchangeAnswers, type ExchangeFormat, type ExchangeProgress, type ExchangeRequest,
} from '../messages/exchange';
import { confirmPin } from './confirmPin';
import { readSession, touchSession } from './session';
import { vault } from './vaultInstance';

/** The step running now (one at a time: the page runs one request at a time). */
let progress: ExchangeProgress | null = null;

async function unlockedKey(): Promise<Uint8Array> {
  const s = await readSession();
  if (!s) throw new Error('Latchkey is locked. Unlock it with your PIN first.');
  await touchSession();
  return s.vaultKey;
}

function format(v: unknown): ExchangeFormat {
  if (!EXCHANGE_FORMATS.includes(v as ExchangeFormat)) throw new Error('Choose a kind of file.');
  return v as ExchangeFormat;
}

/** The file's bytes, refused by size before decoding (base64 is 4/3 of the bytes). */
function fileBytes(data: unknown): Uint8Array {
  if (typeof data !== 'string') throw new Error('No file was sent.');
  if (data.length > Math.ceil(MAX_EXCHANGE_FILE_BYTES / 3) * 4 + 4) {
    throw new ExchangeFileError('too-big', `This file is too big to be a passkey file (Latchkey reads up to ${MAX_EXCHANGE_FILE_BYTES / 1024 / 1024} MB).`);
  }
  try { return base64ToBytes(data); } catch { throw new Error('The file did not arrive whole. Choose it again.'); }
}

async function read(m: { format: unknown; data: unknown; passphrase?: unknown }): Promise<ForeignImport> {
  const f = format(m.format);
  const bytes = fileBytes(m.data);
  progress = { phase: 'Reading the file', done: 0, total: 0 };
  return readImport(f, bytes, typeof m.passphrase === 'string' ? m.passphrase : '', {
    onProgress: (done, total) => { progress = { phase: 'Checking passkeys', done, total }; },
  });
}

const handlers: { [K in ExchangeRequest['type']]: (m: Extract<ExchangeRequest, { type: K }>) => Promise<ExchangeAnswers[K]> } = {
  async 'exchange/preview'(m) {
    await unlockedKey();
    try {
      const file = await read(m);
      return previewImport(file, await (await vault()).listAll());
    } finally {
      progress = null;
    }
  },
  async 'exchange/import'(m) {
    const key = await unlockedKey();
    try {
      const file = await read(m);
      progress = { phase: 'Saving passkeys', done: 0, total: file.items.length };
      // One transaction: every passkey, or (on any failure) none; never an overwrite (Vault.importPasskeys).
      const r = await (await vault()).importPasskeys(key, file.items);
      return { added: r.added.length, unchanged: r.unchanged.length, conflicts: r.conflicts.length, skipped: file.skipped };
    } finally {
      progress = null;
    }
  },
  async 'exchange/export'(m) {
    const f = format(m.format);
    const key = await unlockedKey();
    if (typeof m.pin !== 'string' || m.pin === '') throw new Error('Enter your PIN to export.');
    // An export holds every private key: the PIN is asked again, counted as an unlock is.
    await confirmPin(m.pin);
    try {
      progress = { phase: 'Preparing the file', done: 0, total: 0 };
      const items = await (await vault()).exportPasskeys(key);
      const file = await writeExport(f, items, { passphrase: typeof m.passphrase === 'string' ? m.passphrase : '', plain: f === 'cxf' && m.plain === true });
      return { fileName: file.fileName, mimeType: file.mimeType, data: bytesToBase64(file.bytes), count: file.count, excluded: file.excluded, plain: file.plain };
    } finally {
      progress = null;
    }
  },
  async 'exchange/progress'() {
    return progress;
  },
};

export async function onExchangeMessage(m: ExchangeRequest): Promise<unknown> {
  if (!Object.hasOwn(handlers, m.type)) throw new Error('Unknown request.');
  return (handlers[m.type] as (x: ExchangeRequest) => Promise<unknown>)(m);
}
