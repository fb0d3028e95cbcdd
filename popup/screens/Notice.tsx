import { Frame } from './Frame';
import { t } from '../../ui/i18n';

export interface NoticeProps { title: string; message: string; onOk: () => void; busy?: boolean }

export function Notice({ title, message, onOk, busy = false }: NoticeProps) {
  return (
    <Frame title={title}>
      <p role="alert">{message}</p>
      <div class="stack"><button type="button" class="primary" autoFocus disabled={busy} onClick={onOk}>{t('ok')}</button></div>
    </Frame>
  );
}
