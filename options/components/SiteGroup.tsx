import type { ManagedPasskey } from '../../src/messages/manage';
import { PasskeyRow } from './PasskeyRow';
import { t } from '../../ui/i18n';

export interface SiteGroupProps {
  rpId: string;
  passkeys: ManagedPasskey[];
  now: number;
  onRename: (credentialId: string, label: string) => Promise<void>;
  onDelete: (passkey: ManagedPasskey) => Promise<void>;
  onUnhide: (passkey: ManagedPasskey) => Promise<void>;
}

/** One site (its RP ID as the heading) and its passkeys. */
export function SiteGroup({ rpId, passkeys, now, onRename, onDelete, onUnhide }: SiteGroupProps) {
  return (
    <li class="site-group">
      <h3 class="site">{rpId}</h3>
      <ul class="passkeys" aria-label={t('passkeysFor', rpId)}>
        {passkeys.map((p) => <PasskeyRow key={p.credentialId} passkey={p} now={now} onRename={onRename} onDelete={onDelete} onUnhide={onUnhide} />)}
      </ul>
    </li>
  );
}
