import { useState } from 'preact/hooks';
import { PIN_ADVICE, weakPinWarning } from '../../ui/pinAdvice';
import { Frame, OtherWays } from './Frame';

export interface SetPinProps { busy: boolean; error?: string; onSetPin: (pin: string) => void; onHandOver: () => void; onCancel: () => void }

export const MIN_PIN_LENGTH = 4;

/** First use: choose the PIN that locks every passkey. */
export function SetPin({ busy, error, onSetPin, onHandOver, onCancel }: SetPinProps) {
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: Event) => {
    e.preventDefault();
    if (pin.length < MIN_PIN_LENGTH) return setProblem(`Use at least ${MIN_PIN_LENGTH} characters.`);
    if (pin !== confirm) return setProblem('The two PINs are not the same.');
    setProblem(null);
    onSetPin(pin);
  };
  const shown = problem ?? error;
  const weak = weakPinWarning(pin);
  return (
    <Frame title="Choose a PIN for Latchkey">
      <p class="warning">Latchkey asks for this PIN to use your passkeys. <strong>If you forget it, your passkeys cannot be recovered.</strong></p>
      <form onSubmit={submit}>
        <label>PIN<input type="password" autoFocus autoComplete="new-password" aria-describedby="pin-advice" value={pin} onInput={(e) => setPin(e.currentTarget.value)} /></label>
        <p id="pin-advice" class="muted">{weak ?? PIN_ADVICE}</p>
        <label>Confirm PIN<input type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} /></label>
        {shown ? <p role="alert" class="alert">{shown}</p> : null}
        <button type="submit" class="primary" disabled={busy}>Set PIN</button>
      </form>
      <div class="stack"><OtherWays busy={busy} onHandOver={onHandOver} onCancel={onCancel} /></div>
    </Frame>
  );
}
