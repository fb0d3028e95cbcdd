import { useRef, useState } from 'preact/hooks';
import type { ExchangeFormat } from '../../src/messages/exchange';
import { describeWait } from '../../ui/formatDate';
import { checkPassphrase, MIN_PASSPHRASE_LENGTH } from '../checks';
import { downloadBase64, exchange, withProgress } from '../exchangeApi';
import { useBusy, useSecondsUntil, waitUntilOf } from '../hooks';
import type { Feedback } from './feedback';

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
      const problem = checkPassphrase(passphrase, confirm);
      if (problem) { show({ alert: problem.replace('backup passphrase', 'passphrase').replace('backup passphrases', 'passphrases') }); focusPassphrase(); return; }
    }
    show({});
    setAskPin(true);
    setTimeout(() => pinField.current?.focus(), 0);
  };

  const unlock = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    if (pin === '') { show({ alert: 'Enter your PIN.' }); pinField.current?.focus(); return; }
    await run(async () => {
      show({ progress: { phase: 'Preparing the file', done: 0, total: 0 } });
      const req = { type: 'exchange/export' as const, format, pin, ...(plain ? { plain: true } : { passphrase }) };
      const file = await withProgress(guard(exchange(req)), (progress) => { if (progress) show({ progress }); });
      setPin(''); setConfirm(''); setAskPin(false); onDone();
      if (file.count === 0) {
        // No empty file in the downloads: say why instead.
        show({ lines: ['Nothing was exported: no passkey can go in this kind of file.'], details: file.excluded });
        return;
      }
      downloadBase64(file.fileName, file.data, file.mimeType);
      const lines = [`Exported ${file.count.toLocaleString('en')} ${file.count === 1 ? 'passkey' : 'passkeys'} as ${file.fileName} in your downloads.`];
      if (file.plain) lines.push('This file is not encrypted: keep it safe, and delete it once it is imported.');
      if (file.excluded.length > 0) lines.push(`Left out ${file.excluded.length.toLocaleString('en')} that this kind of file cannot carry:`);
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
      <h3 id="export-h">Export</h3>
      <p class="warning" id="export-warning">
        <strong>An export holds every passkey's private key.</strong> Anyone who has the file{plain ? '' : ' and guesses its passphrase'} can sign in as you.
        {plain ? '' : ' Choose a long passphrase you use nowhere else, and keep it: without it the file cannot be opened.'}
      </p>
      {!askPin ? (
        <form class="narrow" onSubmit={start} noValidate>
          {!plain ? (
            <label>Confirm passphrase<input type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} /></label>
          ) : null}
          {!plain ? <p class="muted hint">At least {MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are good.</p> : null}
          {format === 'cxf' ? (
            <label class="choice"><input type="checkbox" checked={plainCxf} onChange={(e) => setPlainCxf(e.currentTarget.checked)} />Save a plain CXF file, without encryption</label>
          ) : null}
          {plain ? (
            <p class="warning" id="plain-warning">
              <strong>Warning: this file will not be encrypted.</strong> Your passkeys' private keys will be readable by anyone and any program that can read the file.
              Import it right away into the other manager, then delete it.
            </p>
          ) : null}
          <div><button type="submit" class="primary">Export</button></div>
        </form>
      ) : (
        <form class="narrow" onSubmit={unlock} aria-busy={busy} noValidate>
          <p>Enter your PIN to export your passkeys{plain ? ' to a file that is not encrypted' : ''}.</p>
          <label>PIN<input ref={pinField} type="password" autoComplete="current-password" value={pin} onInput={(e) => setPin(e.currentTarget.value)} /></label>
          {secondsLeft > 0 ? <p class="muted">Try again in {describeWait(secondsLeft * 1000)}.</p> : null}
          <div class="actions">
            <button type="submit" class="primary" disabled={busy || secondsLeft > 0}>Unlock</button>{' '}
            <button type="button" disabled={busy} onClick={() => { setAskPin(false); setPin(''); show({ status: 'Nothing was exported.' }); }}>Cancel</button>
          </div>
        </form>
      )}
    </section>
  );
}
