import { useState } from 'preact/hooks';
import { messageOf } from '../api';
import { ChangePinForm } from './ChangePinForm';
import { Messages } from './Messages';
import { t } from '../../ui/i18n';

export interface SecuritySectionProps {
  /** Locks now; the page then shows the locked screen. */
  onLock: () => Promise<void>;
  /** Throws a ManageError (retryAfterMs after a wrong current PIN). */
  onChangePin: (oldPin: string, newPin: string) => Promise<void>;
}

/** "Security": lock now, change the PIN. */
export function SecuritySection({ onLock, onChangePin }: SecuritySectionProps) {
  const [error, setError] = useState('');
  const lock = () => { setError(''); onLock().catch((e) => setError(messageOf(e))); };
  return (
    <section id="security" aria-labelledby="security-h" class="card">
      <div class="section-head">
        <h2 id="security-h">{t('security')}</h2>
        <Messages alert={error} />
      </div>
      <div class="field">
        <div><button type="button" onClick={lock}>{t('lockNow')}</button></div>
        <p class="muted hint">{t('lockNowHint')}</p>
      </div>
      <ChangePinForm onChangePin={onChangePin} />
    </section>
  );
}
