import { useRef, useState } from 'preact/hooks';
import type { ExchangeFormat } from '../../src/messages/exchange';
import { ExportForm } from './ExportForm';
import type { Feedback } from './feedback';
import { ImportForm } from './ImportForm';
import { MIN_PASSPHRASE_LENGTH } from '../checks';
import { plural, t } from '../../ui/i18n';

export interface BackupSectionProps {
  /** Runs a request; shows the locked screen if Latchkey locked itself meanwhile. */
  guard: <T>(work: Promise<T>) => Promise<T>;
  /** After an import: the list of passkeys is read again. */
  onImported: () => Promise<void>;
}

/** What each kind of file is, in a sentence (docs/EXCHANGE.md has the full table). */
const ABOUT: Record<ExchangeFormat, () => string> = {
  latchkey: () => t('formatAboutLatchkey'),
  cxf: () => t('formatAboutCxf'),
  kdbx: () => t('formatAboutKdbx'),
  bitwarden: () => t('formatAboutBitwarden'),
};

const LABELS: [ExchangeFormat, () => string][] = [
  ['latchkey', () => t('formatLatchkey')], ['cxf', () => t('formatCxf')], ['kdbx', () => t('formatKdbx')], ['bitwarden', () => t('formatBitwarden')],
];

/**
 * "Backup, import and export": one "Kind of file" group and one passphrase serve both directions
 * (docs/CONTRACT.md), then Import (with its preview) or Export (with the PIN).
 */
export function BackupSection({ guard, onImported }: BackupSectionProps) {
  const [format, setFormat] = useState<ExchangeFormat>('latchkey');
  const [passphrase, setPassphrase] = useState('');
  const [feedback, setFeedback] = useState<Feedback>({});
  const passField = useRef<HTMLInputElement>(null);
  const usesPassphrase = format !== 'bitwarden';
  const { progress } = feedback;
  return (
    <section id="backup" aria-labelledby="backup-h" class="card">
      <h2 id="backup-h">{t('backupHeading')}</h2>
      <p class="muted">{t('backupIntro')}</p>
      <fieldset class="choices">
        <legend>{t('kindOfFile')}</legend>
        {LABELS.map(([value, label]) => (
          <label class="choice" key={value}>
            <input type="radio" name="exchange-format" value={value} checked={format === value} onChange={() => { setFormat(value); setFeedback({}); }} />{label()}
          </label>
        ))}
      </fieldset>
      <p class="muted" id="format-about">{ABOUT[format]()}</p>
      {usesPassphrase ? (
        <div class="narrow"><label>{t('passphrase')}
          <input ref={passField} type="password" autoComplete="off" aria-describedby="passphrase-hint" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
        </label></div>
      ) : null}
      {usesPassphrase ? (
        <p id="passphrase-hint" class="muted hint">
          {[
            ...(format === 'kdbx' ? [t('passphraseHintKdbx')] : []),
            format === 'cxf' ? t('passphraseHintImportCxf') : t('passphraseHintImport'),
            plural('passphraseHintExport', MIN_PASSPHRASE_LENGTH),
          ].join(' ')}
        </p>
      ) : null}
      <ImportForm format={format} passphrase={passphrase} guard={guard} onImported={onImported} show={setFeedback} focusPassphrase={() => passField.current?.focus()} />
      <ExportForm format={format} passphrase={passphrase} guard={guard} show={setFeedback} focusPassphrase={() => passField.current?.focus()} onDone={() => setPassphrase('')} />
      <div class="messages">
        <div role="status" class="status">
          {progress ? (
            <p>
              <progress aria-label={progress.phase} max={progress.total || undefined} value={progress.total ? progress.done : undefined} />{' '}
              {progress.total ? t('progressCount', progress.phase, progress.done, progress.total) : `${progress.phase}…`}
            </p>
          ) : null}
          {feedback.status ? <p>{feedback.status}</p> : null}
          {(feedback.lines ?? []).map((l) => <p key={l}>{l}</p>)}
          {feedback.details && feedback.details.length > 0 ? (
            <ul class="skipped">{feedback.details.map((s, i) => <li key={i}><strong>{s.name || t('unnamedEntry')}</strong>: {s.reason}</li>)}</ul>
          ) : null}
        </div>
        {feedback.alert ? <p role="alert" class="alert">{feedback.alert}</p> : null}
      </div>
    </section>
  );
}
