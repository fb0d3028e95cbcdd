import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { t } from '../../ui/i18n';

export interface RenameFormProps {
  /** The current label ('' when there is none). */
  initial: string;
  busy: boolean;
  onSave: (label: string) => void;
  onCancel: () => void;
}

export const MAX_LABEL_LENGTH = 100;

/** The inline "Passkey name" box: Enter saves, Escape cancels. */
export function RenameForm({ initial, busy, onSave, onCancel }: RenameFormProps) {
  const [label, setLabel] = useState(initial);
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => { input.current?.focus(); input.current?.select(); }, []);
  const submit = (e: Event) => { e.preventDefault(); if (!busy) onSave(label.trim()); };
  const keyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); onCancel(); }
  };
  return (
    <form class="rename" onSubmit={submit} onKeyDown={keyDown} aria-busy={busy}>
      <label>{t('passkeyName')}
        <input ref={input} type="text" maxLength={MAX_LABEL_LENGTH} autoComplete="off" spellcheck={false} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
      </label>
      <div class="buttons">
        <button type="submit" class="primary">{t('save')}</button>
        <button type="button" onClick={onCancel}>{t('cancel')}</button>
      </div>
      <p class="muted hint">{t('renameHint')}</p>
    </form>
  );
}
