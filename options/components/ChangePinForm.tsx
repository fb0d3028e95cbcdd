import { useRef, useState } from 'preact/hooks';
import { checkNewPin, MIN_PIN_LENGTH } from '../checks';
import { describeWait } from '../../ui/formatDate';
import { plural, t } from '../../ui/i18n';
import { pinAdvice, weakPinWarning } from '../../ui/pinAdvice';
import { useBusy, useFeedback, useSecondsUntil, waitUntilOf } from '../hooks';
import { Messages } from './Messages';

export interface ChangePinFormProps {
  onChangePin: (oldPin: string, newPin: string) => Promise<void>;
}

/** Current PIN, new PIN twice. A wrong current PIN counts as a wrong PIN (and may make Latchkey wait). */
export function ChangePinForm({ onChangePin }: ChangePinFormProps) {
  const [current, setCurrent] = useState('');
  const [pin, setPin] = useState('');
  const [confirm, setConfirm] = useState('');
  const [waitUntil, setWaitUntil] = useState(0);
  const secondsLeft = useSecondsUntil(waitUntil);
  const { feedback, show } = useFeedback();
  const { busy, run } = useBusy();
  const weak = weakPinWarning(pin);
  const currentField = useRef<HTMLInputElement>(null);
  const pinField = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || secondsLeft > 0) return;
    if (current === '') { show({ alert: t('enterCurrentPin') }); currentField.current?.focus(); return; }
    const problem = checkNewPin(pin, confirm);
    if (problem) { show({ alert: problem }); pinField.current?.focus(); return; }
    show({ status: t('changingPin') });
    await run(async () => {
      await onChangePin(current, pin);
      setCurrent(''); setPin(''); setConfirm('');
      show({ status: t('pinChanged') });
    }, (message, err) => {
      show({ alert: message });
      setWaitUntil(waitUntilOf(err));
      setCurrent('');
      currentField.current?.focus();
    });
  };
  return (
    <section aria-labelledby="change-pin-h" class="sub">
      <h3 id="change-pin-h">{t('changePin')}</h3>
      <form class="narrow" onSubmit={submit} aria-busy={busy} noValidate>
        <label>{t('currentPin')}<input ref={currentField} type="password" autoComplete="current-password" value={current} onInput={(e) => setCurrent(e.currentTarget.value)} /></label>
        <label>{t('newPin')}<input ref={pinField} type="password" autoComplete="new-password" aria-describedby="new-pin-hint" value={pin} onInput={(e) => setPin(e.currentTarget.value)} /></label>
        <p id="new-pin-hint" class="muted hint">{plural('newPinHint', MIN_PIN_LENGTH)} {weak ?? pinAdvice()}</p>
        <label>{t('confirmNewPin')}<input type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} /></label>
        <Messages status={feedback.status} alert={feedback.alert} alertDetail={secondsLeft > 0 ? t('tryAgainIn', describeWait(secondsLeft * 1000)) : ''} />
        <div><button type="submit" class="primary" disabled={secondsLeft > 0}>{t('changePin')}</button></div>
      </form>
    </section>
  );
}
