import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { describeWait } from '../../ui/formatDate';
import { useSecondsUntil, waitUntilOf } from '../hooks';
import { messageOf } from '../api';
import { Messages } from './Messages';
import { Page } from './Page';
import { t } from '../../ui/i18n';

export interface LockedScreenProps {
  /** From the vault's state: wrong PINs before this page opened may still make it wait. */
  initialRetryAfterMs: number;
  /** Resolves when unlocked; throws a ManageError (with retryAfterMs) on a wrong PIN. */
  onUnlock: (pin: string) => Promise<void>;
}

/** Locked: the PIN, then everything else. */
export function LockedScreen({ initialRetryAfterMs, onUnlock }: LockedScreenProps) {
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(initialRetryAfterMs > 0 ? t('tooManyWrongPins') : '');
  const [waitUntil, setWaitUntil] = useState(() => (initialRetryAfterMs > 0 ? Date.now() + initialRetryAfterMs : 0));
  const secondsLeft = useSecondsUntil(waitUntil);
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => { input.current?.focus(); }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (pin === '' || busy || secondsLeft > 0) return;
    setBusy(true);
    setError('');
    try {
      await onUnlock(pin);
    } catch (err) {
      setError(messageOf(err));
      setWaitUntil(waitUntilOf(err));
      setPin('');
      setBusy(false);
      input.current?.focus();
    }
  };
  return (
    <Page title={t('lockedTitle')}>
      <p>{t('lockedIntro')}</p>
      <form class="card narrow" onSubmit={submit} aria-busy={busy}>
        <label>{t('pin')}<input ref={input} type="password" autoComplete="current-password" value={pin} onInput={(e) => setPin(e.currentTarget.value)} /></label>
        <Messages status={busy ? t('checkingPin') : ''} alert={error} alertDetail={secondsLeft > 0 ? t('tryAgainIn', describeWait(secondsLeft * 1000)) : ''} />
        <button type="submit" class="primary" disabled={pin === '' || secondsLeft > 0}>{t('unlock')}</button>
      </form>
    </Page>
  );
}
