import { useRef, useState } from 'preact/hooks';
import type { ImportReport } from '../../src/messages/manage';
import { MAX_BACKUP_BYTES } from '../checks';
import { useBusy } from '../hooks';
import { ImportReportView } from './ImportReportView';

export interface ImportFormProps {
  onImport: (format: 'latchkey' | 'bitwarden', content: string, passphrase?: string) => Promise<ImportReport>;
}

type Format = 'latchkey' | 'bitwarden';

/** "Import passkeys": a Latchkey backup (with its passphrase) or a Bitwarden unencrypted JSON export. */
export function ImportForm({ onImport }: ImportFormProps) {
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<Format>('latchkey');
  const [passphrase, setPassphrase] = useState('');
  const [progress, setProgress] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState('');
  const { busy, run } = useBusy();
  const fileField = useRef<HTMLInputElement>(null);
  const passField = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setReport(null);
    setError('');
    if (!file) { setError('Choose the backup file first.'); fileField.current?.focus(); return; }
    if (file.size > MAX_BACKUP_BYTES) { setError(`${file.name} is too big to be a backup (over ${MAX_BACKUP_BYTES / 1024 / 1024} MB).`); fileField.current?.focus(); return; }
    if (format === 'latchkey' && passphrase === '') { setError('Enter the passphrase the backup was made with.'); passField.current?.focus(); return; }
    setProgress(`Importing ${file.name}…`);
    await run(async () => {
      const content = await file.text();
      const r = await onImport(format, content, format === 'latchkey' ? passphrase : undefined);
      setPassphrase('');
      setProgress('');
      setReport(r);
    }, (message) => { setProgress(''); setError(message); });
  };
  return (
    <section aria-labelledby="import-h" class="sub">
      <h3 id="import-h">Import passkeys</h3>
      <p class="muted">Passkeys already in Latchkey are never overwritten.</p>
      <form class="narrow" onSubmit={submit} aria-busy={busy} noValidate>
        <label>Backup file
          <input ref={fileField} type="file" accept=".json,application/json" onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setError(''); setReport(null); }} />
        </label>
        <fieldset class="choices">
          <legend>Kind of file</legend>
          <label class="choice"><input type="radio" name="import-format" value="latchkey" checked={format === 'latchkey'} onChange={() => setFormat('latchkey')} />Latchkey backup</label>
          <label class="choice"><input type="radio" name="import-format" value="bitwarden" checked={format === 'bitwarden'} onChange={() => setFormat('bitwarden')} />Bitwarden export (unencrypted JSON)</label>
        </fieldset>
        {format === 'latchkey' ? (
          <label>Backup passphrase<input ref={passField} type="password" autoComplete="off" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} /></label>
        ) : (
          <p class="warning">An unencrypted export holds your passwords and passkeys in plain text. Delete the file once the import is done.</p>
        )}
        <div class="messages">
          <div role="status" class="status">{progress}{report ? <ImportReportView report={report} /> : null}</div>
          {error ? <p role="alert" class="alert">{error}</p> : null}
        </div>
        <div><button type="submit" class="primary">Import</button></div>
      </form>
    </section>
  );
}
