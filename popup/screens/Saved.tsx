import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Frame } from './Frame';
import { t, withParts } from '../../ui/i18n';

export interface SavedProps { rpId: string; suggestedName: string; error?: string; busy: boolean; onSaveName: (name: string) => void; onDone: () => void }

/** The name box takes at most this many characters, as the vault does (src/vault/label.ts). */
const MAX_NAME = 64;

/**
 * After "Save passkey": the page already has its passkey; here the person may name it (the box
 * starts with the suggestion, selected, so typing replaces it). Enter or "Save name" saves the
 * name; "Done", or closing the window, keeps the suggestion.
 */
export function Saved({ rpId, suggestedName, error, busy, onSaveName, onDone }: SavedProps) {
  const [name, setName] = useState(suggestedName);
  const box = useRef<HTMLInputElement>(null);
  // The box is new on an open page (autofocus works only on load): focus and select it before the next key press.
  useLayoutEffect(() => { box.current?.focus(); box.current?.select(); }, []);
  // The box's own value: a key press may come before Preact re-renders with the last input.
  const submit = (e: Event) => { e.preventDefault(); onSaveName(box.current?.value ?? name); };
  return (
    <Frame title={t('savedTitle')}>
      <p id="saved-what">{withParts('savedWhat', <span class="site">{rpId}</span>)}</p>
      <form data-after-consent onSubmit={submit}>
        <label>{t('passkeyName')}<input ref={box} type="text" maxLength={MAX_NAME} autoComplete="off" spellcheck={false} aria-describedby="saved-what saved-hint" value={name} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <p id="saved-hint" class="muted">{t('savedHint', t('managePasskeys'))}</p>
        {error ? <p role="alert" class="alert">{error}</p> : null}
        <button type="submit" class="primary" disabled={busy}>{t('saveName')}</button>
      </form>
      <div class="stack" data-after-consent><button type="button" disabled={busy} onClick={onDone}>{t('done')}</button></div>
    </Frame>
  );
}
