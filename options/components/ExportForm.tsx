import { useRef, useState } from 'preact/hooks';
import type { ExchangeFormat } from '../../src/messages/exchange';
import { describeWait } from '../../ui/formatDate';
import { checkPassphrase, MIN_PASSPHRASE_LENGTH } from '../checks';
import { downloadBase64, exchange, withProgress } from '../exchangeApi';
import { useBusy, useSecondsUntil, waitUntilOf } from '../hooks';
import type { Feedback } from './feedback';
import { plural, t } from '../../ui/i18n';

export interface ExportFormProps {
  format: ExchangeFormat;
  passphrase: string;
  guard: <T>(work: Promise<T>) => Promise<T>;
  show: (f: Feedback) => void;
  focusPassphrase: () => void;
  onDone: () => void;
}

/**
 * "Export": the passphrase typed again (or, for a plain file, the warning acknowledged), then the
 * PIN (textbox PIN, button Unlock: docs/CONTRACT.md), then the file goes to the browser's downloads.
 */
export function ExportForm({ format, passphrase, guard, show, focusPassphrase, onDone }: ExportFormProps) {
  const [confirm, setConfirm] = useState('');
  const [plainCxf, setPlainCxf] = useState(false);
  const [askPin, setAskPin] = useState(false);
  const [pin, setPin] = useState('');
  const [waitUntil, setWaitUntil] = useState(0);
  const secondsLeft = useSecondsUntil(waitUntil);
  const { busy, run } = useBusy();
  const pinField = useRef<HTMLInputElement>(null);
  const plain = format === 'bitwarden' || (format === 'cxf' && plainCxf);

  const start = (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (!plain) {
      // Not "backup passphrase": an export to another manager is not a backup.
      const problem = checkPassphrase(passphrase, confirm, 'file');
      if (problem) { show({ alert: problem }); focusPassphrase(); return; }
    }
    show({});
    setAskPin(true);
    setTimeout(() => pinField.current?.focus(), 0);
  };

  const unlock = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (pin === '') { show({ alert: t('enterPin') }); pinField.current?.focus(); return; }
    await run(async () => {
      show({ progress: { phase: t('preparingFile'), done: 0, total: 0 } });
      const req = { type: 'exchange/export' as const, format, pin, ...(plain ? { plain: true } : { passphrase }) };
      const file = await withProgress(guard(exchange(req)), (progress) => { if (progress) show({ progress }); });
      setPin(''); setConfirm(''); setAskPin(false); onDone();
      if (file.count === 0) {
        // No empty file in the downloads: say why instead.
        show({ lines: [t('exportNothing')], details: file.excluded });
        return;
      }
      downloadBase64(file.fileName, file.data, file.mimeType);
      const lines = [plural('exportDone', file.count, file.fileName)];
      if (file.plain) lines.push(t('exportPlainKeepSafe'));
      if (file.excluded.length > 0) lines.push(plural('exportLeftOut', file.excluded.length));
      show({ lines, details: file.excluded });
    }, (message, err) => {
      setPin('');
      setWaitUntil(waitUntilOf(err));
      show({ alert: message });
      pinField.current?.focus();
    });
  };

  return (
    <section aria-labelledby="export-h" class="sub">
      <h3 id="export-h">{t('exportHeading')}</h3>
      <p class="warning" id="export-warning">
        <strong>{t('exportHoldsKeys')}</strong> {plain ? t('exportRiskPlain') : t('exportRiskEncrypted')}
      </p>
      {!askPin ? (
        <form class="narrow" onSubmit={start} noValidate>
          {!plain ? (
            <label>{t('confirmPassphrase')}<input type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} /></label>
          ) : null}
          {!plain ? <p class="muted hint">{plural('passphraseMinHint', MIN_PASSPHRASE_LENGTH)}</p> : null}
          {format === 'cxf' ? (
            <label class="choice"><input type="checkbox" checked={plainCxf} onChange={(e) => setPlainCxf(e.currentTarget.checked)} />{t('exportPlainCxf')}</label>
          ) : null}
          {plain ? (
            <p class="warning" id="plain-warning">
              <strong>{t('plainWarningTitle')}</strong> {t('plainWarningText')}
            </p>
          ) : null}
          <div><button type="submit" class="primary">{t('exportButton')}</button></div>
        </form>
      ) : (
        <form class="narrow" onSubmit={unlock} aria-busy={busy} noValidate>
          <p>{plain ? t('exportEnterPinPlain') : t('exportEnterPin')}</p>
          <label>{t('pin')}<input ref={pinField} type="password" autoComplete="current-password" value={pin} onInput={(e) => setPin(e.currentTarget.value)} /></label>
          {secondsLeft > 0 ? <p class="muted">{t('tryAgainIn', describeWait(secondsLeft * 1000))}</p> : null}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || secondsLeft > 0}>{t('unlock')}</button>{' '}
            <button type="button" disabled={busy} onClick={() => { setAskPin(false); setPin(''); show({ status: t('nothingExported') }); }}>{t('cancel')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
