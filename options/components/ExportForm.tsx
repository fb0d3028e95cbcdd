import { useRef, useState } from 'preact/hooks';
import { downloadText } from '../api';
import { checkPassphrase, MIN_PASSPHRASE_LENGTH } from '../checks';
import { useBusy, useFeedback } from '../hooks';
import { Messages } from './Messages';

export interface ExportFormProps {
  /** The PIN is asked again: the file holds every private key (counted as a wrong PIN when wrong). */
  onExport: (passphrase: string, pin: string) => Promise<{ fileName: string; content: string }>;
}

/** "Export passkeys": a passphrase twice, then the encrypted file goes to the browser's downloads. */
export function ExportForm({ onExport }: ExportFormProps) {
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [pin, setPin] = useState('');
  const { feedback, show } = useFeedback();
  const { busy, run } = useBusy();
  const first = useRef<HTMLInputElement>(null);
  const pinField = useRef<HTMLInputElement>(null);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const problem = checkPassphrase(passphrase, confirm);
    if (problem) { show({ alert: problem }); first.current?.focus(); return; }
    if (pin === '') { show({ alert: 'Enter your Latchkey PIN to export.' }); pinField.current?.focus(); return; }
    show({ status: 'Encrypting your passkeys…' });
    await run(async () => {
      const file = await onExport(passphrase, pin);
      downloadText(file.fileName, file.content);
      setPassphrase(''); setConfirm(''); setPin('');
      show({ status: `Backup saved as ${file.fileName} in your downloads.` });
    }, (message) => { show({ alert: message }); setPin(''); });
  };
  return (
    <section aria-labelledby="export-h" class="sub">
      <h3 id="export-h">Export passkeys</h3>
      <p class="warning" id="export-warning">
        <strong>The backup file holds all your passkeys.</strong> It is encrypted, and only as safe as its passphrase: anyone who has the file and
        guesses the passphrase can sign in as you. Choose a long passphrase you use nowhere else, and keep it: without it the backup cannot be opened.
      </p>
      <form class="narrow" onSubmit={submit} aria-busy={busy} noValidate>
        <label>Backup passphrase<input ref={first} type="password" autoComplete="new-password" aria-describedby="export-hint" value={passphrase} onInput={(e) => setPassphrase(e.currentTarget.value)} /></label>
        <p id="export-hint" class="muted hint">At least {MIN_PASSPHRASE_LENGTH} characters; a few unrelated words are good.</p>
        <label>Confirm backup passphrase<input type="password" autoComplete="new-password" value={confirm} onInput={(e) => setConfirm(e.currentTarget.value)} /></label>
        <label>PIN<input ref={pinField} type="password" autoComplete="current-password" aria-describedby="export-pin-hint" value={pin} onInput={(e) => setPin(e.currentTarget.value)} /></label>
        <p id="export-pin-hint" class="muted hint">Your Latchkey PIN, asked again because the file holds every passkey. Wrong PINs count as at unlock.</p>
        <Messages status={feedback.status} alert={feedback.alert} />
        <div><button type="submit" class="primary">Export</button></div>
      </form>
    </section>
  );
}
