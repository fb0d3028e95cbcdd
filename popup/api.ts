// The ceremony window's only way to the background: typed runtime messages (src/messages/protocol).
import browser from 'webextension-polyfill';
import { WINDOW_PORT, type UItoBG, type UItoBGAnswers } from '../src/messages/protocol';

export function send<T extends UItoBG>(msg: T): Promise<UItoBGAnswers[T['type']]> {
  return browser.runtime.sendMessage(msg) as Promise<UItoBGAnswers[T['type']]>;
}

/** Keeps the background awake while the person reads or types (a stopped worker would lose the request). */
export function keepBackgroundAwake(): void {
  const port = browser.runtime.connect({ name: WINDOW_PORT });
  setInterval(() => { try { port.postMessage('ping'); } catch { /* background restarting */ } }, 20_000);
}
