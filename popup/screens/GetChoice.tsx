import type { CeremonyView } from '../../src/messages/protocol';
import { describeLastUsed } from '../../ui/formatDate';
import { Frame, OtherWays, SiteLine } from './Frame';
import { t } from '../../ui/i18n';

export interface GetChoiceProps { view: CeremonyView; busy: boolean; onChoose: (credentialId: string) => void; onHandOver: () => void; onAlwaysHandOver: () => void; onCancel: () => void }

export function GetChoice({ view, busy, onChoose, onHandOver, onAlwaysHandOver, onCancel }: GetChoiceProps) {
  const now = Date.now();
  return (
    <Frame title={t('getTitle', view.rpId)}>
      <SiteLine rpId={view.rpId} origin={view.origin} topOrigin={view.topOrigin} />
      <p class="muted">{t('getChoose')}</p>
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
      {view.alsoElsewhere ? <p class="muted" data-also-elsewhere>{t('getAlsoElsewhere', t('useAnotherDevice'))}</p> : null}
      <div class="stack">
        <OtherWays busy={busy} onHandOver={onHandOver} onCancel={onCancel} focusHandOver={view.preferred === 'browser'} />
        <button type="button" class="link" disabled={busy} onClick={onAlwaysHandOver}>{t('getAlwaysBrowser')}</button>
      </div>
    </Frame>
  );
}
