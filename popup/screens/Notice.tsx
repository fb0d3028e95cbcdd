import { Frame } from './Frame';

export interface NoticeProps { title: string; message: string; onOk: () => void }

export function Notice({ title, message, onOk }: NoticeProps) {
  return (
    <Frame title={title}>
      <p role="alert">{message}</p>
      <div class="stack"><button type="button" class="primary" autoFocus onClick={onOk}>OK</button></div>
    </Frame>
  );
}
