import { useState } from 'preact/hooks';
import { messageOf } from '../api';
import { ChangePinForm } from './ChangePinForm';
import { Messages } from './Messages';

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
        <h2 id="security-h">Security</h2>
        <Messages alert={error} />
      </div>
      <div class="field">
        <div><button type="button" onClick={lock}>Lock now</button></div>
        <p class="muted hint">Your PIN is then needed again to use or manage your passkeys.</p>
      </div>
      <ChangePinForm onChangePin={onChangePin} />
    </section>
  );
}
