import { useId, useLayoutEffect, useRef } from 'preact/hooks';
import { t, withParts } from '../../ui/i18n';

export interface DeleteConfirmProps {
  userName: string;
  rpId: string;
  busy: boolean;
  onConfirm: () => void;
  onKeep: () => void;
}

/** The step before a passkey is deleted. Focus starts on "Keep it"; Escape keeps it too. */
export function DeleteConfirm({ userName, rpId, busy, onConfirm, onKeep }: DeleteConfirmProps) {
  const id = useId();
  const keep = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => { keep.current?.focus(); }, []);
  const keyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') { e.preventDefault(); e.stopPropagation(); onKeep(); }
  };
  return (
    // biome-ignore lint/a11y/useSemanticElements: a fieldset would make the row's question a form; role="group" names it for assistive technology
    <div class="confirm" role="group" aria-labelledby={id} onKeyDown={keyDown} aria-busy={busy}>
      <p id={id}>{withParts('deleteQuestion', <strong>{userName}</strong>, <strong>{rpId}</strong>)}</p>
      <div class="buttons">
        <button type="button" class="danger" onClick={() => { if (!busy) onConfirm(); }}>{t('deletePasskey')}</button>
        <button type="button" ref={keep} onClick={onKeep}>{t('keepIt')}</button>
      </div>
    </div>
  );
}
