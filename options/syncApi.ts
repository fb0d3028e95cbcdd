// The manage page's way to sync in the background (src/messages/sync.ts), like api.ts for the rest.
import { browser } from '../src/browser.cjs';
import type { SyncAnswers, SyncRequest } from '../src/messages/sync';
import { ManageError } from './api';
import { t } from '../ui/i18n';

export async function sync<T extends SyncRequest>(req: T): Promise<SyncAnswers[T['type']]> {
  let answer: { ok: true; value: SyncAnswers[T['type']] } | { ok: false; error: string } | undefined;
  try {
    answer = (await browser.runtime.sendMessage(req)) as typeof answer;
  } catch (e) {
    throw new ManageError(t('errorUnreachable', (e as Error)?.message ?? String(e)));
  }
  if (!answer || typeof answer !== 'object') throw new ManageError(t('errorNoAnswer'));
  if (answer.ok) return answer.value;
  throw new ManageError(answer.error);
}
