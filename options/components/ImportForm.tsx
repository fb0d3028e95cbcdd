import { useRef, useState } from 'preact/hooks';
import { MAX_EXCHANGE_FILE_BYTES, type ExchangeFormat, type ExchangePreview } from '../../src/messages/exchange';
import { exchange, readFileBase64, withProgress } from '../exchangeApi';
import { describeImport } from '../importReport';
import { describePreview } from '../previewText';
import { useBusy } from '../hooks';
import type { Feedback } from './feedback';
import { plural, t, uiLocale } from '../../ui/i18n';

export interface ImportFormProps {
  format: ExchangeFormat;
  passphrase: string;
  guard: <T>(work: Promise<T>) => Promise<T>;
  onImported: () => Promise<void>;
  show: (f: Feedback) => void;
  focusPassphrase: () => void;
}

let megabytes: Intl.NumberFormat | undefined;
/** "12.5 MB", "12,5 Mo": one decimal, in the UI's way of writing numbers. */
const mb = (n: number) => {
  megabytes ??= new Intl.NumberFormat(uiLocale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return t('megabytes', megabytes.format(n / 1024 / 1024));
};

/** The background's refusal, and that nothing was imported, unless it says so already (its words are English for now). */
function withNothingImported(message: string): string {
  const nothing = t('nothingImported');
  return message.includes(nothing) || /Nothing was imported/.test(message) ? message : `${message} ${nothing}`;
}

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
    if (!file) { show({ alert: t('chooseFileFirst') }); fileField.current?.focus(); return; }
    // Refused by its size before a byte is read (a 100 MB file is no passkey export).
    if (file.size > MAX_EXCHANGE_FILE_BYTES) { show({ alert: t('fileTooBig', file.name, mb(file.size), mb(MAX_EXCHANGE_FILE_BYTES)) }); return; }
    if ((format === 'latchkey' || format === 'kdbx') && passphrase === '') { show({ alert: format === 'kdbx' ? t('enterMasterPassword') : t('enterBackupPassphrase') }); focusPassphrase(); return; }
    await run(async () => {
      show({ progress: { phase: t('readingFile'), done: 0, total: 0 } });
      const data = await readFileBase64(file, (loaded, total) => show({ progress: { phase: t('readingNamedFile', file.name, mb(total)), done: loaded, total } }));
      const req = { type: 'exchange/preview' as const, format, data, ...(format !== 'bitwarden' ? { passphrase } : {}) };
      const p = await withProgress(guard(exchange(req)), (progress) => { if (progress) show({ progress }); });
      setPreview({ p, data, format, passphrase });
      show({});
      setTimeout(() => confirmButton.current?.focus(), 0);
    }, (message) => show({ alert: withNothingImported(message) }));
  };

  const confirm = async () => {
    if (busy || !preview) return;
    await run(async () => {
      show({ progress: { phase: t('importing'), done: 0, total: preview.p.total } });
      const req = { type: 'exchange/import' as const, format: preview.format, data: preview.data, ...(preview.format !== 'bitwarden' ? { passphrase: preview.passphrase } : {}) };
      const r = await withProgress(guard(exchange(req)), (progress) => { if (progress) show({ progress }); });
      setPreview(null);
      show({ lines: describeImport(r), details: r.skipped });
      await onImported();
    }, (message) => show({ alert: `${message} ${t('nothingImported')}` }));
  };

  return (
    <section aria-labelledby="import-h" class="sub">
      <h3 id="import-h">{t('importHeading')}</h3>
      <form class="narrow" onSubmit={start} aria-busy={busy} noValidate>
        <label>{t('importFile')}
          <input ref={fileField} type="file" accept={format === 'kdbx' ? '.kdbx' : '.json,application/json'} onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); setPreview(null); show({}); }} />
        </label>
        {format === 'bitwarden' || format === 'cxf' ? (
          <p class="warning">{format === 'cxf' ? t('importPlainCxfWarning') : t('importUnencryptedWarning')}</p>
        ) : null}
        <div><button type="submit" class="primary" disabled={busy}>{t('importButton')}</button></div>
      </form>
      {preview ? (
        <section class="report" aria-labelledby="preview-h">
          <h4 id="preview-h">{t('beforeImporting')}</h4>
          {describePreview(preview.p).map((l) => <p key={l}>{l}</p>)}
          {preview.p.skipped.length > 0 ? (
            <ul class="skipped">{preview.p.skipped.map((s, i) => <li key={i}><strong>{s.name}</strong>: {s.reason}</li>)}</ul>
          ) : null}
          {preview.p.sites.length > 0 ? (
            <ul class="sites" aria-label={t('sitesInFile')}>
              {preview.p.sites.slice(0, 20).map((s) => <li key={s.rpId}>{s.rpId}: {s.count}</li>)}
              {preview.p.sites.length > 20 ? <li>{plural('moreSites', preview.p.sites.length - 20)}</li> : null}
            </ul>
          ) : null}
          <div class="actions">
            <button type="button" class="primary" ref={confirmButton} disabled={busy || preview.p.added === 0} onClick={confirm}>{t('confirmImport')}</button>{' '}
            <button type="button" disabled={busy} onClick={() => { setPreview(null); show({ status: t('nothingImported') }); }}>{t('cancel')}</button>
          </div>
        </section>
      ) : null}
    </section>
  );
}

