// The manage page's only way to the background: the typed protocol of src/messages/manage.ts.
import { browser } from '../src/browser.cjs';
import type { ManageAnswer, ManageAnswers, ManageRequest } from '../src/messages/manage';
import { t } from '../ui/i18n';

/** A refusal from the background: its message is for the person; retryAfterMs after wrong PINs. */
export class ManageError extends Error {
  readonly retryAfterMs: number | undefined;
  constructor(message: string, retryAfterMs?: number) {
    super(message);
    this.name = 'ManageError';
    this.retryAfterMs = retryAfterMs;
  }
}

/** Sends one request; resolves with its value, or throws a ManageError with the person-readable message. */
export async function manage<T extends ManageRequest>(req: T): Promise<ManageAnswers[T['type']]> {
  let answer: ManageAnswer<ManageAnswers[T['type']]> | undefined;
  try {
    answer = (await browser.runtime.sendMessage(req)) as ManageAnswer<ManageAnswers[T['type']]> | undefined;
  } catch (e) {
    throw new ManageError(t('errorUnreachable', (e as Error)?.message ?? String(e)));
  }
  if (!answer || typeof answer !== 'object') throw new ManageError(t('errorNoAnswer'));
  if (answer.ok) return answer.value;
  throw new ManageError(answer.error, answer.retryAfterMs);
}

/** The person-readable message of anything thrown. */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
