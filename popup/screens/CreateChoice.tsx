import type { CeremonyView } from '../../src/messages/protocol';
import { Frame, OtherWays, SiteLine } from './Frame';

export interface CreateChoiceProps { view: CeremonyView; busy: boolean; onSave: () => void; onHandOver: () => void; onCancel: () => void }

export function CreateChoice({ view, busy, onSave, onHandOver, onCancel }: CreateChoiceProps) {
  return (
    <Frame title={`Save a passkey for ${view.rpId}?`}>
      <SiteLine rpId={view.rpId} origin={view.origin} topOrigin={view.topOrigin} />
      <div class="card">
        <div><strong>{view.user?.name}</strong></div>
        {view.user?.displayName && view.user.displayName !== view.user.name ? <div class="muted">{view.user.displayName}</div> : null}
      </div>
      <p class="muted">The passkey is kept in Latchkey in this browser, locked with your PIN.</p>
      <div class="stack">
        <button type="button" class="primary" autoFocus={view.preferred === 'latchkey'} disabled={busy} onClick={onSave}>Save passkey</button>
        <OtherWays busy={busy} onHandOver={onHandOver} onCancel={onCancel} focusHandOver={view.preferred === 'browser'} />
      </div>
    </Frame>
  );
}
