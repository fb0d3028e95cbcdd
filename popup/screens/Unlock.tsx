import { useEffect, useState } from 'preact/hooks';
import { Frame, OtherWays } from './Frame';
import { describeWait } from '../../ui/formatDate';
import { t } from '../../ui/i18n';

export interface UnlockProps { busy: boolean; error?: string; retryAfterMs?: number; onUnlock: (pin: string) => void; onHandOver: () => void; onCancel: () => void }

/** Locked, or user verification asked: enter the PIN. */
export function Unlock({ busy, error, retryAfterMs, onUnlock, onHandOver, onCancel }: UnlockProps) {
  const [pin, setPin] = useState('');
  const [waitUntil] = useState(() => (retryAfterMs ? Date.now() + retryAfterMs : 0));
  const [, tick] = useState(0);
  useEffect(() => {
    if (!waitUntil) return;
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [waitUntil]);
  const secondsLeft = Math.max(0, Math.ceil((waitUntil - Date.now()) / 1000));
  // An empty PIN would only cost a wrong attempt: Unlock waits for one.
  const submit = (e: Event) => { e.preventDefault(); if (pin === '') return; onUnlock(pin); setPin(''); };
  return (
    <Frame title={t('unlockTitle')}>
      <form onSubmit={submit}>
        <label>{t('pin')}<input type="password" autoFocus autoComplete="current-password" value={pin} onInput={(e) => setPin(e.currentTarget.value)} /></label>
        {error ? <p role="alert" class="alert">{error}{secondsLeft > 0 ? ` ${t('tryAgainIn', describeWait(secondsLeft * 1000))}` : ''}</p> : null}
        <button type="submit" class="primary" disabled={busy || secondsLeft > 0 || pin === ''}>{t('unlock')}</button>
      </form>
      <div class="stack"><OtherWays busy={busy} onHandOver={onHandOver} onCancel={onCancel} /></div>
    </Frame>
  );
}
