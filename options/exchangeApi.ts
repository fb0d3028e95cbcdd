// The manage page's side of moving passkeys (src/messages/exchange.ts): requests, the file read
// as base64 with its progress, the exported file handed to the browser's downloads.
import { browser } from '../src/browser.cjs';
import type { ManageAnswer } from '../src/messages/manage';
import { base64ToBytes, type ExchangeAnswers, type ExchangeProgress, type ExchangeRequest } from '../src/messages/exchange';
import { ManageError } from './api';
import { t } from '../ui/i18n';

export async function exchange<T extends ExchangeRequest>(req: T): Promise<ExchangeAnswers[T['type']]> {
  let answer: ManageAnswer<ExchangeAnswers[T['type']]> | undefined;
  try {
    answer = (await browser.runtime.sendMessage(req)) as ManageAnswer<ExchangeAnswers[T['type']]> | undefined;
  } catch (e) {
    throw new ManageError(t('errorUnreachable', (e as Error)?.message ?? String(e)));
  }
  if (!answer || typeof answer !== 'object') throw new ManageError(t('errorNoAnswer'));
  if (answer.ok) return answer.value;
  throw new ManageError(answer.error, answer.retryAfterMs);
}

/**
 * Runs `work` while asking the background, at once and then ten times a second, how far it is (a
 * large file takes a while to check); each answer goes to onProgress.
 */
export async function withProgress<T>(work: Promise<T>, onProgress: (p: ExchangeProgress | null) => void): Promise<T> {
  let done = false;
  // At once, not after the first wait: on a fast machine checking 2,000 keys takes well under a
  // second, and a first question after 250 ms came when the work was already done (no bar shown).
  const poll = async () => {
    while (!done) {
      try { const p = await exchange({ type: 'exchange/progress' }); if (!done) onProgress(p); } catch { /* the work's own error is what counts */ }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  void poll();
  try { return await work; } finally { done = true; }
}

/** The file's bytes as base64 (what the message carries), reporting bytes read. */
export function readFileBase64(file: File, onProgress: (loaded: number, total: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
    reader.onerror = () => reject(new ManageError(t('fileUnreadable', file.name)));
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.readAsDataURL(file);
  });
}

/** Hands the exported file to the browser's downloads (a Blob URL and an <a download> click; no downloads permission). */
export function downloadBase64(fileName: string, data: string, type: string): void {
  const bytes = base64ToBytes(data);
  const url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  bytes.fill(0);
  // Firefox reads the Blob after the click returns: revoke it later, not now.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
