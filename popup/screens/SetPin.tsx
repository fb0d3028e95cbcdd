import { useState } from 'preact/hooks';
import { pinAdvice, weakPinWarning } from '../../ui/pinAdvice';
import { Frame, OtherWays } from './Frame';
import { plural, t } from '../../ui/i18n';

export interface SetPinProps { busy: boolean; error?: string; onSetPin: (pin: string) => void; onHandOver: () => void; onCancel: () => void }

export const MIN_PIN_LENGTH = 4;

/** First use: choose the PIN that locks every passkey. */
export function SetPin({ busy, error, onSetPin, onHandOver, onCancel }: SetPinProps) {
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (pin.length < MIN_PIN_LENGTH) return setProblem(plural('pinTooShort', MIN_PIN_LENGTH));
    if (pin !== confirm) return setProblem(t('pinsDiffer'));
    setProblem(null);
    onSetPin(pin);
  };
  const shown = problem ?? error;
  const weak = weakPinWarning(pin);
  return (
    <Frame title={t('setPinTitle')}>
      <p class="warning">{t('setPinAsks')} <strong>{t('pinForgotten')}</strong></p>
      <form onSubmit={submit}>
        <label>{t('pin')}<input type="password" autoFocus autoComplete="new-password" aria-describedby="pin-advice" value={pin} onInput={(e) => setPin(e.currentTarget.value)} /></label>
        <p id="pin-advice" class="muted">{weak ?? pinAdvice()}</p>
        <label>{t('confirmPin')}<input type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} /></label>
        {shown ? <p role="alert" class="alert">{shown}</p> : null}
        <button type="submit" class="primary" disabled={busy}>{t('setPin')}</button>
      </form>
      <div class="stack"><OtherWays busy={busy} onHandOver={onHandOver} onCancel={onCancel} /></div>
    </Frame>
  );
}
