import { useId, useLayoutEffect, useRef } from 'preact/hooks';

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
      <p id={id}>Delete the passkey for <strong>{userName}</strong> on <strong>{rpId}</strong>? You will not be able to sign in with it.</p>
      <div class="buttons">
        <button type="button" class="danger" onClick={() => { if (!busy) onConfirm(); }}>Delete passkey</button>
        <button type="button" ref={keep} onClick={onKeep}>Keep it</button>
      </div>
    </div>
  );
}
