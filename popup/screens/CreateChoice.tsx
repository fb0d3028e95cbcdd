import type { CeremonyView } from '../../src/messages/protocol';
import { Frame, OtherWays, SiteLine } from './Frame';
import { t } from '../../ui/i18n';

export interface CreateChoiceProps { view: CeremonyView; busy: boolean; onSave: () => void; onHandOver: () => void; onCancel: () => void }

export function CreateChoice({ view, busy, onSave, onHandOver, onCancel }: CreateChoiceProps) {
  return (
    <Frame title={t('createTitle', view.rpId)}>
      <SiteLine rpId={view.rpId} origin={view.origin} topOrigin={view.topOrigin} />
      <div class="card">
        <div><strong>{view.user?.name}</strong></div>
        {view.user?.displayName && view.user.displayName !== view.user.name ? <div class="muted">{view.user.displayName}</div> : null}
      </div>
      <p class="muted">{t('createKeptIn')}</p>
      <div class="stack">
        <button type="button" class="primary" autoFocus={view.preferred === 'latchkey'} disabled={busy} onClick={onSave}>{t('savePasskey')}</button>
        <OtherWays busy={busy} onHandOver={onHandOver} onCancel={onCancel} focusHandOver={view.preferred === 'browser'} />
      </div>
    </Frame>
  );
}
