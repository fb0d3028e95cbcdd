import { useRef, useState } from 'preact/hooks';
import type { ExchangeFormat } from '../../src/messages/exchange';
import { ExportForm } from './ExportForm';
import type { Feedback } from './feedback';
import { ImportForm } from './ImportForm';

export interface BackupSectionProps {
  /** Runs a request; shows the locked screen if Latchkey locked itself meanwhile. */
  guard: <T>(work: Promise<T>) => Promise<T>;
  /** After an import: the list of passkeys is read again. */
  onImported: () => Promise<void>;
}

/** What each kind of file is, in a sentence (docs/EXCHANGE.md has the full table). */
const ABOUT: Record<ExchangeFormat, string> = {
  latchkey: 'Latchkey\'s own backup, encrypted under a passphrase: everything about every passkey, for another Latchkey.',
  cxf: 'The FIDO Alliance\'s Credential Exchange Format, which Apple Passwords, Bitwarden, 1Password and others read. Latchkey encrypts it under a passphrase unless you ask for a plain file. Passkeys whose signature counter is not zero cannot go in it.',
  kdbx: 'A KeePass database with KeePassXC\'s passkey fields (KeePassXC, KeePassDX, KeePassium, Strongbox), locked with the passphrase as its master password.',
  bitwarden: 'Bitwarden\'s unencrypted JSON export (Bitwarden keeps only P-256 passkeys). The file is not encrypted.',
};

const LABELS: [ExchangeFormat, string][] = [
  ['latchkey', 'Latchkey backup'], ['cxf', 'CXF'], ['kdbx', 'KeePassXC (KDBX)'], ['bitwarden', 'Bitwarden JSON'],
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
      <h2 id="backup-h">Backup, import and export</h2>
      <p class="muted">Move your passkeys to and from other password managers, or keep a backup. Passkeys already in Latchkey are never overwritten.</p>
      <fieldset class="choices">
        <legend>Kind of file</legend>
        {LABELS.map(([value, label]) => (
          <label class="choice" key={value}>
            <input type="radio" name="exchange-format" value={value} checked={format === value} onChange={() => { setFormat(value); setFeedback({}); }} />{label}
          </label>
        ))}
      </fieldset>
      <p class="muted" id="format-about">{ABOUT[format]}</p>
      {usesPassphrase ? (
        <div class="narrow"><label>Passphrase
          <input ref={passField} type="password" autoComplete="off" aria-describedby="passphrase-hint" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} />
        </label></div>
      ) : null}
      {usesPassphrase ? (
        <p id="passphrase-hint" class="muted hint">
          {format === 'kdbx' ? 'The database\'s master password. ' : ''}To import: the file’s passphrase{format === 'cxf' ? ' (a plain CXF file has none)' : ''}. To export: a new one, at least 8 characters, typed twice.
        </p>
      ) : null}
      <ImportForm format={format} passphrase={passphrase} guard={guard} onImported={onImported} show={setFeedback} focusPassphrase={() => passField.current?.focus()} />
      <ExportForm format={format} passphrase={passphrase} guard={guard} show={setFeedback} focusPassphrase={() => passField.current?.focus()} onDone={() => setPassphrase('')} />
      <div class="messages">
        <div role="status" class="status">
          {progress ? (
            <p>
              <progress aria-label={progress.phase} max={progress.total || undefined} value={progress.total ? progress.done : undefined} />{' '}
              {progress.phase}{progress.total ? `: ${progress.done.toLocaleString('en')} of ${progress.total.toLocaleString('en')}` : '…'}
            </p>
          ) : null}
          {feedback.status ? <p>{feedback.status}</p> : null}
          {(feedback.lines ?? []).map((l) => <p key={l}>{l}</p>)}
          {feedback.details && feedback.details.length > 0 ? (
            <ul class="skipped">{feedback.details.map((s, i) => <li key={i}><strong>{s.name || 'Unnamed entry'}</strong>: {s.reason}</li>)}</ul>
          ) : null}
        </div>
        {feedback.alert ? <p role="alert" class="alert">{feedback.alert}</p> : null}
      </div>
    </section>
  );
}
