import type { ComponentChild } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ManagedPasskey } from '../../src/messages/manage';
import { messageOf } from '../api';
import { passkeyName } from '../filterPasskeys';
import { describeCreated, describeLastUsed, isoDate } from '../../ui/formatDate';
import { DeleteConfirm } from './DeleteConfirm';
import { RenameForm } from './RenameForm';
import { t, withParts } from '../../ui/i18n';

export interface PasskeyRowProps {
  passkey: ManagedPasskey;
  now: number;
  /** Resolves when renamed ('' removes the name); throws with a person-readable message. */
  onRename: (credentialId: string, label: string) => Promise<void>;
  /** Resolves when deleted; throws with a person-readable message. */
  onDelete: (passkey: ManagedPasskey) => Promise<void>;
  /** Resolves when shown again; throws with a person-readable message. */
  onUnhide: (passkey: ManagedPasskey) => Promise<void>;
}

/** Why a passkey is hidden, in the person's words (the site's signal, WebAuthn L3 §5.1.10). */
export function hiddenReason(h: NonNullable<ManagedPasskey['hidden']>): string {
  return h.by === 'unknown' ? t('hiddenByUnknown') : t('hiddenByList');
}

type Mode = 'view' | 'rename' | 'confirm-delete';

/** One passkey: its name, user, dates, and Rename / Delete (each with its own inline step). */
export function PasskeyRow({ passkey: p, now, onRename, onDelete, onUnhide }: PasskeyRowProps) {
  const [mode, setMode] = useState<Mode>('view');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  // Where focus goes back to when an inline step closes (moved in a layout effect: before the next key press).
  const [returnTo, setReturnTo] = useState<'rename' | 'delete' | null>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (mode !== 'view' || !returnTo) return;
    (returnTo === 'rename' ? renameButton : deleteButton).current?.focus();
    setReturnTo(null);
  }, [mode, returnTo]);

  const name = passkeyName(p);
  const close = (to: 'rename' | 'delete') => { setMode('view'); setReturnTo(to); };
  /** Runs one action with the row busy and its error shown; the row stays (unlike delete, below). */
  const busyWhile = async (work: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const save = async (label: string) => {
    if (label === (p.label ?? '')) return close('rename');
    await busyWhile(async () => { await onRename(p.credentialId, label); close('rename'); });
  };
  // Its button goes away: focus the row's next action.
  const unhide = () => busyWhile(async () => { await onUnhide(p); setReturnTo('rename'); });
  const confirmDelete = async () => {
    setBusy(true);
    setError('');
    try {
      await onDelete(p); // the row goes away; the list moves focus on
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
      close('delete');
    }
  };

  const showDisplayName = p.userDisplayName !== '' && p.userDisplayName !== p.userName;
  return (
    <li class="passkey" data-credential-id={p.credentialId} tabIndex={-1} aria-label={p.hidden ? t('rowLabelHidden', name, p.userName, p.rpId) : t('rowLabel', name, p.userName, p.rpId)}>
      <div class="who">
        <strong class="name">{name}</strong>
        <span class="muted">
          {name !== p.userName ? <span class="user">{p.userName}</span> : null}
          {name !== p.userName && showDisplayName ? ' · ' : null}
          {showDisplayName ? <span class="display-name">{p.userDisplayName}</span> : null}
        </span>
        {p.hidden ? (
          <span class="hidden-mark">
            {withParts<ComponentChild>('hiddenSince', <strong>{t('hidden')}</strong>, <time dateTime={isoDate(p.hidden.at)}>{isoDate(p.hidden.at).slice(0, 10)}</time>, hiddenReason(p.hidden))}
          </span>
        ) : null}
        <span class="muted dates">
          <time dateTime={isoDate(p.createdAt)}>{describeCreated(p.createdAt)}</time>
          {' · '}
          {p.lastUsedAt === null ? <span>{t('neverUsed')}</span> : <time dateTime={isoDate(p.lastUsedAt)}>{describeLastUsed(p.lastUsedAt, now)}</time>}
        </span>
      </div>
      {mode === 'view' ? (
        <div class="buttons actions">
          {p.hidden ? (
            <button type="button" disabled={busy} aria-label={t('showAgainLabel', name, p.rpId)} onClick={() => { void unhide(); }}>{t('showAgain')}</button>
          ) : null}
          <button type="button" ref={renameButton} aria-label={t('renameLabel', name, p.rpId)} onClick={() => { setError(''); setMode('rename'); }}>{t('rename')}</button>
          <button type="button" ref={deleteButton} class="danger-text" aria-label={t('deleteLabel', name, p.rpId)} onClick={() => { setError(''); setMode('confirm-delete'); }}>{t('delete')}</button>
        </div>
      ) : null}
      {mode === 'rename' ? <RenameForm initial={p.label ?? ''} busy={busy} onSave={save} onCancel={() => close('rename')} /> : null}
      {mode === 'confirm-delete' ? <DeleteConfirm userName={p.userName} rpId={p.rpId} busy={busy} onConfirm={confirmDelete} onKeep={() => close('delete')} /> : null}
      {error ? <p role="alert" class="alert wide">{error}</p> : null}
    </li>
  );
}
