import { useLayoutEffect, useRef, useState } from 'preact/hooks';

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
      <label>Passkey name
        <input ref={input} type="text" maxLength={MAX_LABEL_LENGTH} autoComplete="off" spellcheck={false} value={label} onInput={(e) => setLabel(e.currentTarget.value)} />
      </label>
      <div class="buttons">
        <button type="submit" class="primary">Save</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
      <p class="muted hint">Leave it empty to show the user name instead.</p>
    </form>
  );
}
