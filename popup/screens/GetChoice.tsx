import type { CeremonyView } from '../../src/messages/protocol';
import { describeLastUsed } from '../../ui/formatDate';
import { Frame, OtherWays, SiteLine } from './Frame';

export interface GetChoiceProps { view: CeremonyView; busy: boolean; onChoose: (credentialId: string) => void; onHandOver: () => void; onAlwaysHandOver: () => void; onCancel: () => void }

export function GetChoice({ view, busy, onChoose, onHandOver, onAlwaysHandOver, onCancel }: GetChoiceProps) {
  const now = Date.now();
  return (
    <Frame title={`Sign in to ${view.rpId}`}>
      <SiteLine rpId={view.rpId} origin={view.origin} topOrigin={view.topOrigin} />
      <p class="muted">Choose a passkey saved in Latchkey:</p>
      <ul class="accounts">
        {view.accounts.map((a, i) => (
          <li key={a.credentialId}>
            <button type="button" class="account" autoFocus={i === 0 && view.preferred === 'latchkey'} disabled={busy} onClick={() => onChoose(a.credentialId)}>
              <strong>{a.userName}</strong>
              <span class="muted">{a.userDisplayName && a.userDisplayName !== a.userName ? `${a.userDisplayName} · ` : ''}{describeLastUsed(a.lastUsedAt, now)}</span>
            </button>
          </li>
        ))}
      </ul>
      {view.alsoElsewhere ? <p class="muted" data-also-elsewhere>This site also accepts a passkey on a security key or phone: choose “Use another device or security key” for it.</p> : null}
      <div class="stack">
        <OtherWays busy={busy} onHandOver={onHandOver} onCancel={onCancel} focusHandOver={view.preferred === 'browser'} />
        <button type="button" class="link" disabled={busy} onClick={onAlwaysHandOver}>Always use the browser on this site</button>
      </div>
    </Frame>
  );
}
