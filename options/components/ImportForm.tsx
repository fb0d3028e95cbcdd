import { useRef, useState } from 'preact/hooks';
import { MAX_EXCHANGE_FILE_BYTES, type ExchangeFormat, type ExchangePreview } from '../../src/messages/exchange';
import { exchange, readFileBase64, withProgress } from '../exchangeApi';
import { describeImport } from '../importReport';
import { describePreview } from '../previewText';
import { useBusy } from '../hooks';
import type { Feedback } from './feedback';

export interface ImportFormProps {
  format: ExchangeFormat;
  passphrase: string;
  guard: <T>(work: Promise<T>) => Promise<T>;
  onImported: () => Promise<void>;
  show: (f: Feedback) => void;
  focusPassphrase: () => void;
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** "Import": the file, then a preview (nothing written yet), then Confirm import. */
export function ImportForm({ format, passphrase, guard, onImported, show, focusPassphrase }: ImportFormProps) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<{ p: ExchangePreview; data: string; format: ExchangeFormat; passphrase: string } | null>(null);
  const { busy, run } = useBusy();
  const fileField = useRef<HTMLInputElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);

  const start = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    setPreview(null);
    if (!file) { show({ alert: 'Choose the file to import first.' }); fileField.current?.focus(); return; }
    // Refused by its size before a byte is read (a 100 MB file is no passkey export).
    if (file.size > MAX_EXCHANGE_FILE_BYTES) { show({ alert: `${file.name} is ${mb(file.size)}: too big to be a passkey file (Latchkey reads up to ${mb(MAX_EXCHANGE_FILE_BYTES)}). Nothing was imported.` }); return; }
    if ((format === 'latchkey' || format === 'kdbx') && passphrase === '') { show({ alert: format === 'kdbx' ? 'Enter the database\'s master password as the passphrase.' : 'Enter the passphrase the backup was made with.' }); focusPassphrase(); return; }
    await run(async () => {
      show({ progress: { phase: 'Reading the file', done: 0, total: 0 } });
      const data = await readFileBase64(file, (loaded, total) => show({ progress: { phase: `Reading ${file.name} (${mb(total)})`, done: loaded, total } }));
      const req = { type: 'exchange/preview' as const, format, data, ...(format !== 'bitwarden' ? { passphrase } : {}) };
      const p = await withProgress(guard(exchange(req)), (progress) => { if (progress) show({ progress }); });
      setPreview({ p, data, format, passphrase });
      show({});
      setTimeout(() => confirmButton.current?.focus(), 0);
    }, (message) => show({ alert: `${message}${/Nothing was imported/.test(message) ? '' : ' Nothing was imported.'}` }));
  };

  const confirm = async () => {
    if (busy || !preview) return;
    await run(async () => {
      show({ progress: { phase: 'Importing', done: 0, total: preview.p.total } });
      const req = { type: 'exchange/import' as const, format: preview.format, data: preview.data, ...(preview.format !== 'bitwarden' ? { passphrase: preview.passphrase } : {}) };
      const r = await withProgress(guard(exchange(req)), (progress) => { if (progress) show({ progress }); });
      setPreview(null);
      show({ lines: describeImport(r), details: r.skipped });
      await onImported();
    }, (message) => show({ alert: `${message} Nothing was imported.` }));
  };

  return (
    <section aria-labelledby="import-h" class="sub">
      <h3 id="import-h">Import</h3>
      <form class="narrow" onSubmit={start} aria-busy={busy} noValidate>
        <label>Import file
          <input ref={fileField} type="file" accept={format === 'kdbx' ? '.kdbx' : '.json,application/json'} onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setPreview(null); show({}); }} />
        </label>
        {format === 'bitwarden' || format === 'cxf' ? (
          <p class="warning">{format === 'cxf' ? 'A plain CXF file' : 'An unencrypted export'} holds your passkeys in plain text. Delete the file once the import is done.</p>
        ) : null}
        <div><button type="submit" class="primary" disabled={busy}>Import</button></div>
      </form>
      {preview ? (
        <section class="report" aria-labelledby="preview-h">
          <h4 id="preview-h">Before importing</h4>
          {describePreview(preview.p).map((l) => <p key={l}>{l}</p>)}
          {preview.p.skipped.length > 0 ? (
            <ul class="skipped">{preview.p.skipped.map((s, i) => <li key={i}><strong>{s.name}</strong>: {s.reason}</li>)}</ul>
          ) : null}
          {preview.p.sites.length > 0 ? (
            <ul class="sites" aria-label="Sites in the file">
              {preview.p.sites.slice(0, 20).map((s) => <li key={s.rpId}>{s.rpId}: {s.count}</li>)}
              {preview.p.sites.length > 20 ? <li>and {preview.p.sites.length - 20} more sites</li> : null}
            </ul>
          ) : null}
          <div class="actions">
            <button type="button" class="primary" ref={confirmButton} disabled={busy || preview.p.added === 0} onClick={confirm}>Confirm import</button>{' '}
            <button type="button" disabled={busy} onClick={() => { setPreview(null); show({ status: 'Nothing was imported.' }); }}>Cancel</button>
          </div>
        </section>
      ) : null}
    </section>
  );
}

