// The manage page's way to sync in the background (src/messages/sync.ts), like api.ts for the rest.
import { browser } from '../src/browser.cjs';
import type { SyncAnswers, SyncRequest } from '../src/messages/sync';
import { ManageError } from './api';

export async function sync<T extends SyncRequest>(req: T): Promise<SyncAnswers[T['type']]> {
  let answer: { ok: true; value: SyncAnswers[T['type']] } | { ok: false; error: string } | undefined;
  try {
    answer = (await browser.runtime.sendMessage(req)) as typeof answer;
  } catch (e) {
    throw new ManageError(`Latchkey could not reach its background: ${(e as Error)?.message ?? String(e)}`);
  }
  if (!answer || typeof answer !== 'object') throw new ManageError('Latchkey did not answer. Reload this page and try again.');
  if (answer.ok) return answer.value;
  throw new ManageError(answer.error);
}
